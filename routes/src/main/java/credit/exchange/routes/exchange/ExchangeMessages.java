package credit.exchange.routes.exchange;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.envelope.ReplayedEnvelopeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The message ids of envelopes received from partners, in PostgreSQL (table exchange_message):
 * the trust layer's {@link ReplayGuard}, shared by every replica of the node, and the answers
 * already given, so that a duplicate is answered with the stored answer and receipt.
 */
public final class ExchangeMessages implements ReplayGuard {

    /** What we answered to one request: the sealed answer and our signed receipt of the request. */
    public record StoredAnswer(byte[] answer, byte[] receipt) {
    }

    /** Expired rows deleted per transaction. */
    static final int EXPIRY_CHUNK = 500;
    /** Transactions per run of the expiry: with a run a second, up to 1,000 expired ids a second per replica. */
    static final int EXPIRY_CHUNKS_PER_RUN = 2;

    private final Database database;
    private final Clock clock;

    public ExchangeMessages(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Claims the id in one statement, so that of two replicas receiving the same envelope exactly
     * one processes it. An id whose row is past forget_after may be claimed again. The claim is
     * seen by every replica once committed, and durable before anything it let through is
     * answered, without a WAL flush of its own: what follows it (the exchange's audit event, a
     * flow's own write) commits durably before the answer leaves, and the WAL is flushed in order;
     * an envelope that is not answered gives its id back ({@link #release}).
     */
    @Override
    public boolean firstSeen(String sender, String messageId, Instant forgetAfter) {
        return firstSeen(sender, messageId, forgetAfter, null);
    }

    @Override
    public boolean firstSeen(String sender, String messageId, Instant forgetAfter, byte[] signedDigest) {
        String sql = """
                insert into exchange_message (sender, message_id, forget_after, received_at, signed_digest) values (?, ?, ?, ?, ?)
                on conflict (sender, message_id) do update
                    set forget_after = excluded.forget_after, received_at = excluded.received_at, answer = null, receipt = null,
                        signed_digest = excluded.signed_digest
                    where exchange_message.forget_after < excluded.received_at""";
        try {
            return database.updateWithoutFlushWait(sql, ps -> {
                ps.setString(1, sender);
                ps.setString(2, messageId);
                ps.setTimestamp(3, Timestamp.from(forgetAfter));
                ps.setTimestamp(4, Timestamp.from(clock.instant()));
                ps.setBytes(5, signedDigest);
            }) == 1;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /**
     * Keeps the answer and receipt of a request, for its duplicates. Committed without waiting for
     * the WAL flush: were the node to crash in the next fraction of a second, a duplicate would be
     * refused E_REPLAY rather than answered again — while the claim of the id itself
     * ({@link #firstSeen}) is durable before the answer leaves, so no replay is ever processed twice.
     */
    public void storeAnswer(String sender, String messageId, byte[] answer, byte[] receipt) {
        try {
            database.updateWithoutFlushWait("update exchange_message set answer = ?, receipt = ? where sender = ? and message_id = ?",
                    ps -> {
                        ps.setBytes(1, answer);
                        ps.setBytes(2, receipt);
                        ps.setString(3, sender);
                        ps.setString(4, messageId);
                    });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /**
     * Forgets a request whose answer did not leave, so that its sender may send it again: one not answered, or one
     * whose answer was kept but whose audit events could not be written (nothing leaves without them, a kept answer
     * neither). Only the request's claimant calls it, before it answers.
     */
    public void release(String sender, String messageId) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "delete from exchange_message where sender = ? and message_id = ?")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /**
     * The answer given to this request, for the same signed message sent again: if it was answered
     * and is still remembered. Another signed message under the id is refused {@code E_REPLAY}: a
     * new request needs a new message id (docs/protocol.md §9).
     *
     * @param signedDigest what the sender signed this time ({@link ReplayedEnvelopeException#signedDigest()})
     */
    public Optional<StoredAnswer> answerTo(String sender, String messageId, byte[] signedDigest) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select answer, receipt, signed_digest from exchange_message where sender = ? and message_id = ? and answer is not null")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] kept = rs.getBytes(3);
                if (kept != null && !java.security.MessageDigest.isEqual(kept, signedDigest)) {
                    throw new CodedException(ErrorCode.E_REPLAY, "message id " + messageId + " from " + sender + " was already used for"
                            + " another signed message; a new request needs a new message id");
                }
                return Optional.of(new StoredAnswer(rs.getBytes(1), rs.getBytes(2)));
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /** The answer given to this request, if it was answered and is still remembered (whatever was signed under the id). */
    public Optional<StoredAnswer> answerTo(String sender, String messageId) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select answer, receipt from exchange_message where sender = ? and message_id = ? and answer is not null")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredAnswer(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /**
     * Deletes what no replay check needs any more: at most {@value #EXPIRY_CHUNKS_PER_RUN} chunks of
     * {@value #EXPIRY_CHUNK} rows, each in a transaction committed without waiting for its WAL flush
     * (a row the crash brings back is deleted next time); returns how many rows went. A backlog
     * (a burst of traffic ten minutes before) is worked off over the following runs: one statement
     * for a minute's expired ids took half a second and put 150 MB on the WAL at once (the kept
     * answers are stored out of line), ahead of every commit made meanwhile. An expired id not yet
     * deleted is claimed again as a new one ({@link #firstSeen}).
     */
    public int forgetExpired() {
        return forgetExpired(EXPIRY_CHUNKS_PER_RUN);
    }

    int forgetExpired(int maxChunks) {
        Timestamp now = Timestamp.from(clock.instant());
        int total = 0;
        try {
            for (int chunk = 0; chunk < maxChunks; chunk++) {
                int deleted = database.updateWithoutFlushWait("""
                        delete from exchange_message where (sender, message_id) in (
                            select sender, message_id from exchange_message where forget_after < ? limit %d)""".formatted(EXPIRY_CHUNK),
                        ps -> ps.setTimestamp(1, now));
                total += deleted;
                if (deleted < EXPIRY_CHUNK) {
                    break;
                }
            }
            return total;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }
}
