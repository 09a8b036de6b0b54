package credit.exchange.routes.partnerstatus;

import credit.exchange.routes.alliance.AllianceNotices;
import credit.exchange.routes.audit.AuditSearch;
import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.countersign.Countersignatures;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.delivery.Outbox;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.store.Database;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's view of every partner in the partner directory: enabled, reachable (from how this
 * node's last exchange with it ended: no probe is sent), the last exchange each way, recent
 * failures, what still waits for it (outbox deliveries, unanswered alliance notices) and how far it
 * has countersigned this node's audit checkpoints. Everything comes from the database, so the API
 * and {@code gatewayctl partners status} on the node's host say the same. Partners needing
 * attention (unreachable) come first.
 */
public final class PartnerStatus {

    /** How far back the audit trail is searched for the last envelope a partner sent us. */
    public static final Duration RECEIVED_LOOK_BACK = Duration.ofHours(24);
    /** The window of {@link Failures#lastHour()}. */
    public static final Duration FAILURE_WINDOW = Duration.ofHours(1);

    /**
     * Whether the partner's exchange listener answered this node's last exchange with it: REACHABLE
     * (it answered, even with a coded refusal), UNREACHABLE (no connection, no answer in time, or
     * not a valid answer from that partner), UNKNOWN (this node has sent it nothing yet).
     */
    public enum Reachability { UNREACHABLE, REACHABLE, UNKNOWN }

    /** The outcomes that mean the partner itself did not answer, as opposed to answering with a refusal. */
    private static final Set<String> NOT_ANSWERED = Set.of(ErrorCode.E_PARTNER_UNREACHABLE.name(), ErrorCode.E_TIMEOUT.name(),
            ErrorCode.E_BAD_ANSWER.name(), ErrorCode.E_CERT_UNTRUSTED.name(), ErrorCode.E_UNAVAILABLE.name());

    /** One exchange: when, its type, and how it ended (ANSWERED, or an error code; REFUSED ones we received carry the code). */
    public record LastExchange(Instant at, String type, String outcome) {
    }

    /** Failed exchanges this node started: in the last hour, and the last one's code and time. */
    public record Failures(long lastHour, Optional<String> lastError, Optional<Instant> lastErrorAt) {
    }

    /**
     * What still waits for the partner: outbox deliveries not yet delivered or acknowledged
     * (READY, QUEUED, PULLED, RETRY_WAIT), those given up (DEAD, an operator replays them), and
     * alliance notices it has not answered, since when the oldest waits, with its last error.
     */
    public record Pending(long outbox, long outboxDead, long notices, Optional<Instant> noticesSince, Optional<String> noticesLastError) {
    }

    /** Our signed checkpoints awaiting the partner's countersignature, since when the oldest waits, and when it last countersigned one. */
    public record Countersigning(long awaiting, Optional<Instant> oldestSince, Optional<Instant> lastAt) {
    }

    /** One partner's line; a disabled partner is asked for no countersignature, and has no countersigning. */
    public record Line(String partner, String name, String level, boolean enabled, Reachability reachable,
                       Optional<LastExchange> lastSent, Optional<Instant> lastAnswered, Optional<LastExchange> lastReceived,
                       Failures failures, Pending pending, Optional<Countersigning> countersignatures) {
    }

    /** The view: this node, when it was computed, and one line per partner. */
    public record Report(String node, Instant at, List<Line> partners) {
    }

    private static final Set<String> OUTBOX_PENDING = Set.of("READY", "QUEUED", "PULLED", "RETRY_WAIT");

    private final String self;
    private final PartnerDirectory partners;
    private final SentExchanges sent;
    private final AuditSearch trail;
    private final Outbox outbox;
    private final AllianceNotices notices;
    private final Database database;
    private final Clock clock;

