package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trusted-enterprise mutual recognition (诚信企业互认). A node nominates an enterprise (a red-list
 * entry, an A-grade taxpayer, …) with its basis and validity to every alliance partner; each
 * partner weighs it against its own rules — not on its black list (a list entry or a black-list
 * record still published), no penalty decided in the last {@code penaltyYears} years — and answers
 * recognised, or declined with its reasons. When the enterprise enters a black list at any node,
 * that node withdraws every recognition of it: its own, and by a withdrawal notice to every
 * alliance partner, each of which withdraws its own.
 */
public final class Recognitions {

    public static final String NOMINATION = "recognition";
    public static final String WITHDRAWAL = "recognition-withdrawal";

    private final Database database;
    private final AllianceNotices notices;
    private final String self;
    private final int penaltyYears;
    private final Clock clock;

    public Recognitions(Database database, AllianceNotices notices, String self, int penaltyYears, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.self = self;
        this.penaltyYears = penaltyYears;
        this.clock = clock;
    }

    /** Nominates an enterprise to the alliance partners. */
    public AllianceNotices.Notice nominate(String uscc, String partyName, String basis, LocalDate validUntil, Collection<Partner> partners,
                                           String actorKind, String actor) {
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "the nominated enterprise's USCC is not valid");
        }
        if (basis == null || basis.isBlank() || partyName == null || partyName.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a nomination names the enterprise and its basis (e.g. red list, A-grade taxpayer)");
        }
        if (validUntil == null || !validUntil.isAfter(LocalDate.now(clock))) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "a nomination is valid until a later date");
        }
        List<String> declined = reasons(code);
        if (!declined.isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "this node would not recognise it itself: " + String.join("; ", declined));
        }
        ObjectNode body = Json.mapper().createObjectNode().put("partyName", partyName.strip()).put("basis", basis.strip())
                .put("validUntil", validUntil.toString());
        return notices.issue(NOMINATION, code, body, AllianceNotices.allianceCities(partners), actorKind, actor, Optional.empty());
    }

    /**
     * The enterprise entered a black list at this node: every recognition of it is withdrawn here,
     * and the alliance partners are told to withdraw theirs. Nothing to do if none exists here.
     */
    public Optional<AllianceNotices.Notice> blackListed(String uscc, String reason, Collection<Partner> partners, String actorKind,
                                                        String actor) {
        if (!known(uscc)) {
            return Optional.empty();
        }
        try (Connection c = database.connection()) {
            withdraw(c, uscc, self, reason);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the withdrawal cannot be stored; retry later", e);
        }
        List<String> to = AllianceNotices.allianceCities(partners);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(notices.issue(WITHDRAWAL, uscc, Json.mapper().createObjectNode().put("reason", reason), to, actorKind, actor,
                Optional.empty()));
    }

    /** The handlers of the kinds this workflow receives. */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOMINATION, (c, sender, n) -> {
            List<String> reasons = reasons(c, n.subject());
            ObjectNode answer = Json.mapper().createObjectNode().put("status", reasons.isEmpty() ? "recognised" : "declined");
            if (!reasons.isEmpty()) {
                ArrayNode why = answer.putArray("reasons");
                reasons.forEach(why::add);
            }
            return answer;
        }, WITHDRAWAL, (c, sender, n) -> {
            withdraw(c, n.subject(), sender.id(), n.body().path("reason").asText("black-listed at " + sender.id()));
            return Json.mapper().createObjectNode().put("status", "withdrawn");
        });
    }

    /**
     * The enterprise's recognitions as this node sees them: the nominations it made with every
     * partner's answer, those partners made to it with its own answer, and the withdrawal, if any.
     */
    public ObjectNode status(String uscc) {
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "not a valid USCC");
        }
        ObjectNode out = Json.mapper().createObjectNode().put("uscc", code);
        Optional<ObjectNode> withdrawal = withdrawal(code);
        out.put("status", withdrawal.isPresent() ? "WITHDRAWN" : "IN_FORCE");
        withdrawal.ifPresent(w -> out.set("withdrawn", w));
        ArrayNode nominations = out.putArray("nominations");
        for (AllianceNotices.Notice n : notices.ofKind(NOMINATION, Optional.of(code), 1000)) {
            ObjectNode nomination = nominations.addObject().put("by", self).put("noticeId", n.id()).put("at", n.createdAt().toString());
            nomination.setAll((ObjectNode) n.body());
            ObjectNode answers = nomination.putObject("answers");
            for (AllianceNotices.Delivery d : notices.deliveries(n.id())) {
                answers.set(d.partner(), d.answer().map(a -> (JsonNode) a).orElse(Json.mapper().createObjectNode()
                        .put("status", "pending").put("attempts", d.attempts())));
            }
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select sender, notice_id::text, received_at, body::text, answer::text from alliance_received
                where kind = 'recognition' and subject = ? order by received_at""")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode nomination = nominations.addObject().put("by", rs.getString(1)).put("noticeId", rs.getString(2))
                            .put("at", rs.getTimestamp(3).toInstant().toString());
                    nomination.setAll((ObjectNode) AllianceNotices.json(rs.getString(4)));
                    nomination.putObject("answers").set(self, AllianceNotices.json(rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the recognitions cannot be read; retry later", e);
        }
        return out;
    }

    /** Whether any recognition of the enterprise exists here (made or received). */
    private boolean known(String uscc) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select exists (select 1 from alliance_notice where kind = 'recognition' and subject = ?)
                    or exists (select 1 from alliance_received where kind = 'recognition' and subject = ?)""")) {
            ps.setString(1, uscc);
            ps.setString(2, uscc);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the recognitions cannot be read; retry later", e);
        }
    }

    private static void withdraw(Connection c, String uscc, String byNode, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into recognition_withdrawal (uscc, by_node, reason) values (?, ?, ?)")) {
            ps.setString(1, uscc);
            ps.setString(2, byNode);
            ps.setString(3, reason);
            ps.executeUpdate();
        }
    }

    private Optional<ObjectNode> withdrawal(String uscc) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select withdrawn_at, by_node, reason from recognition_withdrawal where uscc = ? order by withdrawn_at limit 1")) {
            ps.setString(1, uscc);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Json.mapper().createObjectNode().put("at", rs.getTimestamp(1).toInstant().toString())
                        .put("by", rs.getString(2)).put("reason", rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the recognitions cannot be read; retry later", e);
        }
    }

    private List<String> reasons(String uscc) {
        try (Connection c = database.connection()) {
            return reasons(c, uscc);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the rules cannot be evaluated; retry later", e);
        }
    }

    /** Why this node would not recognise the enterprise under its rules; none: it would. */
    List<String> reasons(Connection c, String uscc) throws SQLException {
        List<String> reasons = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        try (PreparedStatement ps = c.prepareStatement("""
                select (select count(*) from credit_list_entry where uscc = ? and list_type = 'BLACK' and status = 'ACTIVE'
                            and publication_end >= ?)
                     + (select count(*) from credit_record r join subject s on s.id = r.subject_id
                        where s.uscc = ? and r.category = 'blacklist' and r.status = 'ACTIVE'
                          and (r.publication_end is null or r.publication_end >= ?)),
                       (select count(*) from credit_record r join subject s on s.id = r.subject_id
                        where s.uscc = ? and r.category = 'penalty' and r.status = 'ACTIVE' and r.decision_date >= ?)""")) {
            ps.setString(1, uscc);
            ps.setDate(2, Date.valueOf(today));
            ps.setString(3, uscc);
            ps.setDate(4, Date.valueOf(today));
            ps.setString(5, uscc);
            ps.setDate(6, Date.valueOf(today.minusYears(penaltyYears)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    reasons.add("on " + self + "'s black list");
                }
                if (rs.getLong(2) > 0) {
                    reasons.add(rs.getLong(2) + " administrative penalty decision(s) at " + self + " in the last " + penaltyYears + " years");
                }
            }
        }
        return reasons;
    }
}
