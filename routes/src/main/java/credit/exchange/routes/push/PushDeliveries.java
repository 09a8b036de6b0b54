package credit.exchange.routes.push;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import credit.exchange.routes.delivery.Delivery;
import credit.exchange.routes.delivery.DeliveryState;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivering half of push mode (the national double-publicity push), with the database as
 * the truth of every delivery's state and the broker as its trigger:
 *
 * <ol>
 *   <li>{@link #relay}: deliveries that are due (READY; RETRY_WAIT whose backoff has passed;
 *       QUEUED whose trigger is overdue) are handed to the partner's queue as a trigger naming
 *       their ids, then committed QUEUED. Killed in between, they are still due and are relayed
 *       again; a duplicate trigger finds them delivered and does nothing.</li>
 *   <li>{@link #deliver}: a trigger's deliveries that are still READY or QUEUED are locked, sent
 *       in one sealed exchange, and committed DELIVERED with the partner's verified receipt, or
 *       with the attempt's error code RETRY_WAIT after the partner's retry policy's pause, or DEAD
 *       when it is spent, as the delivery engine's state machine ({@link Delivery}) decides. Every attempt is kept in outbox_attempt.</li>
 *   <li>{@link #replay}: an operator sends DEAD deliveries again, with a new round of retries.</li>
 * </ol>
 * A delivery may reach the partner twice (answered, then killed before the commit); it carries
 * the same message id both times, and the receiver keeps it once.
 */
public final class PushDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(PushDeliveries.class);

    /** Hands a trigger to a partner's queue; throws if the broker does not take it. */
    @FunctionalInterface
    public interface Trigger {
        void send(String destination, String outboxIds);
    }

    /** What one delivery attempt ended in. */
    public record Outcome(int delivered, int retrying, int dead, Optional<ErrorCode> error) {
        static final Outcome NOTHING = new Outcome(0, 0, 0, Optional.empty());
    }

    private final String self;
    private final Database database;
    private final Function<String, Optional<Partner>> partners;
    private final PartnerClient client;
    private final Duration requeueAfter;

    /**
     * @param requeueAfter how long a QUEUED delivery waits for its trigger before it is relayed again
     *        (the broker lost it): well beyond the partner's answer timeout
     */
    public PushDeliveries(String self, Database database, Function<String, Optional<Partner>> partners, PartnerClient client,
                          Duration requeueAfter) {
        this.self = self;
        this.database = database;
        this.partners = partners;
        this.client = client;
        this.requeueAfter = requeueAfter;
    }

    /** Relays up to {@code max} due deliveries; returns how many, by destination. */
    public Map<String, Integer> relay(Trigger trigger, int max) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                Map<String, List<Long>> due = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        select id, destination from outbox
                        where mode = 'PUSH' and finished_at is null and next_attempt_at <= now()
                          and state in ('READY', 'QUEUED', 'RETRY_WAIT')
                        order by next_attempt_at, id
                        limit ?
                        for update skip locked""")) {
                    ps.setInt(1, max);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.computeIfAbsent(rs.getString(2), d -> new ArrayList<>()).add(rs.getLong(1));
                        }
                    }
                }
                if (!due.isEmpty()) {
                    CrashPoint.RELAY_BEFORE_SEND.reach();
                }
                Map<String, Integer> relayed = new LinkedHashMap<>();
                for (var e : due.entrySet()) {
                    int batch = partners.apply(e.getKey()).flatMap(Partner::push).map(Partner.Push::maxBatch)
                            .orElse(Partner.Push.DEFAULT_MAX_BATCH);
                    List<Long> ids = e.getValue();
                    for (int from = 0; from < ids.size(); from += batch) {
                        trigger.send(e.getKey(), join(ids.subList(from, Math.min(ids.size(), from + batch))));
                    }
                    relayed.put(e.getKey(), ids.size());
                }
                if (!due.isEmpty()) {
                    CrashPoint.RELAY_AFTER_SEND.reach();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        update outbox set state = 'QUEUED', next_attempt_at = now() + make_interval(secs => ?)
                        where id = any (?)""")) {
                    ps.setDouble(1, requeueAfter.toMillis() / 1000.0);
                    ps.setArray(2, c.createArrayOf("bigint", due.values().stream().flatMap(List::stream).toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                return relayed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be relayed; retry later", e);
        }
    }

    /**
     * Delivers the deliveries a trigger names that are still waiting for it (READY or QUEUED; or
     * RETRY_WAIT and due, as the relay saw them: the trigger can arrive before the relay's commit,
     * and then this waits for that commit); the others were delivered, or are being, by another
     * trigger. Holds their rows locked during the exchange, so that a duplicate trigger waits and
     * then finds them done.
     */
    public Outcome deliver(String destination, List<Long> outboxIds) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Delivery> states = new ArrayList<>();
                List<PushMessages.Delivery> batch = new ArrayList<>();
                java.time.Instant now = null;
                try (PreparedStatement ps = c.prepareStatement("""
                        select o.id, o.deadline, r.category, %s, o.state, o.attempts, o.retry_base, o.next_attempt_at, now()
                        from outbox o %s
                        where o.id = any (?) and o.destination = ? and o.mode = 'PUSH'
                          and (o.state in ('READY', 'QUEUED') or (o.state = 'RETRY_WAIT' and o.next_attempt_at <= now()))
                        order by o.id
                        for update of o""".formatted(RecordJoins.RECORD_JSON, RecordJoins.recordAndSubject("o.record_id")))) {
                    ps.setArray(1, c.createArrayOf("bigint", outboxIds.toArray()));
                    ps.setString(2, destination);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            states.add(new Delivery(DeliveryState.valueOf(rs.getString(5)), rs.getInt(6), rs.getInt(7),
                                    rs.getTimestamp(8).toInstant(), null));
                            now = rs.getTimestamp(9).toInstant();
                            java.sql.Date deadline = rs.getDate(2);
                            batch.add(new PushMessages.Delivery(PushMessages.messageId(self, rs.getLong(1)),
                                    deadline == null ? null : deadline.toLocalDate(), rs.getString(3), rs.getString(4)));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.commit();
                    return Outcome.NOTHING;
                }
                Optional<Partner> partner = partners.apply(destination);
                Outcome outcome;
                try {
                    PartnerClient.Answered answered = client.exchange(partner.orElseThrow(() -> new CodedException(
                            ErrorCode.E_UNKNOWN_PARTNER, "no configuration for partner " + destination)),
                            Partner.ExchangeType.PUBLICITY, PushMessages.batch(batch));
                    CrashPoint.DELIVERY_BEFORE_COMMIT.reach();
                    delivered(c, ids, answered.receipt().messageId());
                    outcome = new Outcome(ids.size(), 0, 0, Optional.empty());
                } catch (CodedException e) {
                    RetryPolicy policy = RetryPolicy.of(partner.flatMap(Partner::push).map(Partner.Push::retry)
                            .orElse(Partner.DeliveryRetry.DEFAULT));
                    outcome = failed(c, ids, states, now, e.code(), policy);
                    if (outcome.dead() > 0) {
                        LOG.error("{} deliveries to {} are DEAD after their last attempt failed with {}: {}; "
                                + "replay them with ./gatewayctl outbox replay", outcome.dead(), destination, e.code(), e.getMessage());
                    } else {
                        LOG.warn("delivery of {} records to {} failed with {} ({}); retried after backoff",
                                ids.size(), destination, e.code(), e.getMessage());
                    }
                }
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; the trigger is retried", e);
        }
    }

    private static void delivered(Connection c, List<Long> ids, String exchangeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with done as (
                    update outbox set state = 'DELIVERED', finished_at = now(), attempts = attempts + 1, last_error = null,
                                      receipt_ref = ?
                    where id = any (?)
                    returning id, attempts)
                insert into outbox_attempt (outbox_id, attempt, at, outcome) select id, attempts, now(), 'OK' from done""")) {
            ps.setString(1, exchangeId);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Each delivery's next state after a failed attempt, as the delivery engine's state machine
     * decides it at {@code now} (the database's time of this transaction, as the relay's due test
     * uses): RETRY_WAIT for the policy's pause with jitter, or DEAD when its round is spent.
     */
    private static Outcome failed(Connection c, List<Long> ids, List<Delivery> states, java.time.Instant now, ErrorCode code,
                                  RetryPolicy policy) throws SQLException {
        int retrying = 0;
        int dead = 0;
        String[] next = new String[ids.size()];
        java.sql.Timestamp[] due = new java.sql.Timestamp[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            Delivery after = states.get(i).failed(now, code.name(), policy, java.util.concurrent.ThreadLocalRandom.current()::nextDouble).after();
            next[i] = after.state().name();
            due[i] = after.state() == DeliveryState.DEAD ? null : java.sql.Timestamp.from(after.nextAttemptAt());
            if (after.state() == DeliveryState.DEAD) {
                dead++;
            } else {
                retrying++;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                with failed as (
                    update outbox o set attempts = o.attempts + 1, last_error = ?, state = v.state,
                        next_attempt_at = coalesce(v.due, 'infinity'::timestamptz)
                    from unnest(?::bigint[], ?::text[], ?::timestamptz[]) as v (id, state, due)
                    where o.id = v.id
                    returning o.id, o.attempts)
                insert into outbox_attempt (outbox_id, attempt, at, outcome) select id, attempts, ?, ? from failed""")) {
            ps.setString(1, code.name());
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(3, c.createArrayOf("text", next));
            ps.setArray(4, c.createArrayOf("timestamptz", due));
            ps.setTimestamp(5, java.sql.Timestamp.from(now));
            ps.setString(6, code.name());
            ps.executeUpdate();
        }
        return new Outcome(0, retrying, dead, Optional.of(code));
    }

    /** As {@link #replay(Optional, String)}, by the operator on the node's host. */
    public int replay(Optional<Long> outboxId) {
        return replay(outboxId, "operator");
    }

    /**
     * Sends DEAD deliveries again, with a new round of the retry policy: one ({@code outboxId}),
     * or all of them (empty). Returns how many; a named delivery that is not DEAD is refused. The
     * replay is an audit event ({@code outbox.replay}) naming the operator, written with it.
     */
    public int replay(Optional<Long> outboxId, String operator) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Integer> byDestination = new java.util.TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        update outbox set state = 'READY', retry_base = attempts, next_attempt_at = now()
                        where state = 'DEAD' and (?::bigint is null or id = ?)
                        returning destination""")) {
                    ps.setObject(1, outboxId.orElse(null), java.sql.Types.BIGINT);
                    ps.setObject(2, outboxId.orElse(null), java.sql.Types.BIGINT);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byDestination.merge(rs.getString(1), 1, Integer::sum);
                        }
                    }
                }
                int n = byDestination.values().stream().mapToInt(Integer::intValue).sum();
                if (outboxId.isPresent() && n == 0) {
                    throw new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, "outbox delivery " + outboxId.get()
                            + " is not DEAD (see ./gatewayctl outbox list --state DEAD)");
                }
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.OPERATOR, operator, AuditEvent.Action.OUTBOX_REPLAY)
                        .partner(byDestination.size() == 1 ? byDestination.keySet().iterator().next() : null)
                        .outcome(AuditEvent.Outcome.REPLAYED)
                        .detail(n + " DEAD deliveries replayed" + outboxId.map(id -> " (outbox delivery " + id + ")").orElse(" (all)")
                                + (byDestination.isEmpty() ? "" : ", per destination " + byDestination)).build());
                c.commit();
                if (n > 0) {
                    LOG.info("{} DEAD deliveries replayed by {}", n, operator);
                }
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; retry later", e);
        }
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
