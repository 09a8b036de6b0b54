package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.audit.AuditTrail;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditEvent;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Red and black lists (红黑名单) and the joint incentives and punishment built on them (联合奖惩):
 * the initiating node records a list entry and issues a notice (发起) to every alliance partner,
 * with the measures it asks for and when responses are due; each partner acknowledges at once and
 * later responds (响应) with the measures it applied; the initiator tracks who acknowledged, who
 * responded with what, and who is overdue (跟踪问效). When the entry is repaired, withdrawn or
 * reaches its publication end, every partner its notices went to is told it is lifted (a
 * {@code sanction-lift} notice), confirms, and takes no response of it any more.
 *
 * <p>This class runs the workflow: it reads, asks {@link SanctionDecisions} (pure) what to do, and
 * writes in one transaction with the audit event. The entries are kept by {@link ListEntries}, the
 * notices received by {@link ReceivedSanctions}, where the notices went by {@link
 * SanctionDeliveries}; {@link SanctionTracking} is the initiator's view of a notice.
 */
public final class JointSanctions {

    public static final String NOTICE = "sanction";
    public static final String RESPONSE = "sanction-response";
    public static final String LIFT = "sanction-lift";

    /** How a list entry stops being in force: repaired (信用修复), withdrawn by its authority, or past its publication end. */
    public enum Lifted {
        REPAIRED, WITHDRAWN, EXPIRED
    }

    /** How long a black-list entry is published under the repair rules: minor 3 months, general 1 year, serious 3 years. */
    public enum Severity {
        MINOR(Period.ofMonths(3)), GENERAL(Period.ofYears(1)), SERIOUS(Period.ofYears(3));

        private final Period publication;

        Severity(Period publication) {
            this.publication = publication;
        }

        public Period publication() {
            return publication;
        }
    }

    /** A list entry as recorded: red (incentives) or black (punishment), on what basis, by whom, until when it is published. */
    public record ListEntry(String id, String listType, String uscc, String partyName, String legalBasis, String authority,
                            String documentNumber, LocalDate listedOn, LocalDate publicationEnd, Severity severity, String status) {
    }

    /**
     * Where a notice stands at one partner: delivered (acknowledged) or not yet, its response, if
     * any, and once the entry is lifted, when the partner confirmed the lift.
     */
    public record PartnerStatus(String partner, String delivery, int attempts, String lastError, Optional<Instant> acknowledgedAt,
                                Optional<Instant> respondedAt, List<String> measuresApplied, boolean overdue,
                                Optional<Instant> liftConfirmedAt) {
    }

    /** A notice, its list entry's status (ACTIVE, or how it was lifted) and where it stands at every partner. */
    public record Status(AllianceNotices.Notice notice, String entryStatus, List<PartnerStatus> partners, long acknowledged, long responded,
                         long overdue) {
    }

    private final Database database;
    private final AllianceNotices notices;
    private final ListEntries entries;
    private final ReceivedSanctions received;
    private final SanctionTracking tracking;
    private final Clock clock;

    public JointSanctions(Database database, AllianceNotices notices, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.entries = new ListEntries(database);
        this.received = new ReceivedSanctions(database);
        this.tracking = new SanctionTracking(notices, entries, received, clock);
        this.clock = clock;
    }

