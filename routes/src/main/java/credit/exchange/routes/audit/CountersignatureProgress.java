package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far each partner has witnessed this node's trail ({@link Countersignatures}): how many of
 * our signed checkpoints still await its countersignature, and when it last gave one. A partner
 * that stopped countersigning shows a growing number here.
 */
public final class CountersignatureProgress {

    /** One partner's progress: checkpoints it has not countersigned yet, and when its last countersignature arrived. */
    public record Progress(long awaiting, Optional<Instant> lastCountersignedAt) {
    }

    private final Database database;

    public CountersignatureProgress(Database database) {
        this.database = database;
    }

    /** Each partner's {@link Progress}, in one statement. */
    public Map<String, Progress> of(Collection<String> partners) {
        String sql = """
                select p.id,
                       (select count(*) from audit_checkpoint k
                        where not exists (select 1 from audit_countersignature s where s.seq = k.seq and s.partner = p.id)),
                       (select max(s.received_at) from audit_countersignature s where s.partner = p.id)
                from unnest(?::text[]) as p (id)""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", partners.toArray()));
            Map<String, Progress> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Progress(rs.getLong(2), Optional.ofNullable(rs.getTimestamp(3)).map(Timestamp::toInstant)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read; retry later", e);
        }
    }
}