    public PartnerStatus(String self, PartnerDirectory partners, Database database, Clock clock) {
        this.self = self;
        this.partners = partners;
        this.sent = new SentExchanges(database);
        this.trail = new AuditSearch(database, self);
        this.outbox = new Outbox(database, clock);
        this.notices = new AllianceNotices(database, clock);
        this.database = database;
        this.clock = clock;
    }

    public Report report() {
        Instant now = clock.instant();
        List<Partner> all = new ArrayList<>(partners.all());
        List<String> ids = all.stream().map(Partner::id).toList();
        Map<String, SentExchanges.Outcomes> outcomes = sent.outcomes(ids, now.minus(FAILURE_WINDOW));
        Map<String, Map<String, Long>> deliveries = outbox.counts(DeliveryKind.PUBLICITY);
        Map<String, AllianceNotices.Unanswered> unanswered = notices.unansweredByPartner();
        Map<String, CheckpointWitnesses.Witness> witnessed = new java.util.HashMap<>();
        Countersignatures.witnesses(database, all).forEach(w -> witnessed.put(w.partner(), w));
        List<Line> lines = new ArrayList<>();
        for (Partner p : all) {
            SentExchanges.Outcomes o = outcomes.get(p.id());
            Optional<LastExchange> lastSent = o.last().map(s -> new LastExchange(s.at(), s.exchangeType(), s.outcome()));
            Map<String, Long> states = deliveries.getOrDefault(p.id(), Map.of());
            Optional<AllianceNotices.Unanswered> waiting = Optional.ofNullable(unanswered.get(p.id()));
            Optional<CheckpointWitnesses.Witness> witness = Optional.ofNullable(witnessed.get(p.id()));
            lines.add(new Line(p.id(), p.name(), p.level().configName(), p.enabled(), reachability(lastSent.map(LastExchange::outcome)),
                    lastSent, o.lastAnswered(), lastReceived(p.id(), now),
                    new Failures(o.failuresSince(), o.lastFailure().map(SentExchanges.Sent::outcome), o.lastFailure().map(SentExchanges.Sent::at)),
                    new Pending(states.entrySet().stream().filter(e -> OUTBOX_PENDING.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum(),
                            states.getOrDefault("DEAD", 0L), waiting.map(AllianceNotices.Unanswered::deliveries).orElse(0L),
                            waiting.map(AllianceNotices.Unanswered::oldestSince), waiting.flatMap(AllianceNotices.Unanswered::lastError)),
                    witness.map(w -> new Countersigning(w.awaiting(), w.oldestAwaitingSince(), w.lastCountersignedAt()))));
        }
        lines.sort(ATTENTION_FIRST);
        return new Report(self, now, List.copyOf(lines));
    }

    /** Unreachable enabled partners first, disabled ones last; by id within each. */
    static final Comparator<Line> ATTENTION_FIRST = Comparator.<Line>comparingInt(l -> !l.enabled() ? 2
                    : l.reachable() == Reachability.UNREACHABLE ? 0 : 1)
            .thenComparing(Line::partner);

    /** How the last exchange's outcome reads as reachability; a partner's coded refusal is an answer. */
    static Reachability reachability(Optional<String> lastOutcome) {
        return lastOutcome.map(o -> NOT_ANSWERED.contains(o) ? Reachability.UNREACHABLE : Reachability.REACHABLE)
                .orElse(Reachability.UNKNOWN);
    }

    /** The last envelope the partner sent us within the look-back: the audit trail's last exchange.in event for it. */
    private Optional<LastExchange> lastReceived(String partner, Instant now) {
        List<AuditRecord> events = trail.search(new AuditSearch.Criteria(now.minus(RECEIVED_LOOK_BACK), now.plusSeconds(60), partner, null,
                "exchange.in", null), Optional.empty(), 1).events();
        return events.stream().findFirst().map(e -> new LastExchange(e.at(), e.detail(),
                "ANSWERED".equals(e.outcome()) || e.reason() == null ? e.outcome() : e.reason()));
    }
}
