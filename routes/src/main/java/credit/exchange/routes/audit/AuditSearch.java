package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the officer console reads of the audit trail: chained events by time range and criteria,
 * newest first, a page at a time; one event with its place in the chain; counts for the charts.
 * Every criterion is a bound parameter of a fixed statement: what an officer types is data.
 */
public final class AuditSearch {

    public static final int MAX_PAGE = 500;

    /** What an officer searches for: a time range, and any of partner, subject key, action, decision; null matches anything. */
    public record Criteria(Instant from, Instant to, String partner, String subjectKey, String action, String decision) {
    }

    /** A page of events, newest first; {@code nextBefore} continues the search with older ones, if there are. */
    public record Page(List<AuditRecord> events, Long nextBefore) {
    }

    /** An event with its hashes, the chain's algorithm, and the first signed checkpoint that covers it, if one does yet. */
    public record Detail(AuditRecord event, String prevHash, String hash, String algorithm, Optional<CoveringCheckpoint> checkpoint) {
    }

    /** A signed checkpoint and the partners that countersigned it. */
    public record CoveringCheckpoint(long seq, Instant at, List<String> countersignedBy) {
    }

    /** Exchanges of type query with one partner in one hour, both directions. */
    public record HourlyQueries(Instant hour, String partner, long queries) {
    }

    public record Denials(String reason, long count) {
    }

    public record Charts(List<HourlyQueries> queriesPerPartnerPerHour, List<Denials> denialsByReason) {
    }

    /**
     * How a partner keeps up with countersigning this node's checkpoints: the last checkpoint it
     * countersigned and when its countersignature arrived (none: it never did), how many later
     * checkpoints wait for it and since when, and whether it is behind, that is, a checkpoint has
     * waited for it longer than the grace the node allows.
     */
    public record Countersigning(String partner, Long lastSeq, Instant lastAt, long waiting, Instant waitingSince, boolean behind) {
    }

    /** The exchange type of an exchange's event ({@code exchange.in}, {@code exchange.out}: query, pull, checkpoint…); else null. */
    public static String exchangeType(AuditRecord event) {
        return event.action() != null && event.action().startsWith("exchange.") ? event.detail() : null;
    }

    private final Database database;
    private final String node;

    public AuditSearch(Database database, String node) {
        this.database = database;
        this.node = node;
    }

