package credit.exchange.routes.delivery;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The partner deliveries' table, {@code outbox} (with its attempts, {@code outbox_attempt}), as the
 * engine and the flows use it: every kind enqueues here, the engine claims and records here, a
 * flow reads its deliveries' state here. Operators' reads and replays are {@link Outbox}'s; the two
 * (with {@link PublicityDeliveries}) are the only classes naming these tables. Times come from the
 * injected clock and go into SQL as parameters.
 */
public final class Deliveries {

    /**
     * The publicity deliveries of new record versions, one per partner subscribed to their category:
     * the clause the statement storing them runs, so that a record and its deliveries commit
     * together or not at all. It reads the new versions as {@code inserted} (id, subject_id,
     * decision_date); {@code subscribed} is the push flow's query of who takes them (destination,
     * mode, deadline_days).
     */
    public static String enqueuePublicity(String subscribed) {
        return """
                insert into outbox (kind, record_id, subject_id, destination, mode, deadline)
                    select 'PUBLICITY', i.id, i.subject_id, s.destination, s.mode, i.decision_date + s.deadline_days
                    from inserted i cross join (%s) s""".formatted(subscribed);
    }

    /** One delivery of a payload, as its flow shows it (a notice's status per partner). */
    public record OfPayload(long id, String destination, String payloadRef, DeliveryState state, int attempts, Instant createdAt,
                            Instant nextAttemptAt, String lastError, Optional<Instant> finishedAt) {
    }

    /** A destination's unfinished deliveries of one kind: how many, since when the oldest waits, the last error. */
    public record Unfinished(long deliveries, Instant oldestSince, Optional<String> lastError) {
    }

    private final Database database;
    private final Clock clock;

