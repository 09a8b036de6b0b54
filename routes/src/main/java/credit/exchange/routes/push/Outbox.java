package credit.exchange.routes.push;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outbox as operators read it: deliveries by state and destination. The states, as in
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

    private final Database database;

    public Outbox(Database database) {
        this.database = database;
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
