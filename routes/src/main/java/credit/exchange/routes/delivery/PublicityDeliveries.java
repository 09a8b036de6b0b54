package credit.exchange.routes.delivery;

import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The publicity kind's own operations on the outbox: pull mode, where a partner (the province)
 * takes its deliveries and acknowledges them, and who holds a record. Push mode goes through the
 * engine like every other kind.
 */
public final class PublicityDeliveries {

    /**
     * A delivery handed to a pulling partner: its outbox id (the number in its message id), the
     * record it carries and that record as the partner receives it (JSON, {@link RecordJoins#RECORD_JSON}).
     */
    public record Pulled(long outboxId, long recordId, String recordJson) {
    }

    /** A publicity delivery of a record: its outbox id and where it went. */
    public record Holder(long outboxId, String destination) {
    }

    private final Database database;
    private final Clock clock;

    public PublicityDeliveries(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The publicity deliveries of the records {@code recordIds}, whatever their state, in outbox order, in the caller's transaction. */
    public static List<Holder> holders(Connection c, List<Long> recordIds) throws SQLException {
        List<Holder> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select o.id, o.destination from outbox o where o.kind = 'PUBLICITY' and o.record_id = any (?) order by o.id""")) {
            ps.setArray(1, c.createArrayOf("bigint", recordIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Holder(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * Hands a pulling partner up to {@code max} deliveries, oldest first, and marks them PULLED
     * until {@code visibility} has passed: unacknowledged by then, they are handed out again. A
     * subject's deliveries go out in order: none is handed out while a delivery of the same
     * subject is out and unacknowledged (the few subjects out are looked up first, so the plan
     * does not depend on fresh statistics). Concurrent pulls by replicas take disjoint rows.
     */
    public List<Pulled> handOut(String destination, int max, Duration visibility) {
        String sql = """
                with out_now as materialized (
                    select distinct subject_id from outbox
                    where destination = ? and state = 'PULLED' and visible_after > ? and subject_id is not null),
                due as (
                    select o.id from outbox o
                    where o.destination = ? and o.mode = 'PULL' and o.finished_at is null
                      and (o.state = 'READY' or (o.state = 'PULLED' and o.visible_after <= ?))
                      and not exists (select 1 from out_now x where x.subject_id = o.subject_id)
                    order by o.id
                    limit ?
                    for update of o skip locked),
                taken as (
                    update outbox set state = 'PULLED', visible_after = ?, attempts = attempts + 1
                    from due where outbox.id = due.id
                    returning outbox.id, outbox.record_id)
                select t.id, t.record_id, %s
                from taken t %s
                order by t.id""".formatted(RecordJoins.RECORD_JSON, RecordJoins.recordAndSubject("t.record_id"));
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            var now = clock.instant();
            ps.setString(1, destination);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, destination);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setInt(5, max);
            ps.setTimestamp(6, Timestamp.from(now.plus(visibility)));
            List<Pulled> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pulled(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Deliveries.unavailable("read", e);
        }
    }

    /**
     * Records a pulling partner's acknowledgement of deliveries it was handed, in the caller's
     * transaction (which keeps the partner's signed receipt of the batch, {@code batchId}, that each
     * delivery refers to): ACKNOWLEDGED for good. Acknowledging again is harmless; a delivery this
     * partner was never handed (another partner's, one not yet pulled, or none at all) refuses the
     * whole acknowledgement with E_UNKNOWN_MESSAGE: the caller's transaction must roll back.
     */
    public void acknowledge(Connection c, String destination, List<Long> outboxIds, String batchId) throws SQLException {
        Set<Long> done = new HashSet<>();
        try (PreparedStatement ack = c.prepareStatement("""
                update outbox set state = 'ACKNOWLEDGED', finished_at = coalesce(finished_at, ?),
                                  visible_after = null, receipt_ref = coalesce(receipt_ref, ?)
                where id = any (?) and destination = ? and mode = 'PULL' and state in ('PULLED', 'ACKNOWLEDGED')
                returning id""")) {
            ack.setTimestamp(1, Timestamp.from(clock.instant()));
            ack.setString(2, batchId);
            ack.setArray(3, c.createArrayOf("bigint", outboxIds.toArray()));
            ack.setString(4, destination);
            try (ResultSet rs = ack.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getLong(1));
                }
            }
        }
        List<Long> unknown = outboxIds.stream().filter(id -> !done.contains(id)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, unknown.size() + " of the acknowledged messages were not"
                    + " handed to " + destination + ", e.g. outbox message " + unknown.get(0) + "; nothing was acknowledged");
        }
    }

    /** The push bench's reset (docs/PERFORMANCE.md): every delivery of this outbox to {@code destination} READY again, as if never pulled. */
    public static void readyAgainForBench(Database sender, String destination) throws SQLException {
        try (Connection c = sender.connection(); PreparedStatement ps = c.prepareStatement(
                "update outbox set state = 'READY', finished_at = null, visible_after = null, receipt_ref = null where destination = ?")) {
            ps.setString(1, destination);
            ps.executeUpdate();
        }
    }
}
