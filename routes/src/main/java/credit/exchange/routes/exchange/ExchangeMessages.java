package credit.exchange.routes.exchange;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.ReplayGuard;
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

    private final Database database;
    private final Clock clock;

    public ExchangeMessages(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Claims the id in one statement, so that of two replicas receiving the same envelope exactly
     * one processes it. An id whose row is past forget_after may be claimed again.
     */
    @Override
    public boolean firstSeen(String sender, String messageId, Instant forgetAfter) {
        String sql = """
                insert into exchange_message (sender, message_id, forget_after, received_at) values (?, ?, ?, ?)
                on conflict (sender, message_id) do update
                    set forget_after = excluded.forget_after, received_at = excluded.received_at, answer = null, receipt = null
                    where exchange_message.forget_after < excluded.received_at""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            ps.setTimestamp(3, Timestamp.from(forgetAfter));
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /**
     * Keeps the answer and receipt of a request, for its duplicates. Committed without waiting for
     * the WAL flush: were the node to crash in the next fraction of a second, a duplicate would be
     * refused E_REPLAY rather than answered again — while the claim of the id itself
     * ({@link #firstSeen}) is durable, so no replay is ever processed twice.
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

    /** Forgets a request that was not answered, so that its sender may send it again. */
    public void release(String sender, String messageId) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "delete from exchange_message where sender = ? and message_id = ? and answer is null")) {
            ps.setString(1, sender);
            ps.setString(2, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }

    /** The answer given to this request, if it was answered and is still remembered. */
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

    /** Deletes what no replay check needs any more; returns how many rows went. */
    public int forgetExpired() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "delete from exchange_message where forget_after < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the message id store does not answer; retry later", e);
        }
    }
}
