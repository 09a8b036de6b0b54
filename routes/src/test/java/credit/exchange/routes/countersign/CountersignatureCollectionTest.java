package credit.exchange.routes.countersign;

import static credit.exchange.routes.support.TwoNodes.HANGZHOU;
import static credit.exchange.routes.support.TwoNodes.HUZHOU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Engine;
import credit.exchange.routes.support.PartnerListener;
import credit.exchange.routes.support.TestNode;
import credit.exchange.routes.support.TwoNodes;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hangzhou collecting countersignatures of its checkpoints from Huzhou through the delivery engine
 * (kind CHECKPOINT), Huzhou's listener an in-process HTTP server answering with Huzhou's real
 * witness: a countersignature that verifies is kept and never asked for again; a refusal keeps
 * nothing and the checkpoint is asked for again after its pause; a partner that is down is not
 * asked again before its pause, and the rest of the trigger is not tried.
 */
@ExtendWith(CleanCreditStore.class)
class CountersignatureCollectionTest {

    private enum Huzhou { COUNTERSIGNS, REFUSES, IS_DOWN }

    private final TestNode node;
    private final NodeEnvelopes hangzhouEnvelopes = TwoNodes.inMemory(HANGZHOU);
    private final NodeEnvelopes huzhouEnvelopes = TwoNodes.inMemory(HUZHOU);
    private final AtomicInteger asked = new AtomicInteger();
    private volatile Huzhou huzhou = Huzhou.COUNTERSIGNS;
    private PartnerListener listener;
    private AuditWriter audit;
    private PartnerClient client;
    private Countersignatures hangzhou;
    private Engine engine;

    CountersignatureCollectionTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void huzhouListens() throws IOException {
        ExchangeHandler witness = new Countersignatures(node.database(), "huzhou", huzhouEnvelopes).witness();
        Partner hangzhouAtHuzhou = TwoNodes.partner(HANGZHOU, URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));
        listener = PartnerListener.start((http, bytes) -> {
            asked.incrementAndGet();
            OpenedEnvelope request = huzhouEnvelopes.open(bytes);
            switch (huzhou) {
                case IS_DOWN -> PartnerListener.respond(http, 503, "{\"code\": \"E_UNAVAILABLE\", \"message\": \"down\"}".getBytes(StandardCharsets.UTF_8));
                case REFUSES -> answer(http, request, "{\"refused\": \"E_CHECKPOINT_CONFLICT\", \"message\": \"a fork\"}"
                        .getBytes(StandardCharsets.UTF_8));
                case COUNTERSIGNS -> answer(http, request, witness.answer(hangzhouAtHuzhou, request));
            }
        });
        audit = new AuditWriter(node.audit(), 100);
        client = new PartnerClient("hangzhou", hangzhouEnvelopes, null, new SentExchanges(node.database()), EnvelopePolicy.DEFAULT, audit,
                Clock.systemUTC());
        hangzhou = new Countersignatures(node.database(), "hangzhou", hangzhouEnvelopes);
        engine = new Engine(node, List.of(new CheckpointCourier(hangzhou, client)), id -> huzhou().stream().findFirst());
    }

    /** A countersigning round: what awaits Huzhou is enqueued, then the engine relays and delivers it; returns how many were kept. */
    private int collect() {
        hangzhou.enqueueAwaiting(huzhou(), engine.deliveries, 20);
        return engine.round().delivered();
    }

    @AfterEach
    void stop() {
        listener.close();
        audit.close();
    }

    @Test
    void countersignaturesThatVerify_areKept_andNoneIsAskedForTwice() throws SQLException {
        checkpoint(10);
        checkpoint(20);

        assertEquals(2, collect());

        assertEquals(List.of(), new CheckpointWitnesses(node.database()).awaiting("huzhou", 20));
        assertEquals(2, asked.get());
        assertEquals(0, collect());
        assertEquals(2, asked.get(), "nothing awaits Huzhou: it is not asked");
        assertEquals(2, node.number("select count(*) from outbox where kind = 'CHECKPOINT' and state = 'DELIVERED'"));
    }

    @Test
    void aRefusal_keepsNothing_andTheCheckpointIsAskedForAgainNextRound() throws SQLException {
        checkpoint(10);
        huzhou = Huzhou.REFUSES;

        assertEquals(0, collect());
        assertEquals(1, node.number("select count(*) from outbox where kind = 'CHECKPOINT' and state = 'RETRY_WAIT'"
                + " and last_error = 'E_CHECKPOINT_CONFLICT'"), "a refusal is a failed attempt, with the partner's code");
        assertEquals(0, collect());
        assertEquals(1, asked.get(), "not asked again before its pause");
        engine.clock.pass(CheckpointCourier.RETRY.pauseAfter(1));
        assertEquals(0, collect());
        assertEquals(2, asked.get(), "asked again after its pause");
        assertEquals(1, new CheckpointWitnesses(node.database()).awaiting("huzhou", 20).size(), "nothing kept");
    }

    @Test
    void aPartnerThatIsDown_isNotAskedAgainBeforeItsPause() throws SQLException {
        checkpoint(10);
        checkpoint(20);
        huzhou = Huzhou.IS_DOWN;

        assertEquals(0, collect());
        assertEquals(1, asked.get(), "the trigger ends at the first failure");
        huzhou = Huzhou.COUNTERSIGNS;
        assertEquals(0, collect());
        assertEquals(1, asked.get(), "paused for " + CheckpointCourier.RETRY.pauseAfter(1) + " (less jitter) after one failure");

        engine.clock.pass(CheckpointCourier.RETRY.pauseAfter(1));
        assertEquals(2, collect(), "both come again after the pause, and are kept");
        assertEquals(List.of(), new CheckpointWitnesses(node.database()).awaiting("huzhou", 20));
    }

    private List<Partner> huzhou() {
        return List.of(TwoNodes.huzhouAt(listener.endpoint(), Duration.ofSeconds(5)));
    }

    /** One of Hangzhou's signed checkpoints, kept as the audit trail keeps it. */
    private void checkpoint(long seq) throws SQLException {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) seq);
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] signed = new Checkpoint("hangzhou", "SM3", seq, hash, at).sign(hangzhouEnvelopes.suite(Suite.GM));
        try (Connection c = node.database().connection(); PreparedStatement ps = c.prepareStatement(
                "insert into audit_checkpoint (seq, head_hash, at, signed) values (?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setBytes(2, hash);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setBytes(4, signed);
            ps.executeUpdate();
        }
    }

    private void answer(HttpExchange http, OpenedEnvelope request, byte[] payload) throws IOException {
        PartnerListener.answerSealed(http, huzhouEnvelopes, request, payload, HANGZHOU);
    }
}
