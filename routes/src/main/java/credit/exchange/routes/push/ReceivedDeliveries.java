package credit.exchange.routes.push;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records other nodes handed to this one (table received_delivery): pulled from a city's outbox
 * or delivered as double publicity. Each message id is kept once, however often it arrives: a
 * batch pulled again after a lost acknowledgement, or delivered again after a lost answer,
 * changes nothing. Each delivery names the envelope it is held from (table received_batch),
 * with the receipt this node signed for that envelope: the evidence its sender holds of it.
 */
public final class ReceivedDeliveries {

    /** What storing a batch did. */
    public record Stored(int stored, int alreadyHeld) {
    }

    /**
     * The envelope that carried deliveries, with this node's signed receipt of it.
     *
     * @param batchId the envelope's message id (a pull's answer; a publicity delivery's request)
     * @param receipt the receipt, or null while it is not made yet (a publicity delivery's, made after the answer)
     */
    public record Batch(String batchId, byte[] receipt) {
    }

    /**
     * One delivery held, as an operator lists them: where it came from, and the record as received
     * (JSON, written as it is).
     *
     * @param batch the message id of the envelope it is held from
     * @param acknowledgedAt when the sender took this node's receipt of that envelope
     * @param receipt that receipt (base64 CMS)
     * @param withdrawn whether its sender withdrew it since (no longer served)
     */
    public record Held(String messageId, String category, Instant receivedAt, String batch, Instant acknowledgedAt,
                       String receipt, boolean withdrawn, @JsonRawValue @JsonProperty("record") String recordJson) {
    }

    /** One page of what was received from a partner, with how many are held in all. */
    public record HeldPage(String partner, int page, int size, long total, List<Held> deliveries) {
    }

    private final Database database;

    public ReceivedDeliveries(Database database) {
        this.database = database;
    }

    public Stored store(String sender, List<PushMessages.Delivery> deliveries) {
        return store(sender, deliveries, null);
    }

