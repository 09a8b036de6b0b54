package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.Envelopes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * The audit trail's signed checkpoints (table audit_checkpoint): the node signs its chain's head
 * when one is due, so that no rewrite of the history before it goes unseen; partners countersign
 * them, and the countersignatures are checked with the chain ({@link AuditVerifier}).
 */
public final class AuditCheckpoints {

    private final Database database;

    public AuditCheckpoints(AuditStore store) {
        this.database = store.database();
    }

    /**
     * The countersigning's own bookkeeping: the exchanges that carry a checkpoint to a partner and
     * back (ours out, a partner's in). They are chained like every event, but they alone never make
     * a checkpoint due; otherwise each countersignature would make a new head to sign and have
     * countersigned, and an idle alliance would audit its own witnessing for ever.
     */
    static final String COUNTERSIGN_BOOKKEEPING = "action in ('exchange.out', 'exchange.in') and coalesce(detail, '') = '"
            + credit.exchange.routes.partner.Partner.ExchangeType.CHECKPOINT.wireName() + "'";

    /** The head last found to have grown by bookkeeping alone since the last checkpoint: not asked again until it moves. */
    private volatile long bookkeepingOnlyHead = -1;

    /**
     * Signs a checkpoint of the head when one is due: the chain grew by {@code everyEvents} since
     * the last, or {@code every} passed and it grew at all — by some event other than the
     * countersigning's bookkeeping ({@link #COUNTERSIGN_BOOKKEEPING}); a head moved by that alone
     * waits for the next real event. Returns the checkpoint made, if any. Replicas racing to make
     * the same one make it once.
     */
    public Optional<Checkpoint> checkpointIfDue(Envelopes self, long everyEvents, java.time.Duration every, Instant now) {
        return checkpoint(self, everyEvents, every, now, false);
    }

    /** Signs a checkpoint of the head now unless one pins it already (an export, which must end at one). */
    public Optional<Checkpoint> checkpointHead(Envelopes self, Instant now) {
        return checkpoint(self, 1, java.time.Duration.ZERO, now, true);
    }

    private Optional<Checkpoint> checkpoint(Envelopes self, long everyEvents, java.time.Duration every, Instant now, boolean evenBookkeeping) {
        try (Connection c = database.connection()) {
            Optional<AuditStore.Head> head = AuditStore.head(c);
            if (head.isEmpty()) {
                return Optional.empty();
            }
            long lastSeq = 0;
            Instant lastAt = Instant.EPOCH;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select seq, at from audit_checkpoint order by seq desc limit 1")) {
                if (rs.next()) {
                    lastSeq = rs.getLong(1);
                    lastAt = rs.getTimestamp(2).toInstant();
                }
            }
            AuditStore.Head h = head.get();
            boolean due = h.seq() > lastSeq && (h.seq() - lastSeq >= everyEvents || !now.isBefore(lastAt.plus(every)));
            if (!due) {
                return Optional.empty();
            }
            if (!evenBookkeeping && !grewByRealEvents(c, lastSeq, h.seq())) {
                return Optional.empty();
            }
            Checkpoint checkpoint = new Checkpoint(h.node(), h.algorithm(), h.seq(), h.hash(), now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into audit_checkpoint (seq, head_hash, at, signed) values (?, ?, ?, ?) on conflict (seq) do nothing")) {
                ps.setLong(1, checkpoint.seq());
                ps.setBytes(2, checkpoint.headHash());
                ps.setTimestamp(3, java.sql.Timestamp.from(checkpoint.at()));
                ps.setBytes(4, checkpoint.sign(self));
                return ps.executeUpdate() == 1 ? Optional.of(checkpoint) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoint cannot be stored; retrying", e);
        }
    }

    /** Whether an event after {@code lastSeq} up to {@code headSeq} is more than the countersigning's bookkeeping. */
    private boolean grewByRealEvents(Connection c, long lastSeq, long headSeq) throws SQLException {
        if (bookkeepingOnlyHead == headSeq) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from audit_event where seq > ? and seq <= ? and not ("
                + COUNTERSIGN_BOOKKEEPING + "))")) {
            ps.setLong(1, lastSeq);
            ps.setLong(2, headSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        bookkeepingOnlyHead = headSeq;
        return false;
    }

    /** How many signed checkpoints the trail holds at or after {@code fromSeq} (a node without an alliance credential signs none). */
    public long signedCheckpoints(long fromSeq) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from audit_checkpoint where seq >= ?")) {
            ps.setLong(1, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read; retry", e);
        }
    }

}
