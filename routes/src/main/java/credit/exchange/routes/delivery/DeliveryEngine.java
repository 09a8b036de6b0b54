package credit.exchange.routes.delivery;

import credit.exchange.routes.audit.AuditTrail;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one partner-delivery engine (docs/RELIABILITY.md, "Partner deliveries"), with the database
 * as the truth of every delivery's state and the broker as its trigger:
 *
 * <ol>
 *   <li>{@link #relay}: deliveries that are due (READY; RETRY_WAIT whose pause has passed; QUEUED
 *       whose trigger is overdue) are handed to the partner's queue as triggers naming their ids
 *       (one kind per trigger), then committed QUEUED. Killed in between, they are still due and
 *       are relayed again; a duplicate trigger finds them done and does nothing.</li>
 *   <li>{@link #deliver}: a trigger's deliveries that still wait for it are claimed (leased to the
 *       attempt, committed at once), handed to their kind's {@link Courier} for one attempt each
 *       with no transaction open, and recorded in one transaction as the state machine
 *       ({@link Delivery}) decides: DELIVERED with the partner's receipt, RETRY_WAIT after the
 *       kind's {@link RetryPolicy}'s pause, DEAD when it is spent, or READY again for a standing
 *       delivery. Every attempt is kept in outbox_attempt.</li>
 * </ol>
 * A delivery may reach the partner twice (answered, then killed before the commit); it carries
 * the same message id or payload both times, and the receiver keeps it once.
 */
