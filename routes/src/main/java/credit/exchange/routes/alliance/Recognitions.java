package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.alliance.RecognitionStatement;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Trusted-enterprise mutual recognition (诚信企业互认). A node nominates an enterprise (a red-list
 * entry, an A-grade taxpayer, …) to every alliance partner with its signed statement of the basis
 * and validity ({@link RecognitionStatement}); each partner verifies the statement is the
 * sender's, keeps it, weighs the enterprise against its own rules — not on its black list (a list
 * entry or a black-list record still published), no penalty decided in the last
 * {@code penaltyYears} years, the statement still valid — and answers recognised, or declined with
 * its reasons. When the enterprise enters a black list at any node — an operator's list entry or a
 * department's imported black-list record alike — that node withdraws every recognition of it:
 * its own, and by a withdrawal notice to every alliance partner, each of which withdraws its own.
 */
public final class Recognitions {

    public static final String NOMINATION = "recognition";
    public static final String WITHDRAWAL = "recognition-withdrawal";

    private final Database database;
    private final AllianceNotices notices;
    private final String self;
    private final Envelopes signer;
    private final StatementVerifier trust;
    private final int penaltyYears;
    private final Clock clock;

    /**
     * @param signer this node's envelopes of the suite it signs its statements in
     * @param trust  verifies partners' statements (the alliance CA certificates and CRLs, either suite)
     */
    public Recognitions(Database database, AllianceNotices notices, String self, Envelopes signer, StatementVerifier trust,
                        int penaltyYears, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.self = self;
        this.signer = signer;
        this.trust = trust;
        this.penaltyYears = penaltyYears;
        this.clock = clock;
    }

    /** Nominates an enterprise to the alliance partners with this node's signed statement. */
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
        RecognitionStatement statement = new RecognitionStatement(self, code, partyName.strip(), basis.strip(), validUntil,
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        ObjectNode body = Json.mapper().createObjectNode().put("partyName", statement.partyName()).put("basis", statement.basis())
                .put("validUntil", validUntil.toString()).put("statement", Base64.getEncoder().encodeToString(statement.sign(signer)));
        return notices.issue(NOMINATION, code, body, AllianceNotices.allianceCities(partners), actorKind, actor, Optional.empty());
    }

    /**
     * Withdraws every recognition of an enterprise that entered this node's black list (a list
     * entry, or a black-list record a department imported) since it was last nominated, and is
     * not withdrawn here yet: here, and by a withdrawal notice to every alliance partner, in one
     * transaction each, so that nothing is withdrawn here that the partners are not told of. A
     * black listing older than the nomination is this node's reason to decline it, not to
     * withdraw the others' recognitions. Run whenever a black-list entry is recorded and
     * periodically (imports); returns the notices issued.
     */
    public List<AllianceNotices.Notice> withdrawBlackListed(Collection<Partner> partners, String actorKind, String actor) {
        List<String> to = AllianceNotices.allianceCities(partners);
        List<String> issued = new ArrayList<>();
        try {
            List<String> candidates;
            try (Connection c = database.connection()) {
                candidates = List.copyOf(blackListedSinceNominated(c, Optional.empty()).keySet());
            }
            for (String uscc : candidates) {
                String noticeId = database.inTransaction(c -> {
                    try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('recognition-withdrawal ' || ?))")) {
                        lock.setString(1, uscc);
                        lock.execute(); // two replicas sweeping at once withdraw it once
                    }
                    String reason = blackListedSinceNominated(c, Optional.of(uscc)).get(uscc);
                    if (reason == null) {
                        return null; // withdrawn meanwhile (another replica)
                    }
                    withdraw(c, uscc, self, reason);
                    return to.isEmpty() ? null : notices.issue(c, WITHDRAWAL, uscc, Json.mapper().createObjectNode().put("reason", reason),
                            to, actorKind, actor, Optional.empty());
                });
                if (noticeId != null) {
                    issued.add(noticeId);
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the withdrawal cannot be stored; retry later", e);
        }
        return issued.stream().map(id -> notices.notice(id).orElseThrow()).toList();
    }

