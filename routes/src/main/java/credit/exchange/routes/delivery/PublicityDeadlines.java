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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deadline monitor of double publicity (七天双公示): a delivery with a deadline (decision
 * date + the partner's deadline days) that is not yet delivered is at risk with under 24 hours
 * left and overdue once its deadline day has ended, in China Standard Time, where decision
 * dates are dated.
 */
public final class PublicityDeadlines {

    /** Where decision dates, and so deadline days, are dated. */
    public static final String DEADLINE_ZONE = "Asia/Shanghai";

    /** Open deliveries with a deadline, per destination. */
    public record Summary(String destination, long open, long atRisk, long overdue) {
    }

    /** One at-risk or overdue delivery, for operators. No personal identifier: the document number names it. */
    public record Late(long outboxId, String destination, String category, String documentNumber, LocalDate decisionDate,
                       LocalDate deadline, String state, int attempts, String lastError, boolean overdue) {
    }

    private static final String DEADLINE_END = "((o.deadline + 1)::timestamp at time zone '" + DEADLINE_ZONE + "')";

    private final Database database;
    private final Clock clock;

    /** {@code clock} decides what is at risk and overdue (its time is passed into the queries, not the database's now()). */
    public PublicityDeadlines(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public List<Summary> summary() {
        String sql = """
                select o.destination, count(*),
                       count(*) filter (where t.now < %1$s and t.now >= %1$s - interval '24 hours'),
                       count(*) filter (where t.now >= %1$s)
                from (select ?::timestamptz as now) t, outbox o where o.finished_at is null and o.deadline is not null
                group by o.destination order by o.destination""".formatted(DEADLINE_END);
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            List<Summary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Summary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }

    /** At-risk and overdue deliveries, the most urgent first. */
    public List<Late> late(int limit) {
        String sql = """
                select o.id, o.destination, r.category, r.document_number, r.decision_date, o.deadline, o.state, o.attempts,
                       o.last_error, t.now >= %1$s
                from (select ?::timestamptz as now) t, outbox o %2$s
                where o.finished_at is null and o.deadline is not null and t.now >= %1$s - interval '24 hours'
                order by o.deadline, o.id limit ?""".formatted(DEADLINE_END, RecordJoins.record("o.record_id"));
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setInt(2, limit);
            List<Late> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Late(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getDate(5).toLocalDate(), rs.getDate(6).toLocalDate(), rs.getString(7), rs.getInt(8),
                            rs.getString(9), rs.getBoolean(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be read; retry later", e);
        }
    }

    /** Summaries by destination. */
    public static Map<String, Summary> byDestination(List<Summary> summaries) {
        Map<String, Summary> out = new TreeMap<>();
        summaries.forEach(s -> out.put(s.destination(), s));
        return out;
    }
}