public final class DeliveryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    /** Hands a trigger to a partner's queue; throws if the broker does not take it. */
    @FunctionalInterface
    public interface Trigger {
        void send(String destination, String outboxIds);
    }

    /** What one trigger's attempts ended in. */
    public record Outcome(int delivered, int retrying, int dead) {
        static final Outcome NOTHING = new Outcome(0, 0, 0);
    }

    private final Deliveries deliveries;
    private final Map<DeliveryKind, Courier> couriers = new EnumMap<>(DeliveryKind.class);
    private final Function<String, Optional<Partner>> partners;
    private final Duration requeueAfter;
    private volatile MeterRegistry meters = new SimpleMeterRegistry();

    /**
     * @param requeueAfter how long a QUEUED delivery waits for its trigger before it is relayed again
     *        (the broker lost it): well beyond the partners' answer timeout
     */
    public DeliveryEngine(Deliveries deliveries, List<Courier> couriers, Function<String, Optional<Partner>> partners,
                          Duration requeueAfter) {
        this.deliveries = deliveries;
        couriers.forEach(c -> this.couriers.put(c.kind(), c));
        this.partners = partners;
        this.requeueAfter = requeueAfter;
    }

    /** Where the attempts are counted ({@code gateway.delivery.attempts}: kind, partner, outcome). */
    public void measure(MeterRegistry registry) {
        this.meters = registry;
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    /** Relays up to {@code max} due deliveries; returns how many, by destination. */
    public Map<String, Integer> relay(Trigger trigger, int max) {
        try {
            return deliveries.database().inTransaction(c -> {
                Instant now = deliveries.clock().instant();
                Map<String, Map<DeliveryKind, List<Long>>> due = Deliveries.due(c, now, max);
                if (due.isEmpty()) {
                    return Map.of();
                }
                due.values().forEach(kinds -> kinds.keySet().forEach(CrashPoint.RELAY_BEFORE_SEND::reach));
                Map<String, Integer> relayed = new LinkedHashMap<>();
                List<Long> all = new ArrayList<>();
                for (var byDestination : due.entrySet()) {
                    Optional<Partner> partner = partners.apply(byDestination.getKey());
                    for (var byKind : byDestination.getValue().entrySet()) {
                        int batch = Math.max(1, courier(byKind.getKey()).batch(partner));
                        List<Long> ids = byKind.getValue();
                        for (int from = 0; from < ids.size(); from += batch) {
                            trigger.send(byDestination.getKey(), join(ids.subList(from, Math.min(ids.size(), from + batch))));
                        }
                        all.addAll(ids);
                        relayed.merge(byDestination.getKey(), ids.size(), Integer::sum);
                    }
                }
                due.values().forEach(kinds -> kinds.keySet().forEach(CrashPoint.RELAY_AFTER_SEND::reach));
                Deliveries.queued(c, all, now.plus(requeueAfter));
                return relayed;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be relayed; retry later", e);
        }
    }

    /**
     * Makes one attempt for each delivery a trigger names that still waits for it: claimed with a
     * lease until the relay would take them as lost ({@code requeueAfter}), so that a duplicate
     * trigger, or another replica's, finds them leased or done; attempted with no database
     * connection held; recorded for those whose lease this attempt still holds.
     */
    public Outcome deliver(String destination, List<Long> outboxIds) {
        Instant claimedAt = deliveries.clock().instant();
        // leased until the relay would take them as lost: an attempt that dies leaves them to the relay's requeue
        Instant lease = claimedAt.plus(requeueAfter).truncatedTo(ChronoUnit.MICROS);
        Map<DeliveryKind, List<Courier.Due>> claimed;
        try {
            claimed = deliveries.database().inTransaction(c -> Deliveries.claim(c, destination, outboxIds, claimedAt, lease));
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; the trigger is retried", e);
        }
        if (claimed.isEmpty()) {
            return Outcome.NOTHING;
        }
        // the exchanges hold no database connection: a partner that takes its time holds no one else up
        Optional<Partner> partner = partners.apply(destination);
        Map<DeliveryKind, Map<Long, Courier.Result>> results = new java.util.EnumMap<>(DeliveryKind.class);
        for (var byKind : claimed.entrySet()) {
            results.put(byKind.getKey(), partner.isEmpty() ? Map.of() : courier(byKind.getKey()).attempt(partner.get(), byKind.getValue()));
            if (results.get(byKind.getKey()).values().stream().anyMatch(r -> !(r instanceof Courier.Failed))) {
                CrashPoint.DELIVERY_BEFORE_COMMIT.reach(byKind.getKey());
            }
        }
        Instant now = deliveries.clock().instant();
        try {
            return deliveries.database().inTransaction(c -> {
                List<Deliveries.Change> changes = new ArrayList<>();
                int[] counts = new int[3];
                Map<DeliveryKind, Map<ErrorCode, Integer>> dead = new java.util.EnumMap<>(DeliveryKind.class);
                for (var byKind : claimed.entrySet()) {
                    record(c, destination, partner, courier(byKind.getKey()), byKind.getValue(), results.get(byKind.getKey()), now,
                            changes, counts, dead.computeIfAbsent(byKind.getKey(), k -> new EnumMap<>(ErrorCode.class)));
                }
                Set<Long> recorded = Deliveries.record(c, changes, lease);
                if (recorded.size() < changes.size()) {
                    LOG.info("{} of {} deliveries to {} were claimed again by another attempt once this one's lease had passed;"
                            + " theirs is recorded", changes.size() - recorded.size(), changes.size(), destination);
                }
                for (var byKind : dead.entrySet()) {
                    audit(c, destination, byKind.getKey(), byKind.getValue());
                }
                return new Outcome(counts[0], counts[1], counts[2]);
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; the deliveries are tried again after their lease", e);
        }
    }

    /** The outcome of each of a kind's claimed deliveries, with what a reached one keeps, written in the caller's transaction. */
    private void record(Connection c, String destination, Optional<Partner> partner, Courier courier, List<Courier.Due> due,
                        Map<Long, Courier.Result> results, Instant now, List<Deliveries.Change> changes, int[] counts,
                        Map<ErrorCode, Integer> dead) throws SQLException {
        RetryPolicy policy = courier.policy(partner);
        Courier.Failed lastFailure = null;
        int retrying = 0;
        for (Courier.Due d : due) {
            Courier.Result result = results.getOrDefault(d.id(), partner.isEmpty()
                    ? new Courier.Failed(ErrorCode.E_UNKNOWN_PARTNER, "no configuration for partner " + destination)
                    : new Courier.Failed(ErrorCode.E_UNAVAILABLE, "no attempt was made"));
            Delivery.Step step;
            String receipt = null;
            String outcome;
            if (result instanceof Courier.Reached reached) {
                step = d.delivery().succeeded(now, DeliveryState.DELIVERED);
                receipt = reached.receiptRef();
                reached.keep().in(c);
                counts[0]++;
                outcome = "delivered";
            } else if (result instanceof Courier.Again again) {
                step = d.delivery().again(now, again.at());
                counts[0]++;
                outcome = "done";
            } else {
                Courier.Failed failed = (Courier.Failed) result;
                step = d.delivery().failed(now, failed.code().name(), policy, ThreadLocalRandom.current()::nextDouble);
                if (step.after().state() == DeliveryState.DEAD) {
                    counts[2]++;
                    dead.merge(failed.code(), 1, Integer::sum);
                } else {
                    counts[1]++;
                    retrying++;
                }
                lastFailure = failed;
                outcome = failed.code().name();
            }
            changes.add(new Deliveries.Change(d.id(), step, receipt));
            Counter.builder("gateway.delivery.attempts").description("Partner delivery attempts, by kind, partner and outcome")
                    .tag("kind", courier.kind().name()).tag("partner", destination).tag("outcome", outcome)
                    .register(meters).increment();
        }
        if (retrying > 0) {
            LOG.warn("{} {} deliveries to {} failed, the last with {} ({}); each is tried again after its pause", retrying,
                    courier.kind(), destination, lastFailure.code(), lastFailure.message());
        }
    }

    /** Deliveries gone DEAD: an audit event per last error, written with their state, and an error in the log. */
    private static void audit(Connection c, String destination, DeliveryKind kind, Map<ErrorCode, Integer> dead) throws SQLException {
        for (var spent : dead.entrySet()) {
            // a delivery that stops being tried is a state change no one made: the node's own, audited with it
            AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.SYSTEM, "delivery-engine", AuditEvent.Action.DELIVERY_DEAD)
                    .partner(destination).outcome(spent.getKey())
                    .detail(spent.getValue() + " " + kind + " deliveries DEAD after their retry policy's last attempt;"
                            + " ./gatewayctl outbox replay sends them again").build());
            LOG.error("{} {} deliveries to {} are DEAD after their last attempt failed with {}; replay them with ./gatewayctl outbox replay",
                    spent.getValue(), kind, destination, spent.getKey());
        }
    }

    private Courier courier(DeliveryKind kind) {
        Courier courier = couriers.get(kind);
        if (courier == null) {
            throw new IllegalStateException("no courier carries " + kind + " deliveries on this node");
        }
        return courier;
    }

    /** A trigger's body: the outbox ids, comma-separated. */
    static String join(List<Long> ids) {
        StringBuilder out = new StringBuilder(ids.size() * 8);
        for (Long id : ids) {
            out.append(out.isEmpty() ? "" : ",").append(id);
        }
        return out.toString();
    }

    /** The outbox ids of a trigger's body. */
    public static List<Long> parse(String body) {
        List<Long> ids = new ArrayList<>();
        for (String part : body.split(",")) {
            if (!part.isBlank()) {
                ids.add(Long.parseLong(part.strip()));
            }
        }
        return ids;
    }
}
