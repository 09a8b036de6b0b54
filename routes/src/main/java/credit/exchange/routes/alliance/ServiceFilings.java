package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Credit service institution filings and their mutual recognition (信用服务机构备案互认): a filing
 * recorded at one node goes to every alliance partner, which keeps it (so that it is visible there)
 * and recognises it under its own rules — the same as for trusted enterprises: not on its black
 * list, no recent penalty — or declines it with its reasons.
 */
public final class ServiceFilings {

    public static final String NOTICE = "filing";

    private final Database database;
    private final AllianceNotices notices;
    private final Recognitions rules;
    private final String self;

    public ServiceFilings(Database database, AllianceNotices notices, Recognitions rules, String self) {
        this.database = database;
        this.notices = notices;
        this.rules = rules;
        this.self = self;
    }

    /** Records a filing and sends it to the alliance partners; returns the filings of the institution. */
    public ObjectNode file(String uscc, String name, List<String> services, String authority, LocalDate filedOn, LocalDate validUntil,
                           Collection<Partner> partners, String actorKind, String actor) {
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "the institution's USCC is not valid");
        }
        if (name == null || name.isBlank() || authority == null || authority.isBlank() || services == null || services.isEmpty()
                || services.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a filing names the institution, its services and the filing authority");
        }
        if (filedOn == null || validUntil == null || !validUntil.isAfter(filedOn)) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "a filing is valid from its filing date until a later date");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("name", name.strip()).put("authority", authority.strip())
                .put("filedOn", filedOn.toString()).put("validUntil", validUntil.toString());
        ArrayNode offered = body.putArray("services");
        services.forEach(s -> offered.add(s.strip()));
        List<String> to = AllianceNotices.allianceCities(partners);
        try {
            database.inTransaction(c -> {
                // the filing and its notice commit together: a filing recorded here is one the partners are sent
                String noticeId = to.isEmpty() ? null : notices.issue(c, NOTICE, code, body, to, actorKind, actor, Optional.empty());
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into credit_service_filing (id, uscc, name, services, authority, filed_on, valid_until, recorded_by, notice_id)
                        values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?::uuid)""")) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, code);
                    ps.setString(3, name.strip());
                    ps.setArray(4, c.createArrayOf("text", services.stream().map(String::strip).toArray()));
                    ps.setString(5, authority.strip());
                    ps.setDate(6, Date.valueOf(filedOn));
                    ps.setDate(7, Date.valueOf(validUntil));
                    ps.setString(8, actor);
                    ps.setString(9, noticeId);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "this filing is recorded already");
            }
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the filing cannot be stored; retry later", e);
        }
        return filings(code);
    }

    /** The institution's filings as this node sees them: those filed here with each partner's answer, and those partners filed. */
    public ObjectNode filings(String uscc) {
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "not a valid USCC");
        }
        ObjectNode out = Json.mapper().createObjectNode().put("uscc", code);
        ArrayNode filings = out.putArray("filings");
        try (Connection c = database.connection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select name, services, authority, filed_on, valid_until, notice_id::text from credit_service_filing
                    where uscc = ? order by filed_on""")) {
                ps.setString(1, code);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode f = filings.addObject().put("filedAt", self).put("name", rs.getString(1)).put("authority", rs.getString(3))
                                .put("filedOn", rs.getDate(4).toString()).put("validUntil", rs.getDate(5).toString());
                        ArrayNode services = f.putArray("services");
                        for (String s : (String[]) rs.getArray(2).getArray()) {
                            services.add(s);
                        }
                        ObjectNode answers = f.putObject("answers");
                        String notice = rs.getString(6);
                        if (notice != null) {
                            for (AllianceNotices.Delivery d : notices.deliveries(notice)) {
                                answers.set(d.partner(), d.answer().orElse(Json.mapper().createObjectNode().put("status", "pending")));
                            }
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select sender, body::text, answer::text from alliance_received where kind = 'filing' and subject = ? order by received_at""")) {
                ps.setString(1, code);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode f = filings.addObject().put("filedAt", rs.getString(1));
                        f.setAll((ObjectNode) AllianceNotices.json(rs.getString(2)));
                        f.putObject("answers").set(self, AllianceNotices.json(rs.getString(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the filings cannot be read; retry later", e);
        }
        return out;
    }

    /** At a partner: the filing is kept (visible here) and recognised, or declined with this node's reasons. */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOTICE, (c, sender, n) -> {
            List<String> reasons = rules.reasons(c, n.subject());
            ObjectNode answer = Json.mapper().createObjectNode().put("status", reasons.isEmpty() ? "recognised" : "declined");
            if (!reasons.isEmpty()) {
                ArrayNode why = answer.putArray("reasons");
                reasons.forEach(why::add);
            }
            return answer;
        });
    }
}
