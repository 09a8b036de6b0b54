package credit.exchange.routes.exchange;

import credit.exchange.routes.store.Database;
import credit.exchange.security.envelope.ExchangeHeaders;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelopes this node sent (table sent_exchange): when, to whom, the digest of the bytes,
 * how the exchange ended, and the partner's signed receipt, kept as evidence that the partner
 * received exactly those bytes.
 */
public final class SentExchanges {

    private static final Logger LOG = LoggerFactory.getLogger(SentExchanges.class);

    private final Database database;

    public SentExchanges(Database database) {
        this.database = database;
    }

    /** One envelope sent, once its exchange ended: how, and the partner's verified receipt if it answered. */
    void record(ExchangeHeaders headers, byte[] envelopeDigest, byte[] receipt, String outcome) {
        execute("insert into sent_exchange (message_id, recipient, exchange_type, sent_at, envelope_digest, receipt, outcome)"
                + " values (?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, headers.messageId());
                    ps.setString(2, headers.recipient());
                    ps.setString(3, headers.exchangeType());
                    ps.setTimestamp(4, Timestamp.from(headers.signingTime()));
                    ps.setBytes(5, envelopeDigest);
                    ps.setBytes(6, receipt);
                    ps.setString(7, outcome);
                });
    }

    /**
     * Bookkeeping must not turn an answered exchange into a failure: a write that fails is logged.
     * Committed without waiting for the WAL flush (a crash loses at most the last fraction of a
     * second of this record, never an exchange).
     */
    private void execute(String sql, Database.Binder binder) {
        try {
            database.updateWithoutFlushWait(sql, binder);
        } catch (SQLException e) {
            LOG.warn("sent_exchange could not be written ({}); the exchange goes on", e.getSQLState());
        }
    }
}
