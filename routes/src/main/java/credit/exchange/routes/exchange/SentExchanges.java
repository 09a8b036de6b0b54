package credit.exchange.routes.exchange;

import credit.exchange.routes.store.Database;
import credit.exchange.security.envelope.ExchangeHeaders;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelopes this node sent (table sent_exchange): when, to whom, the digest of the bytes,
 * how the exchange ended, and the partner's signed receipt, kept as evidence that the partner
 * received exactly those bytes.
 */
public final class SentExchanges {

    private static final Logger LOG = LoggerFactory.getLogger(SentExchanges.class);

    /** One exchange this node started: when (signing time), its type and how it ended (ANSWERED or an error code). */
    public record Sent(Instant at, String exchangeType, String outcome) {
    }

    /**
     * What this node's exchanges with one partner came to: the last one, the last it answered, the
     * last that failed, and how many failed since a given time.
     */
    public record Outcomes(Optional<Sent> last, Optional<Instant> lastAnswered, Optional<Sent> lastFailure, long failuresSince) {
    }

    private final Database database;

    public SentExchanges(Database database) {
        this.database = database;
    }

    /** Each partner's {@link Outcomes}, failures counted from {@code since}; one statement, on the (recipient, sent_at) index. */
    public Map<String, Outcomes> outcomes(Collection<String> partners, Instant since) {
        String sql = """
                select p.id, l.sent_at, l.exchange_type, l.outcome, a.sent_at, f.sent_at, f.exchange_type, f.outcome, n.failures
                from unnest(?::text[]) as p (id)
                left join lateral (select sent_at, exchange_type, outcome from sent_exchange
                                   where recipient = p.id order by sent_at desc limit 1) l on true
                left join lateral (select sent_at from sent_exchange
                                   where recipient = p.id and outcome = 'ANSWERED' order by sent_at desc limit 1) a on true
                left join lateral (select sent_at, exchange_type, outcome from sent_exchange
                                   where recipient = p.id and outcome <> 'ANSWERED' order by sent_at desc limit 1) f on true
                cross join lateral (select count(*) as failures from sent_exchange
                                    where recipient = p.id and sent_at >= ? and outcome <> 'ANSWERED') n""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", partners.toArray()));
            ps.setTimestamp(2, Timestamp.from(since));
            Map<String, Outcomes> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Outcomes(sent(rs, 2), Optional.ofNullable(rs.getTimestamp(5)).map(Timestamp::toInstant),
                            sent(rs, 6), rs.getLong(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the sent exchanges cannot be read; retry later", e);
        }
    }

    private static Optional<Sent> sent(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? Optional.empty() : Optional.of(new Sent(at.toInstant(), rs.getString(column + 1), rs.getString(column + 2)));
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