    /**
     * Keeps the deliveries of one envelope, and its receipt if given, in one transaction. A
     * delivery already held keeps its envelope, unless its sender never took that envelope's
     * receipt (the acknowledgement was lost): then it is held from this one.
     */
    public Stored store(String sender, List<PushMessages.Delivery> deliveries, Batch batch) {
        if (deliveries.isEmpty()) {
            return new Stored(0, 0);
        }
        String sql = """
                insert into received_delivery (sender, message_id, category, record, batch_id)
                select ?, m, c, r::json, ? from unnest(?::text[], ?::text[], ?::text[]) as t (m, c, r)
                on conflict (sender, message_id) do update set batch_id = excluded.batch_id
                    where excluded.batch_id is not null and (received_delivery.batch_id is null or not exists (
                        select 1 from received_batch b where b.sender = received_delivery.sender
                           and b.batch_id = received_delivery.batch_id and b.acknowledged_at is not null))
                returning (xmax = 0)""";
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                if (batch != null && batch.receipt() != null) {
                    keepReceipt(c, sender, batch.batchId(), batch.receipt(), false);
                }
                int stored = 0;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, sender);
                    ps.setString(2, batch == null ? null : batch.batchId());
                    ps.setArray(3, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::messageId).toArray()));
                    ps.setArray(4, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::category).toArray()));
                    ps.setArray(5, c.createArrayOf("text", deliveries.stream().map(PushMessages.Delivery::recordJson).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stored += rs.getBoolean(1) ? 1 : 0;
                        }
                    }
                }
                c.commit();
                return new Stored(stored, deliveries.size() - stored);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("22P02".equals(e.getSQLState())) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "a delivered record is not valid JSON");
            }
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be stored; retry later", e);
        }
    }

    /** The sender took the receipt of this envelope (it answered the acknowledgement that carried it). */
    public void acknowledged(String sender, String batchId) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "update received_batch set acknowledged_at = coalesce(acknowledged_at, now()) where sender = ? and batch_id = ?")) {
            ps.setString(1, sender);
            ps.setString(2, batchId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be written; retry later", e);
        }
    }

    /** The receipt of an envelope whose deliveries are kept, made as its answer leaves (a publicity delivery's). */
    public void receipted(String sender, String batchId, byte[] receipt) {
        try (Connection c = database.connection()) {
            keepReceipt(c, sender, batchId, receipt, true);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the receipt of " + batchId + " cannot be kept; retry later", e);
        }
    }

    private static void keepReceipt(Connection c, String sender, String batchId, byte[] receipt, boolean taken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into received_batch (sender, batch_id, receipt, acknowledged_at) values (?, ?, ?, case when ? then now() end)
                on conflict (sender, batch_id) do nothing""")) {
            ps.setString(1, sender);
            ps.setString(2, batchId);
            ps.setBytes(3, receipt);
            ps.setBoolean(4, taken);
            ps.executeUpdate();
        }
    }

    /** How many deliveries of {@code messageId} from {@code sender} this node holds (0 or 1), in the caller's transaction. */
    public static int held(Connection c, String sender, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from received_delivery where sender = ? and message_id = ?")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Withdraws a sender's delivery (信用修复; an objection upheld), held yet or not: it is no longer
     * served, and one arriving later is looked up against this. In the caller's transaction.
     */
    public static void withdraw(Connection c, String sender, String messageId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into withdrawn_message (sender, message_id, reason) values (?, ?, ?) on conflict do nothing""")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            ps.setString(3, reason);
            ps.executeUpdate();
        }
    }

    /** Flags a sender's delivery as under objection {@code objectionId} (异议处理), held yet or not, in the caller's transaction. */
    public static void flagObjected(Connection c, String sender, String messageId, String objectionId) throws SQLException {
        objected(c, "insert into objected_message (sender, message_id, objection_id) values (?, ?, ?::uuid) on conflict do nothing",
                sender, messageId, objectionId);
    }

    /** Clears the flag of objection {@code objectionId} from a sender's delivery, in the caller's transaction. */
    public static void clearObjected(Connection c, String sender, String messageId, String objectionId) throws SQLException {
        objected(c, "delete from objected_message where sender = ? and message_id = ? and objection_id = ?::uuid",
                sender, messageId, objectionId);
    }

    private static void objected(Connection c, String sql, String sender, String messageId, String objectionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            ps.setString(3, objectionId);
            ps.executeUpdate();
        }
    }

    /** How many deliveries this node holds and serves, per sender and category: not those their sender withdrew (信用修复). */
    public Map<String, Map<String, Long>> counts() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select sender, category, count(*) from received_delivery d where not exists (select 1 from withdrawn_message w"
                        + " where w.sender = d.sender and w.message_id = d.message_id) group by sender, category");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Map<String, Long>> out = new TreeMap<>();
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), s -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be read; retry later", e);
        }
    }

    /**
     * What a sender handed this node, newest first, withdrawn ones included and marked: every
     * delivery held, with the envelope it is held from and this node's receipt of it (base64).
     */
    public HeldPage from(String sender, Optional<String> category, int page, int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "page must be 0 or more and size between 1 and 500");
        }
        try (Connection c = database.connection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from received_delivery where sender = ? and (?::text is null or category = ?)")) {
                ps.setString(1, sender);
                ps.setString(2, category.orElse(null));
                ps.setString(3, category.orElse(null));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Held> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select d.message_id, d.category, d.received_at, d.batch_id, b.acknowledged_at, b.receipt,
                           exists (select 1 from withdrawn_message w where w.sender = d.sender and w.message_id = d.message_id),
                           d.record::text
                    from received_delivery d left join received_batch b on b.sender = d.sender and b.batch_id = d.batch_id
                    where d.sender = ? and (?::text is null or d.category = ?)
                    order by d.received_at desc, d.message_id desc
                    limit ? offset ?""")) {
                ps.setString(1, sender);
                ps.setString(2, category.orElse(null));
                ps.setString(3, category.orElse(null));
                ps.setInt(4, size);
                ps.setLong(5, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Held(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                                instant(rs.getTimestamp(5)), base64(rs.getBytes(6)), rs.getBoolean(7), rs.getString(8)));
                    }
                }
            }
            return new HeldPage(sender, page, size, total, out);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be read; retry later", e);
        }
    }

    /** Whether this node holds anything a sender handed it. */
    public boolean holdsFrom(String sender) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select exists (select 1 from received_delivery where sender = ?)")) {
            ps.setString(1, sender);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received deliveries cannot be read; retry later", e);
        }
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
