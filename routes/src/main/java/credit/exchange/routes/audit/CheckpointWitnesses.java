package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit package's record of witnessing, both ways: which of our signed checkpoints each
 * partner has countersigned (audit_checkpoint, audit_countersignature) and which of the partners'
 * checkpoints we countersigned (audit_witnessed). The countersigning flow ({@code routes/countersign})
 * decides and carries; this class alone names these tables.
 */
public final class CheckpointWitnesses {

    private final Database database;

    public CheckpointWitnesses(Database database) {
        this.database = database;
    }

    /** One of our checkpoints a partner has not countersigned yet. */
    public record Unwitnessed(long seq, byte[] headHash, byte[] signed) {
    }

    /** A partner's checkpoint this node witnessed: the hash it had and the countersignature given. */
    public record Witnessed(byte[] headHash, byte[] countersigned) {
    }

    /**
     * Where a partner stands as a witness of our trail: how many of our signed checkpoints it has
     * not countersigned yet, since when the oldest of them waits, and when its last countersignature
     * came. The state the countersigning leaves, for readiness, metrics and the console, instead of
     * a log line per round.
     */
    public record Witness(String partner, long awaiting, Optional<Instant> oldestAwaitingSince, Optional<Instant> lastCountersignedAt) {

        /** Whether a checkpoint has waited for this partner's countersignature longer than {@code grace}. */
        public boolean lagging(Instant now, Duration grace) {
            return oldestAwaitingSince.map(since -> since.plus(grace).isBefore(now)).orElse(false);
        }
    }

    /** Our checkpoints the partner has not countersigned yet, oldest first, at most {@code limit}. */
    public List<Unwitnessed> awaiting(String partner, int limit) {
        List<Unwitnessed> out = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select k.seq, k.head_hash, k.signed from audit_checkpoint k
                where not exists (select 1 from audit_countersignature s where s.seq = k.seq and s.partner = ?)
                order by k.seq limit ?""")) {
            ps.setString(1, partner);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Unwitnessed(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read", e);
        }
    }

    /** Our checkpoint {@code seq} as signed. */
    public Optional<Unwitnessed> checkpoint(long seq) {
        try (Connection c = database.connection()) {
            return checkpoint(c, seq);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read", e);
        }
    }

    /** Our checkpoint {@code seq} as signed, in the caller's transaction. */
    public static Optional<Unwitnessed> checkpoint(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seq, head_hash, signed from audit_checkpoint where seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Unwitnessed(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))) : Optional.empty();
            }
        }
    }

    /**
     * Keeps a partner's countersignature of our checkpoint {@code seq} (once: a second is ignored),
     * in the caller's transaction (the one that records its delivery).
     */
    public static void keepCountersignature(Connection c, long seq, String partner, byte[] countersigned) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into audit_countersignature (seq, partner, signed) values (?, ?, ?) on conflict (seq, partner) do nothing")) {
            ps.setLong(1, seq);
            ps.setString(2, partner);
            ps.setBytes(3, countersigned);
            ps.executeUpdate();
        }
    }

    /** What this node witnessed of the partner's trail at {@code seq}, if anything. */
    public Optional<Witnessed> witnessed(String partner, long seq) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select head_hash, countersigned from audit_witnessed where partner = ? and seq = ?")) {
            ps.setString(1, partner);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Witnessed(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the witnessed checkpoint cannot be read; retry later", e);
        }
    }

    /** Keeps a partner's signed checkpoint and our countersignature of it (the first kept at a sequence number stays). */
    public void keepWitnessed(String partner, long seq, byte[] headHash, byte[] signed, byte[] countersigned) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                insert into audit_witnessed (partner, seq, head_hash, signed, countersigned) values (?, ?, ?, ?, ?)
                on conflict (partner, seq) do nothing""")) {
            ps.setString(1, partner);
            ps.setLong(2, seq);
            ps.setBytes(3, headHash);
            ps.setBytes(4, signed);
            ps.setBytes(5, countersigned);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the witnessed checkpoint cannot be kept; retry later", e);
        }
    }

    /** Each of the given partners' standing as a witness of our trail, ordered by partner id. */
    public List<Witness> witnesses(List<String> partnerIds) {
        List<String> ids = partnerIds.stream().sorted().toList();
        List<Witness> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select p.partner, count(k.seq), min(k.at),
                       (select max(s.received_at) from audit_countersignature s where s.partner = p.partner)
                from unnest(?::text[]) as p (partner)
                left join audit_checkpoint k
                       on not exists (select 1 from audit_countersignature s where s.seq = k.seq and s.partner = p.partner)
                group by p.partner order by p.partner""")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Witness(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit countersignatures cannot be read", e);
        }
    }

    private static Optional<Instant> instant(Timestamp t) {
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }
}