    /**
     * Enterprises recognised (nominated here or by a partner), black-listed here since their last
     * nomination and not withdrawn here since, each with the reason: the black listing's deciding
     * authority (or department) and document. All of them, or the one named.
     */
    private Map<String, String> blackListedSinceNominated(Connection c, Optional<String> only) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with nominated as (
                    select uscc, max(at) as latest from (
                        select subject as uscc, created_at as at from alliance_notice where kind = 'recognition'
                        union all select subject, received_at from alliance_received where kind = 'recognition') n
                    where uscc = ? or ?::text is null
                    group by uscc),
                listed as (
                    select n.uscc, n.latest, e.authority || ' ' || e.document_number as why, e.recorded_at as at
                    from nominated n join credit_list_entry e on e.uscc = n.uscc
                    where e.list_type = 'BLACK' and e.status = 'ACTIVE' and e.publication_end >= ? and e.recorded_at >= n.latest
                    union all
                    select n.uscc, n.latest, r.source_department || ' ' || r.document_number, r.ingested_at
                    from nominated n %s
                    where r.category = 'blacklist' and r.status = 'ACTIVE' and (r.publication_end is null or r.publication_end >= ?)
                      and r.ingested_at >= n.latest)
                select distinct on (l.uscc) l.uscc, l.why from listed l
                where not exists (select 1 from recognition_withdrawal w where w.uscc = l.uscc and w.by_node = ? and w.withdrawn_at >= l.latest)
                order by l.uscc, l.at""".formatted(RecordJoins.recordsOfUscc("n.uscc")))) {
            ps.setString(1, only.orElse(null));
            ps.setString(2, only.orElse(null));
            ps.setDate(3, Date.valueOf(LocalDate.now(clock)));
            ps.setDate(4, Date.valueOf(LocalDate.now(clock)));
            ps.setString(5, self);
            Map<String, String> out = new java.util.LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), "black-listed at " + self + " (" + rs.getString(2) + ")");
                }
            }
            return out;
        }
    }

    /** The handlers of the kinds this workflow receives. */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOMINATION, (c, sender, n) -> {
            RecognitionStatement statement = statement(sender, n);
            List<String> reasons = reasons(c, n.subject());
            if (!statement.validOn(LocalDate.now(clock))) {
                reasons.add("the statement's validity ended on " + statement.validUntil());
            }
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
     * The nomination's signed statement, verified as the sender's and as saying what the notice
     * says; refused otherwise (E_SIGNATURE_INVALID, E_FIELD_INVALID, or the certificate's code).
     */
    private RecognitionStatement statement(Partner sender, NoticeReceiver.Received n) {
        byte[] signed;
        try {
            signed = Base64.getDecoder().decode(n.body().path("statement").asText(""));
        } catch (IllegalArgumentException e) {
            signed = new byte[0];
        }
        if (signed.length == 0) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "a nomination carries the nominating node's signed recognition statement");
        }
        RecognitionStatement statement = RecognitionStatement.verify(trust, signed, sender.id());
        if (!statement.uscc().equals(n.subject()) || !statement.partyName().equals(n.body().path("partyName").asText())
                || !statement.basis().equals(n.body().path("basis").asText())
                || !statement.validUntil().toString().equals(n.body().path("validUntil").asText())) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the nomination does not say what its signed statement says");
        }
        return statement;
    }

    /**
     * The enterprise's recognitions as this node sees them: the nominations it made with every
     * partner's answer, those partners made to it with its own answer (each with its signed
     * statement), and where it stands: {@code NONE} (never nominated), {@code WITHDRAWN} (since its
     * last nomination, with when, by which node and why), {@code EXPIRED} (no statement valid
     * today) or {@code IN_FORCE}.
     */
    public ObjectNode status(String uscc) {
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "not a valid USCC");
        }
        ObjectNode out = Json.mapper().createObjectNode().put("uscc", code);
        ArrayNode nominations = Json.mapper().createArrayNode();
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
        Optional<Instant> latest = StreamSupport.stream(nominations.spliterator(), false)
                .map(n -> Instant.parse(n.path("at").asText())).max(Instant::compareTo);
        String today = LocalDate.now(clock).toString();
        boolean valid = StreamSupport.stream(nominations.spliterator(), false)
                .anyMatch(n -> n.path("validUntil").asText().compareTo(today) >= 0);
        Optional<ObjectNode> withdrawal = latest.flatMap(since -> withdrawal(code, since));
        out.put("status", latest.isEmpty() ? "NONE" : withdrawal.isPresent() ? "WITHDRAWN" : valid ? "IN_FORCE" : "EXPIRED");
        withdrawal.ifPresent(w -> out.set("withdrawn", w));
        out.set("nominations", nominations);
        return out;
    }

    private static void withdraw(Connection c, String uscc, String byNode, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into recognition_withdrawal (uscc, by_node, reason) values (?, ?, ?)")) {
            ps.setString(1, uscc);
            ps.setString(2, byNode);
            ps.setString(3, reason);
            ps.executeUpdate();
        }
    }

    /** The first withdrawal of the enterprise's recognitions since it was last nominated, if any. */
    private Optional<ObjectNode> withdrawal(String uscc, Instant since) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select withdrawn_at, by_node, reason from recognition_withdrawal where uscc = ? and withdrawn_at >= ? order by withdrawn_at limit 1")) {
            ps.setString(1, uscc);
            ps.setTimestamp(2, java.sql.Timestamp.from(since));
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
                     + (select count(*) from %1$s
                        where s.uscc = ? and r.category = 'blacklist' and r.status = 'ACTIVE'
                          and (r.publication_end is null or r.publication_end >= ?)),
                       (select count(*) from %1$s
                        where s.uscc = ? and r.category = 'penalty' and r.status = 'ACTIVE' and r.decision_date >= ?)"""
                .formatted(RecordJoins.recordsWithSubject()))) {
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