    /** Records a list entry; its publication ends after the severity's period unless the decision says otherwise. */
    public ListEntry record(String listType, String uscc, String partyName, String legalBasis, String authority, String documentNumber,
                            LocalDate listedOn, Optional<LocalDate> publicationEnd, Severity severity, String by) {
        SanctionDecisions.Listing listing = SanctionDecisions.listing(listType, uscc, partyName, legalBasis, authority, documentNumber,
                listedOn, publicationEnd, severity);
        String id = UUID.randomUUID().toString();
        try {
            database.inTransaction(c -> {
                ListEntries.insert(c, id, listing, by);
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.OPERATOR, by, AuditEvent.Action.LIST).subject("U:" + listing.uscc())
                        .outcome(AuditEvent.Outcome.RECORDED)
                        .detail(listing.listType() + " list entry " + id + " (" + severity + ", " + listing.documentNumber() + ")").build());
                return null;
            });
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, authority + " already listed decision " + documentNumber);
            }
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the list entry cannot be stored; retry later", e);
        }
        return entry(id).orElseThrow();
    }

    public Optional<ListEntry> entry(String id) {
        return entries.find(id);
    }

    /**
     * Issues the joint punishment (black list) or incentive (red list) notice of an entry to the
     * partners named, asking for the measures given, responses due within {@code respondWithin}.
     */
    public AllianceNotices.Notice initiate(String entryId, List<String> measures, Duration respondWithin, Collection<Partner> partners,
                                           String actorKind, String actor) {
        ListEntry entry = entry(entryId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no list entry " + entryId));
        SanctionDecisions.Notice notice = SanctionDecisions.notice(entryId, entry, measures, clock.instant(), respondWithin);
        return notices.issue(NOTICE, entry.uscc(), notice.body(), AllianceNotices.allianceCities(partners), actorKind, actor,
                Optional.of(notice.respondBy()));
    }

    /** At a partner: responds to a notice received from {@code initiator} with the measures applied. */
    public AllianceNotices.Notice respond(String initiator, String noticeId, List<String> measuresApplied, String actorKind, String actor) {
        JsonNode notice = received.notice(initiator, noticeId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND,
                "no joint punishment notice " + noticeId + " from " + initiator));
        ObjectNode body = SanctionDecisions.response(initiator, noticeId, notice, measuresApplied, clock.instant());
        return notices.issue(RESPONSE, notice.path("subject").asText(), body, List.of(initiator), actorKind, actor, Optional.empty());
    }

    /** The joint punishment notices this node received, newest first: sender, notice id, subject, what was asked, when due. */
    public List<JsonNode> receivedNotices(int limit) {
        return received.notices(limit);
    }

    /**
     * Lifts an active list entry — repaired, withdrawn, or past its publication end — and tells
     * every partner any notice of it went to (delivered or still trying) with a lift notice; the
     * status change, its audit event and the notice commit together. Returns the notice, if the
     * entry was ever noticed.
     */
    public Optional<AllianceNotices.Notice> lift(String entryId, Lifted how, String basis, String actorKind, String actor) {
        ListEntry entry = entry(entryId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no list entry " + entryId));
        SanctionDecisions.requireBasis(basis);
        Optional<String> id;
        try {
            id = database.inTransaction(c -> {
                // the update, not the read above, decides whether the entry is still ACTIVE: of two lifts at once, one wins
                String uscc = ListEntries.lift(c, entry.id(), how).orElseThrow(() -> new CodedException(ErrorCode.E_FIELD_INVALID,
                        "list entry " + entryId + " is " + entry.status() + ", not ACTIVE"));
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), actor, AuditEvent.Action.LIST)
                        .subject("U:" + uscc).outcome(AuditEvent.Outcome.named(how.name()))
                        .detail(entry.listType() + " list entry " + entry.id() + " (" + entry.documentNumber() + "): " + basis.strip()).build());
                List<String> noticed = SanctionDeliveries.partnersNoticedOf(c, entry.id());
                if (noticed.isEmpty()) {
                    return Optional.<String>empty();
                }
                ObjectNode body = SanctionDecisions.lift(entry, how, basis);
                return Optional.of(notices.issue(c, LIFT, entry.uscc(), body, noticed, actorKind, actor, Optional.empty()));
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the list entry cannot be lifted; retry later", e);
        }
        return id.flatMap(notices::notice);
    }

    /** Lifts the active entries whose publication ended before today (at most {@code limit}); returns how many. */
    public int expire(int limit) {
        List<ListEntry> ended = entries.endedBefore(LocalDate.now(clock), limit);
        for (ListEntry entry : ended) {
            lift(entry.id(), Lifted.EXPIRED, SanctionDecisions.expiryBasis(entry), "SYSTEM", "publication-expiry");
        }
        return ended.size();
    }

    /** Where a notice this node issued stands at every partner it went to. */
    public Status status(String noticeId) {
        return tracking.status(noticeId);
    }

    /**
     * The handlers of the kinds this workflow receives: a notice is acknowledged (or answered
     * {@code lifted} when its lift came first — the two travel independently); a response is
     * recorded if it answers a notice this node sent its sender about the same enterprise; a lift
     * is confirmed with the number of its notices held here.
     */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOTICE, (c, sender, n) -> SanctionDecisions.acknowledgement(
                        ReceivedSanctions.held(c, sender.id(), LIFT, n.body().path("entryId").asText(""))),
                RESPONSE, (c, sender, n) -> {
                    String respondsTo = SanctionDecisions.respondsTo(n);
                    return SanctionDecisions.responseRecorded(sender.id(), respondsTo, n.subject(),
                            SanctionDeliveries.subjectSentTo(c, sender.id(), respondsTo));
                },
                LIFT, (c, sender, n) -> SanctionDecisions.liftConfirmation(
                        ReceivedSanctions.held(c, sender.id(), NOTICE, SanctionDecisions.liftedEntry(n))));
    }
}
