package credit.exchange.routes.push;

import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.routes.store.StagedRecords;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outbox: what an import enqueues with its records, who holds a record, what pulling partners
 * take, and what operators read (deliveries by state and destination). The states, as in
 * Domibus: READY (written with its record), QUEUED (handed to the partner's queue), PULLED
 * (taken by a pulling partner, awaiting its acknowledgement), DELIVERED / ACKNOWLEDGED (final:
 * the partner's signed receipt is kept), RETRY_WAIT (an attempt failed; due again at
 * next_attempt_at), DEAD (the retry policy is exhausted; an operator replays it).
 */
public final class Outbox {

    /** One delivery. */
    public record Delivery(long id, long recordId, String destination, String mode, String state,
                           Instant createdAt, LocalDate deadline, int attempts, String lastError) {
    }

    /**
     * The deliveries of new record versions, one per partner subscribed to their category (table
     * push_subscription): the clause the statement storing them runs ({@link StagedRecords#store}),
     * so that a record and its deliveries commit together or not at all. It reads the new versions
     * as {@code inserted} (id, subject_id, decision_date); its one parameter is their category's code.
     */
    public static final String ENQUEUE_NEW_VERSIONS = """
            insert into outbox (record_id, subject_id, destination, mode, deadline)
                select i.id, i.subject_id, ps.destination, ps.mode, i.decision_date + ps.deadline_days
                from inserted i join push_subscription ps on ps.category = ?""";

    /**
     * Who holds records (信用修复, 异议处理 tell them): the partners they were handed to, whatever
     * the delivery's state, and the message ids they went under, in outbox order.
     */
    public record Holders(SortedSet<String> partners, List<String> messageIds) {
    }

    private final Database database;

    public Outbox(Database database) {
        this.database = database;
    }

    /** Who holds the records {@code recordIds}, in the caller's transaction. */
    public static Holders holders(Connection c, String self, List<Long> recordIds) throws SQLException {
        SortedSet<String> partners = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select o.id, o.destination from outbox o where o.record_id = any (?) order by o.id")) {
            ps.setArray(1, c.createArrayOf("bigint", recordIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(PushMessages.messageId(self, rs.getLong(1)));
                    partners.add(rs.getString(2));
                }
            }
        }
        return new Holders(partners, ids);
    }

    /** Deliveries, oldest first; null state or destination: any. */
    public List<Delivery> list(String state, String destination, int limit) {
        String sql = """
                select id, record_id, destination, mode, state, created_at, deadline, attempts, last_error
                from outbox where (?::text is null or state = ?) and (?::text is null or destination = ?)
                order by id limit ?""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state);
            ps.setString(2, state);
            ps.setString(3, destination);
            ps.setString(4, destination);
            ps.setInt(5, limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Date deadline = rs.getDate(7);
                    out.add(new Delivery(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), deadline == null ? null : deadline.toLocalDate(), rs.getInt(8),
                            rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }

    /**
     * A delivery handed to a pulling partner: its outbox id (the number in its message id), the
     * record it carries and that record as the partner receives it (JSON, {@link RecordJoins#RECORD_JSON}).
     */
    public record Pulled(long messageId, long recordId, String recordJson) {
    }

    /**
     * Hands a pulling partner up to {@code max} deliveries, oldest first, and marks them PULLED
     * until {@code visibility} has passed: unacknowledged by then, they are handed out again. A
     * subject's deliveries go out in order: none is handed out while a delivery of the same
     * subject is out and unacknowledged (the few subjects out are looked up first, so the plan
     * does not depend on fresh statistics). Concurrent pulls by replicas take disjoint rows.
     */
    public List<Pulled> pull(String destination, int max, Duration visibility) {
        String sql = """
                with out_now as materialized (
                    select distinct subject_id from outbox
                    where destination = ? and state = 'PULLED' and visible_after > now() and subject_id is not null),
                due as (
                    select o.id from outbox o
                    where o.destination = ? and o.mode = 'PULL' and o.finished_at is null
                      and (o.state = 'READY' or (o.state = 'PULLED' and o.visible_after <= now()))
                      and not exists (select 1 from out_now x where x.subject_id = o.subject_id)
                    order by o.id
                    limit ?
                    for update of o skip locked),
                taken as (
                    update outbox set state = 'PULLED', visible_after = now() + make_interval(secs => ?), attempts = attempts + 1
                    from due where outbox.id = due.id
                    returning outbox.id, outbox.record_id)
                select t.id, t.record_id, %s
                from taken t %s
                order by t.id""".formatted(RecordJoins.RECORD_JSON, RecordJoins.recordAndSubject("t.record_id"));
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, destination);
            ps.setString(2, destination);
            ps.setInt(3, max);
            ps.setDouble(4, visibility.toMillis() / 1000.0);
            List<Pulled> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pulled(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }

    /**
     * Records a pulling partner's acknowledgement of deliveries it was handed, with its signed
     * receipt of the batch that carried them (kept in pull_receipt, referred to by each delivery):
     * ACKNOWLEDGED for good, all or none. Acknowledging again is harmless; a message id this
     * partner was never handed (another partner's, one not yet pulled, or none at all) refuses the
     * whole acknowledgement with E_UNKNOWN_MESSAGE and changes nothing.
     *
     * @param batchId the message id of the answer envelope that carried them
     * @param receipt the partner's signed receipt of that envelope, already verified
     */
    public void acknowledge(String destination, List<Long> messageIds, String batchId, byte[] receipt) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement keep = c.prepareStatement("""
                         insert into pull_receipt (destination, batch_id, receipt) values (?, ?, ?)
                         on conflict (destination, batch_id) do nothing""");
                 PreparedStatement ack = c.prepareStatement("""
                         update outbox set state = 'ACKNOWLEDGED', finished_at = coalesce(finished_at, now()),
                                           visible_after = null, receipt_ref = coalesce(receipt_ref, ?)
                         where id = any (?) and destination = ? and mode = 'PULL' and state in ('PULLED', 'ACKNOWLEDGED')
                         returning id""")) {
                keep.setString(1, destination);
                keep.setString(2, batchId);
                keep.setBytes(3, receipt);
                keep.executeUpdate();
                ack.setString(1, batchId);
                ack.setArray(2, c.createArrayOf("bigint", messageIds.toArray()));
                ack.setString(3, destination);
                java.util.Set<Long> done = new java.util.HashSet<>();
                try (ResultSet rs = ack.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getLong(1));
                    }
                }
                List<Long> unknown = messageIds.stream().filter(id -> !done.contains(id)).distinct().toList();
                if (!unknown.isEmpty()) {
                    c.rollback();
                    throw new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, unknown.size() + " of the acknowledged messages were not"
                            + " handed to " + destination + ", e.g. outbox message " + unknown.get(0) + "; nothing was acknowledged");
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; retry later", e);
        }
    }

    /**
     * Deliveries not final yet (not DELIVERED or ACKNOWLEDGED), grouped by destination, dataset and
     * state: how many, since when the oldest waits, the most attempts one has had and the latest error.
     */
    public record Pending(String destination, String mode, String dataset, String state, long deliveries, Instant oldest,
                          int maxAttempts, String lastError) {
    }

    /** What is still on its way, per destination, dataset and state; a destination, or all (null). */
    public List<Pending> pending(String destination) {
        String sql = """
                select o.destination, o.mode, r.category, o.state, count(*), min(o.created_at), max(o.attempts),
                       (array_agg(o.last_error order by o.id desc) filter (where o.last_error is not null))[1]
                from outbox o %s
                where o.finished_at is null and (?::text is null or o.destination = ?)
                group by o.destination, o.mode, r.category, o.state
                order by o.destination, r.category, o.state""".formatted(RecordJoins.record("o.record_id"));
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, destination);
            ps.setString(2, destination);
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }

    /** How many deliveries per destination and state. */
    public Map<String, Map<String, Long>> counts() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select destination, state, count(*) from outbox group by destination, state")) {
            Map<String, Map<String, Long>> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), d -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }
}
