package credit.exchange.routes.exchange;

import static credit.exchange.routes.support.PartnerListener.answer;
import static credit.exchange.routes.support.PartnerListener.respond;
import static credit.exchange.routes.support.TwoNodes.CHECKPOINT_REQUEST;
import static credit.exchange.routes.support.TwoNodes.HANGZHOU;
import static credit.exchange.routes.support.TwoNodes.HUZHOU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.PartnerListener;
import credit.exchange.routes.support.TestNode;
import credit.exchange.routes.support.TwoNodes;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.NodeEnvelopes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hangzhou's sending half of the exchange against Huzhou's listener played by an in-process HTTP
 * server (plain HTTP: the client in dev mode): only an answer that proves itself is accepted —
 * Huzhou's sealed answer to this very message with its receipt of exactly the bytes sent — a
 * coded refusal keeps its code, anything else is E_BAD_ANSWER, silence is E_TIMEOUT, and every
 * outcome is an exchange.out event and a sent_exchange row.
 */
@ExtendWith(CleanCreditStore.class)
class PartnerClientTest {

    private static final byte[] EMPTY_JSON = {'{', '}'};

    private final TestNode node;
    private final NodeEnvelopes huzhou = TwoNodes.inMemory(HUZHOU);
    private final CountDownLatch silence = new CountDownLatch(1);
    /** What Huzhou's listener does with one request, as the test says. */
    private volatile PartnerListener.Handler listener;
    private PartnerListener server;
    private AuditWriter audit;
    private PartnerClient hangzhou;

    PartnerClientTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void huzhouListens() throws IOException {
        server = PartnerListener.start((http, request) -> listener.handle(http, request));
        audit = new AuditWriter(node.audit(), 100);
        hangzhou = new PartnerClient("hangzhou", TwoNodes.inMemory(HANGZHOU), null, new SentExchanges(node.database()),
                EnvelopePolicy.DEFAULT, audit, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        silence.countDown();
        server.close();
        audit.close();
    }

    @Test
    void partnerClient_provenAnswer_isReturned_withItsReceipt_andRecordedAnswered() {
        listener = (http, request) -> {
            byte[][] sealed = sealedAnswer(request, "{\"countersignature\": \"AAAA\"}".getBytes(StandardCharsets.UTF_8));
            answer(http, sealed[0], sealed[1]);
        };

        PartnerClient.Answered answered = hangzhou.exchange(partner(), Partner.ExchangeType.CHECKPOINT, CHECKPOINT_REQUEST);

        assertArrayEquals("{\"countersignature\": \"AAAA\"}".getBytes(StandardCharsets.UTF_8), answered.answer().payload());
        assertEquals("huzhou", answered.receipt().receiver());
        assertEquals(answered.receipt().messageId(), answered.answer().headers().correlationId());
        assertEquals(List.of(Map.of("outcome", "ANSWERED", "reason", "", "ids",
                answered.receipt().messageId() + "," + answered.answer().headers().messageId())), events());
        assertEquals(1, node.number("select count(*) from sent_exchange where outcome = 'ANSWERED' and receipt is not null"));
    }

    @Test
    void partnerClient_codedRefusal_keepsThePartnersCode() {
        listener = (http, request) -> respond(http, 403,
                "{\"code\": \"E_UNKNOWN_PARTNER\", \"message\": \"hangzhou may not start this\"}".getBytes(StandardCharsets.UTF_8));

        assertEquals(ErrorCode.E_UNKNOWN_PARTNER, refusal());
        assertEquals(List.of(Map.of("outcome", "E_UNKNOWN_PARTNER", "reason", "E_UNKNOWN_PARTNER", "ids", sentId())), events());
    }

    @Test
    void partnerClient_answerThatIsNoEnvelope_isE_BAD_ANSWER() {
        listener = (http, request) -> answer(http, "hello".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        assertEquals(ErrorCode.E_BAD_ANSWER, refusal());
    }

    @Test
    void partnerClient_errorThatIsNoCodedError_isE_BAD_ANSWER() {
        listener = (http, request) -> respond(http, 502, "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.E_BAD_ANSWER, refusal());
    }

    @Test
    void partnerClient_answerWithoutReceipt_isE_BAD_ANSWER() {
        listener = (http, request) -> answer(http, sealedAnswer(request, EMPTY_JSON)[0], null);
        assertEquals(ErrorCode.E_BAD_ANSWER, refusal());
    }

    @Test
    void partnerClient_receiptOfOtherBytes_isE_BAD_ANSWER() {
        // a receipt Huzhou signed for another request: its digest is not of the bytes Hangzhou sent
        listener = (http, request) -> answer(http, sealedAnswer(request, EMPTY_JSON)[0], sealedAnswerToAnotherRequest()[1]);
        assertEquals(ErrorCode.E_BAD_ANSWER, refusal());
    }

    @Test
    void partnerClient_answerToAnotherMessage_isE_BAD_ANSWER() {
        listener = (http, request) -> {
            byte[] receipt = sealedAnswer(request, EMPTY_JSON)[1];
            answer(http, sealedAnswerToAnotherRequest()[0], receipt);
        };
        assertEquals(ErrorCode.E_BAD_ANSWER, refusal());
    }

    @Test
    void partnerClient_partnerThatDoesNotAnswerInTime_isE_TIMEOUT_withinItsAnswerTimeout() {
        listener = (http, request) -> {
            try {
                silence.await(30, TimeUnit.SECONDS); // holds the request until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long start = System.nanoTime();
        assertEquals(ErrorCode.E_TIMEOUT, refusal());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "bounded by the answer timeout");
        assertEquals(List.of(Map.of("outcome", "E_TIMEOUT", "reason", "E_TIMEOUT", "ids", sentId())), events());
    }

    @Test
    void partnerClient_partnerThatAcceptsNoConnection_isE_PARTNER_UNREACHABLE() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        Partner away = TwoNodes.huzhouAt(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
        CodedException e = assertThrows(CodedException.class, () -> hangzhou.exchange(away, Partner.ExchangeType.CHECKPOINT, CHECKPOINT_REQUEST));
        assertEquals(ErrorCode.E_PARTNER_UNREACHABLE, e.code());
    }

    private Partner partner() {
        return TwoNodes.huzhouAt(server.endpoint(), Duration.ofMillis(700));
    }

    private ErrorCode refusal() {
        return assertThrows(CodedException.class, () -> hangzhou.exchange(partner(), Partner.ExchangeType.CHECKPOINT, CHECKPOINT_REQUEST))
                .code();
    }

    /** Huzhou's sealed answer carrying {@code payload} to {@code request}, and its receipt of the request's bytes. */
    private byte[][] sealedAnswer(byte[] request, byte[] payload) {
        return TwoNodes.answerAndReceipt(huzhou, huzhou.open(request), payload, HANGZHOU);
    }

    /** Huzhou's sealed answer, and its receipt, to another request Hangzhou sent it. */
    private byte[][] sealedAnswerToAnotherRequest() {
        byte[] other = TwoNodes.request(TwoNodes.inMemory(HANGZHOU), "hangzhou", HUZHOU, Partner.ExchangeType.CHECKPOINT, CHECKPOINT_REQUEST);
        return sealedAnswer(other, EMPTY_JSON);
    }


    private String sentId() {
        return (String) node.rows("select message_id from sent_exchange").get(0).get("message_id");
    }

    /** The exchange.out events of the trail, in order: the outcome, the reason and the message ids. */
    private List<Map<String, Object>> events() {
        return node.rows("select outcome, coalesce(reason, '') as reason, coalesce(array_to_string(message_ids, ','), '') as ids"
                + " from audit_event where action = 'exchange.out' and partner = 'huzhou' order by id");
    }
}