    public Deliveries(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Enqueues one delivery of {@code kind} carrying {@code payloadRef} to each destination, in the
     * caller's transaction, due at {@code now}. A destination that already has it (the same kind
     * and payload) keeps the one it has: enqueueing is idempotent.
     */
    public static void enqueue(Connection c, DeliveryKind kind, Collection<String> destinations, String payloadRef, Instant now)
            throws SQLException {
        if (kind == DeliveryKind.PUBLICITY) {
            throw new IllegalArgumentException("publicity deliveries are enqueued with their records (enqueuePublicity)");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into outbox (kind, payload_ref, destination, mode, created_at, next_attempt_at)
                select ?, ?, d, 'PUSH', ?, ? from unnest(?::text[]) as d
                on conflict (kind, destination, payload_ref) where kind <> 'PUBLICITY' do nothing""")) {
            Timestamp at = Timestamp.from(now);
            ps.setString(1, kind.name());
            ps.setString(2, payloadRef);
            ps.setTimestamp(3, at);
            ps.setTimestamp(4, at);
            ps.setArray(5, c.createArrayOf("text", destinations.toArray()));
            ps.executeUpdate();
        }
    }

    /** As {@link #enqueue(Connection, DeliveryKind, Collection, String, Instant)}, in a transaction of its own, now. */
    public void enqueue(DeliveryKind kind, Collection<String> destinations, String payloadRef) {
        try {
            database.inTransaction(c -> {
                enqueue(c, kind, destinations, payloadRef, clock.instant());
                return null;
            });
        } catch (SQLException e) {
            throw unavailable("written", e);
        }
    }

    /** Where the engine's deliveries (mode PUSH) due at {@code now} go, by destination and kind, up to {@code max}, locked. */
    static Map<String, Map<DeliveryKind, List<Long>>> due(Connection c, Instant now, int max) throws SQLException {
        Map<String, Map<DeliveryKind, List<Long>>> due = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, destination, kind from outbox
                where mode = 'PUSH' and finished_at is null and next_attempt_at <= ?
                  and state in ('READY', 'QUEUED', 'RETRY_WAIT')
                order by next_attempt_at, id
                limit ?
                for update skip locked""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.computeIfAbsent(rs.getString(2), d -> new java.util.EnumMap<>(DeliveryKind.class))
                            .computeIfAbsent(DeliveryKind.valueOf(rs.getString(3)), k -> new ArrayList<>()).add(rs.getLong(1));
                }
            }
        }
        return due;
    }

    /** The relayed deliveries are QUEUED: due again at {@code until} if no attempt follows (the broker lost the trigger). */
    static void queued(Connection c, List<Long> ids, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update outbox set state = 'QUEUED', next_attempt_at = ? where id = any (?)")) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Claims the deliveries a trigger names that are still waiting for it (QUEUED; or READY or
     * RETRY_WAIT and due at {@code now}: a standing pull's next turn is not brought forward by a
     * stale trigger) and that no attempt holds, by kind: each is leased to this
     * attempt until {@code lease} (kept in {@code visible_after}, and as the next time it is due, so
     * that an attempt that dies is relayed again once its lease has passed). The others were
     * delivered, or are being, by another trigger. A trigger that arrives before the relay's commit
     * waits for it on the rows' locks. The caller commits at once: no transaction is held during
     * the exchanges.
     */
    static Map<DeliveryKind, List<Courier.Due>> claim(Connection c, String destination, List<Long> ids, Instant now, Instant lease)
            throws SQLException {
        Map<DeliveryKind, List<Courier.Due>> claimed = new java.util.EnumMap<>(DeliveryKind.class);
        try (PreparedStatement ps = c.prepareStatement("""
                with waiting as (
                    select id, kind, payload_ref, record_id, deadline, state, attempts, retry_base, next_attempt_at, last_error
                    from outbox
                    where id = any (?) and destination = ? and mode = 'PUSH'
                      and (state = 'QUEUED' or (state in ('READY', 'RETRY_WAIT') and next_attempt_at <= ?))
                      and (visible_after is null or visible_after <= ?)
                    for update),
                leased as (
                    update outbox o set visible_after = ?, next_attempt_at = ? from waiting w where o.id = w.id)
                select * from waiting order by id""")) {
            Timestamp at = Timestamp.from(now);
            Timestamp until = Timestamp.from(lease);
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setString(2, destination);
            ps.setTimestamp(3, at);
            ps.setTimestamp(4, at);
            ps.setTimestamp(5, until);
            ps.setTimestamp(6, until);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Date deadline = rs.getDate(5);
                    long recordId = rs.getLong(4);
                    Long record = rs.wasNull() ? null : recordId;
                    Delivery delivery = new Delivery(DeliveryState.valueOf(rs.getString(6)), rs.getInt(7), rs.getInt(8),
                            instant(rs.getTimestamp(9)), rs.getString(10));
                    claimed.computeIfAbsent(DeliveryKind.valueOf(rs.getString(2)), k -> new ArrayList<>()).add(new Courier.Due(
                            rs.getLong(1), destination, rs.getString(3), record, deadline == null ? null : deadline.toLocalDate(), delivery));
                }
            }
        }
        return claimed;
    }

    /** A delivery's state after a transition, with the attempt it records and the evidence of a reached one. */
    record Change(long id, Delivery.Step step, String receiptRef) {
    }

    /**
     * Writes the deliveries' new states and their attempts, in the caller's transaction, for those
     * this attempt still holds by its {@code lease} (one whose lease passed may have been claimed
     * again: that attempt records it); returns the ids recorded.
     */
    static java.util.Set<Long> record(Connection c, List<Change> changes, Instant lease) throws SQLException {
        int n = changes.size();
        Object[] ids = new Object[n];
        String[] states = new String[n];
        Object[] attempts = new Object[n];
        Object[] bases = new Object[n];
        Timestamp[] next = new Timestamp[n];
        String[] errors = new String[n];
        String[] receipts = new String[n];
        Timestamp[] finished = new Timestamp[n];
        List<Object[]> tried = new ArrayList<>();
        java.util.Set<Long> recorded = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            Change change = changes.get(i);
            Delivery after = change.step().after();
            ids[i] = change.id();
            states[i] = after.state().name();
            attempts[i] = after.attempts();
            bases[i] = after.retryBase();
            next[i] = after.state() == DeliveryState.DEAD ? null : Timestamp.from(after.nextAttemptAt());
            errors[i] = after.lastError();
            receipts[i] = change.receiptRef();
            finished[i] = after.state().reached() ? Timestamp.from(after.nextAttemptAt()) : null;
            change.step().attempt().ifPresent(a -> tried.add(new Object[] {change.id(), a.number(), Timestamp.from(a.at()), a.outcome()}));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update outbox o set state = v.state, attempts = v.attempts, retry_base = v.retry_base,
                    next_attempt_at = coalesce(v.next_at, 'infinity'::timestamptz), last_error = v.last_error,
                    receipt_ref = coalesce(v.receipt_ref, o.receipt_ref), finished_at = v.finished_at, visible_after = null
                from unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::timestamptz[], ?::text[], ?::text[], ?::timestamptz[])
                    as v (id, state, attempts, retry_base, next_at, last_error, receipt_ref, finished_at)
                where o.id = v.id and o.visible_after = ?
                returning o.id""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", states));
            ps.setArray(3, c.createArrayOf("int4", attempts));
            ps.setArray(4, c.createArrayOf("int4", bases));
            ps.setArray(5, c.createArrayOf("timestamptz", next));
            ps.setArray(6, c.createArrayOf("text", errors));
            ps.setArray(7, c.createArrayOf("text", receipts));
            ps.setArray(8, c.createArrayOf("timestamptz", finished));
            ps.setTimestamp(9, Timestamp.from(lease));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recorded.add(rs.getLong(1));
                }
            }
        }
        tried.removeIf(t -> !recorded.contains((Long) t[0]));
        if (tried.isEmpty()) {
            return recorded;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into outbox_attempt (outbox_id, attempt, at, outcome)
                select * from unnest(?::bigint[], ?::int[], ?::timestamptz[], ?::text[])""")) {
            ps.setArray(1, c.createArrayOf("bigint", tried.stream().map(t -> t[0]).toArray()));
            ps.setArray(2, c.createArrayOf("int4", tried.stream().map(t -> t[1]).toArray()));
            ps.setArray(3, c.createArrayOf("timestamptz", tried.stream().map(t -> t[2]).toArray()));
            ps.setArray(4, c.createArrayOf("text", tried.stream().map(t -> t[3]).toArray()));
            ps.executeUpdate();
        }
        return recorded;
    }

    /** The deliveries of {@code kind} carrying any of {@code payloadRefs}, by payload then destination, in the caller's transaction. */
    public static List<OfPayload> ofPayloads(Connection c, DeliveryKind kind, Collection<String> payloadRefs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id, destination, payload_ref, state, attempts, created_at, next_attempt_at, last_error, finished_at
                from outbox where kind = ? and payload_ref = any (?) order by payload_ref, destination""")) {
            ps.setString(1, kind.name());
            ps.setArray(2, c.createArrayOf("text", payloadRefs.toArray()));
            List<OfPayload> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OfPayload(rs.getLong(1), rs.getString(2), rs.getString(3), DeliveryState.valueOf(rs.getString(4)),
                            rs.getInt(5), rs.getTimestamp(6).toInstant(), instant(rs.getTimestamp(7)), rs.getString(8),
                            Optional.ofNullable(rs.getTimestamp(9)).map(Timestamp::toInstant)));
                }
            }
            return out;
        }
    }

    /** Per destination, its unfinished deliveries of {@code kind} (destinations with none are left out). */
    public Map<String, Unfinished> unfinished(DeliveryKind kind) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select destination, count(*), min(created_at),
                       (array_agg(last_error order by next_attempt_at desc) filter (where last_error is not null))[1]
                from outbox where kind = ? and finished_at is null group by destination""")) {
            ps.setString(1, kind.name());
            Map<String, Unfinished> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Unfinished(rs.getLong(2), rs.getTimestamp(3).toInstant(), Optional.ofNullable(rs.getString(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
    }

    private static Instant instant(Timestamp t) {
        // 'infinity' (a DEAD delivery's next attempt) reads as a far date
        return t == null ? Instant.MAX : t.toInstant();
    }

    static CodedException unavailable(String how, SQLException e) {
        return new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be " + how + "; retry later", e);
    }
}