    /** Chained events matching the criteria with a sequence number below {@code before} (none: from the newest). */
    public Page search(Criteria criteria, Optional<Long> before, int limit) {
        int size = Math.max(1, Math.min(MAX_PAGE, limit));
        List<String> values = new ArrayList<>();
        String sql = "select " + AuditStore.COLUMNS + " from audit_event where " + matching(criteria, values)
                + " and seq < ? order by seq desc limit ?";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, criteria, values);
            ps.setLong(i++, before.orElse(Long.MAX_VALUE));
            ps.setInt(i, size + 1);
            List<AuditRecord> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(AuditStore.record(rs, rs.getLong(1), node));
                }
            }
            Long next = null;
            if (events.size() > size) {
                events.remove(size);
                next = events.get(size - 1).seq();
            }
            return new Page(events, next);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** How many chained events match the criteria in all (共 N 条), in one count. */
    public long count(Criteria criteria) {
        List<String> values = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from audit_event where " + matching(criteria, values))) {
            bind(ps, criteria, values);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * The condition of a search: chained, in the range, and only the criteria given (each a bound
     * parameter, their values added to {@code values}), so that each search is planned for what it asks.
     */
    private static String matching(Criteria criteria, List<String> values) {
        StringBuilder sql = new StringBuilder("seq is not null and at >= ? and at < ?");
        String[][] given = {{"partner", criteria.partner()}, {"subject_key", criteria.subjectKey()}, {"action", criteria.action()},
                {"decision", criteria.decision()}};
        for (String[] criterion : given) {
            if (criterion[1] != null) {
                sql.append(" and ").append(criterion[0]).append(" = ?");
                values.add(criterion[1]);
            }
        }
        return sql.toString();
    }

    /** Binds the range and the criteria's values; the index of the next parameter. */
    private static int bind(PreparedStatement ps, Criteria criteria, List<String> values) throws SQLException {
        range(ps, criteria.from(), criteria.to());
        int i = 3;
        for (String value : values) {
            ps.setString(i++, value);
        }
        return i;
    }

    /** The chained event {@code seq}, or E_NOT_FOUND. */
    public Detail event(long seq) {
        try (Connection c = database.connection()) {
            AuditRecord record;
            String prevHash;
            String hash;
            try (PreparedStatement ps = c.prepareStatement("select " + AuditStore.COLUMNS + ", prev_hash, hash from audit_event where seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new CodedException(ErrorCode.E_NOT_FOUND, "no chained audit event " + seq);
                    }
                    record = AuditStore.record(rs, seq, node);
                    prevHash = HexFormat.of().formatHex(rs.getBytes(AuditStore.PREV_HASH_COLUMN));
                    hash = HexFormat.of().formatHex(rs.getBytes(AuditStore.PREV_HASH_COLUMN + 1));
                }
            }
            String algorithm = "";
            try (PreparedStatement ps = c.prepareStatement("select algorithm from audit_chain_head limit 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    algorithm = rs.getString(1);
                }
            }
            Optional<CoveringCheckpoint> checkpoint = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("""
                    select k.seq, k.at, coalesce(array_agg(s.partner order by s.partner) filter (where s.partner is not null), '{}')
                    from audit_checkpoint k left join audit_countersignature s on s.seq = k.seq
                    where k.seq = (select min(seq) from audit_checkpoint where seq >= ?) group by k.seq, k.at""")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        checkpoint = Optional.of(new CoveringCheckpoint(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                                List.of((String[]) rs.getArray(3).getArray())));
                    }
                }
            }
            return new Detail(record, prevHash, hash, algorithm, checkpoint);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Queries exchanged with each partner per hour (asked and answered), and denials by reason code in the range: each
     * dataset a query was refused counts once, as it did when every dataset had an event of its own.
     */
    public Charts charts(Instant from, Instant to) {
        try (Connection c = database.connection()) {
            List<HourlyQueries> queries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select date_trunc('hour', at), partner, count(*) from audit_event
                    where seq is not null and at >= ? and at < ? and action in ('exchange.in', 'exchange.out') and detail = 'query'
                      and partner is not null
                    group by 1, 2 order by 1, 2""")) {
                range(ps, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        queries.add(new HourlyQueries(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            List<Denials> denials = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select coalesce(r, '-'), count(*) from (
                        select case when e.decisions is null then e.reason else split_part(d, ' ', 4) end as r
                        from audit_event e left join lateral unnest(e.decisions) as d on true
                        where e.seq is not null and e.at >= ? and e.at < ? and e.decision = 'DENY'
                          and (e.decisions is null or split_part(d, ' ', 3) = 'DENY')) as denied
                    group by 1 order by 2 desc, 1""")) {
                range(ps, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        denials.add(new Denials(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            return new Charts(queries, denials);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Every partner that takes part in countersigning (one that countersigned one of our
     * checkpoints, or sent us its own to countersign), and how far behind it is: the checkpoints
     * after the last one it countersigned wait for it. A partner whose oldest waiting checkpoint
     * was signed more than {@code grace} before {@code now} is behind.
     */
    public List<Countersigning> countersigning(Instant now, Duration grace) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                with partners as (select partner from audit_countersignature union select partner from audit_witnessed),
                last as (select p.partner, max(s.seq) as seq, max(s.received_at) as at
                         from partners p left join audit_countersignature s on s.partner = p.partner group by p.partner)
                select l.partner, l.seq, l.at, count(k.seq), min(k.at)
                from last l left join audit_checkpoint k on k.seq > coalesce(l.seq, 0)
                group by l.partner, l.seq, l.at order by l.partner""")) {
            List<Countersigning> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(2);
                    Long lastSeq = rs.wasNull() ? null : seq;
                    Timestamp lastAt = rs.getTimestamp(3);
                    long waiting = rs.getLong(4);
                    Timestamp since = rs.getTimestamp(5);
                    boolean behind = since != null && since.toInstant().plus(grace).isBefore(now);
                    out.add(new Countersigning(rs.getString(1), lastSeq, lastAt == null ? null : lastAt.toInstant(), waiting,
                            since == null ? null : since.toInstant(), behind));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static void range(PreparedStatement ps, Instant from, Instant to) throws SQLException {
        ps.setTimestamp(1, Timestamp.from(from));
        ps.setTimestamp(2, Timestamp.from(to));
    }

    private static CodedException unavailable(SQLException e) {
        return new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
    }
}
