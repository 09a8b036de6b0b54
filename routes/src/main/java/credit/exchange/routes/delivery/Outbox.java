package credit.exchange.routes.delivery;

import credit.exchange.routes.audit.AuditTrail;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordJoins;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The outbox as operators see it (docs/operations.md, "Outbox"; {@code gatewayctl outbox},
 * {@code GET /api/v1/outbox}, the partners' status): deliveries listed, pending and counted, of
 * every kind, and DEAD ones replayed with a new round of their retry policy.
 */
public final class Outbox {

    /** One delivery, as operators list it. */
    public record Listed(long id, DeliveryKind kind, Long recordId, String payloadRef, String destination, String mode, String state,
                         Instant createdAt, LocalDate deadline, int attempts, String lastError) {
    }

    /**
     * Unfinished deliveries grouped by destination, what they carry (a publicity delivery's dataset,
     * else the kind) and state: how many, since when the oldest waits, the most attempts one has
     * had and the latest error.
     */
    public record Pending(String destination, String mode, String dataset, String state, long deliveries, Instant oldest,
                          int maxAttempts, String lastError) {
    }

    private final Database database;
    private final Clock clock;

    public Outbox(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Sends DEAD deliveries again, with a new round of their retry policy: one ({@code outboxId}),
     * or all of them (empty). Returns how many; a named delivery that is not DEAD is refused. The
     * replay is an audit event ({@code outbox.replay}) naming the operator, written with it.
     */
    public int replay(Optional<Long> outboxId, String operator) {
        try {
            return database.inTransaction(c -> {
                Map<String, Integer> byDestination = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        update outbox set state = 'READY', retry_base = attempts, next_attempt_at = ?
                        where state = 'DEAD' and (?::bigint is null or id = ?)
                        returning destination""")) {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    ps.setObject(2, outboxId.orElse(null), java.sql.Types.BIGINT);
                    ps.setObject(3, outboxId.orElse(null), java.sql.Types.BIGINT);
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
                return n;
            });
        } catch (SQLException e) {
            throw Deliveries.unavailable("written", e);
        }
    }

    /** Deliveries, oldest first; null state or destination: any. */
    public List<Listed> list(String state, String destination, int limit) {
        String sql = """
                select id, kind, record_id, payload_ref, destination, mode, state, created_at, deadline, attempts, last_error
                from outbox where (?::text is null or state = ?) and (?::text is null or destination = ?)
                order by id limit ?""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state);
            ps.setString(2, state);
            ps.setString(3, destination);
            ps.setString(4, destination);
            ps.setInt(5, limit);
            List<Listed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Date deadline = rs.getDate(9);
                    long record = rs.getLong(3);
                    out.add(new Listed(rs.getLong(1), DeliveryKind.valueOf(rs.getString(2)), rs.wasNull() ? null : record, rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                            deadline == null ? null : deadline.toLocalDate(), rs.getInt(10), rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Deliveries.unavailable("read", e);
        }
    }

    /** What is still on its way, per destination, what it carries and state; a destination, or all (null). */
    public List<Pending> pending(String destination) {
        String sql = """
                select o.destination, o.mode, coalesce(r.category, lower(o.kind)), o.state, count(*), min(o.created_at), max(o.attempts),
                       (array_agg(o.last_error order by o.id desc) filter (where o.last_error is not null))[1]
                from outbox o %s
                where o.finished_at is null and (?::text is null or o.destination = ?)
                group by 1, 2, 3, 4
                order by 1, 3, 4""".formatted(RecordJoins.recordIfAny("o.record_id"));
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
            throw Deliveries.unavailable("read", e);
        }
    }

    /** How many deliveries per destination and state, of every kind. */
    public Map<String, Map<String, Long>> counts() {
        return counts(null);
    }

    /** How many deliveries of {@code kind} (null: every kind) per destination and state. */
    public Map<String, Map<String, Long>> counts(DeliveryKind kind) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select destination, state, count(*) from outbox where ?::text is null or kind = ? group by destination, state")) {
            ps.setString(1, kind == null ? null : kind.name());
            ps.setString(2, kind == null ? null : kind.name());
            Map<String, Map<String, Long>> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), d -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Deliveries.unavailable("read", e);
        }
    }

    /** How many deliveries per kind, destination and state. */
    public Map<DeliveryKind, Map<String, Map<String, Long>>> countsByKind() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select kind, destination, state, count(*) from outbox group by kind, destination, state")) {
            Map<DeliveryKind, Map<String, Map<String, Long>>> out = new java.util.EnumMap<>(DeliveryKind.class);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(DeliveryKind.valueOf(rs.getString(1)), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), d -> new TreeMap<>()).put(rs.getString(3), rs.getLong(4));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Deliveries.unavailable("read", e);
        }
    }

    /** The unfinished deliveries per kind and state: the backlog the engine's gauge shows. */
    public Map<DeliveryKind, Map<DeliveryState, Long>> backlog() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select kind, state, count(*) from outbox where finished_at is null group by kind, state")) {
            Map<DeliveryKind, Map<DeliveryState, Long>> out = new java.util.EnumMap<>(DeliveryKind.class);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(DeliveryKind.valueOf(rs.getString(1)), k -> new java.util.EnumMap<>(DeliveryState.class))
                            .put(DeliveryState.valueOf(rs.getString(2)), rs.getLong(3));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Deliveries.unavailable("read", e);
        }
    }

}
