package credit.exchange.routes.exchange;

import static credit.exchange.routes.support.TwoNodes.CHECKPOINT_REQUEST;
import static credit.exchange.routes.support.TwoNodes.HANGZHOU;
import static credit.exchange.routes.support.TwoNodes.HUZHOU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.routes.support.TwoNodes;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hangzhou's receiving half of the exchange, with an in-memory handler of checkpoint requests in
 * place of a flow, over the real message-id store and audit trail: what is refused is refused
 * before the handler and audited; what is answered is sealed to the partner, receipted, kept and
 * audited; a duplicate gets the kept answer; a failed handler leaves the message id free again.
 */
@ExtendWith(CleanCreditStore.class)
class InboundExchangeTest {

    private static final Path SHIPPED = Path.of(System.getProperty("credit.project.root", ".."), "partner-configs");
    private static final byte[] ANSWER = "{\"countersignature\": \"AAAA\"}".getBytes(StandardCharsets.UTF_8);

    private final TestNode node;
    private final NodeEnvelopes huzhou = TwoNodes.inMemory(HUZHOU);
    private final List<String> handled = new ArrayList<>();
    private RuntimeException handlerFailure;
    private AuditWriter audit;
    private InboundExchange hangzhou;
    private Path partnersDir;

    InboundExchangeTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void hangzhouTakesCheckpointsFromHuzhou(@TempDir Path partnersDir) throws Exception {
        this.partnersDir = partnersDir;
        Files.copy(SHIPPED.resolve("huzhou.yaml"), partnersDir.resolve("huzhou.yaml"));
        PemFiles.writeCertificate(partnersDir.resolve("huzhou.gm.pem"), HUZHOU.certificate());
        PartnerDirectory partners = new PartnerDirectory(partnersDir, partnersDir);
        assertEquals(List.of(), partners.reload().problems());
        ExchangeMessages messages = new ExchangeMessages(node.database(), Clock.systemUTC());
        audit = new AuditWriter(node.audit(), 100);
        ExchangeHandler handler = (Partner partner, OpenedEnvelope request) -> {
            handled.add(request.headers().messageId());
            if (handlerFailure != null) {
                throw handlerFailure;
            }
            return ANSWER;
        };
        hangzhou = new InboundExchange("hangzhou", TwoNodes.envelopes(HANGZHOU, messages), partners, messages,
                new RateLimiter(Clock.systemUTC()), Map.of(Partner.ExchangeType.CHECKPOINT, handler), audit, Clock.systemUTC());
    }

    @AfterEach
    void closeTheAuditWriter() {
        audit.close();
    }

    @Test
    void inboundExchange_unknownTlsPeer_isRefusedBeforeOpening_andTheRefusalIsAudited() {
        byte[] envelope = checkpointRequest(UUID.randomUUID().toString());

        CodedException refused = assertThrows(CodedException.class, () -> hangzhou.receive(envelope, Optional.of("shanghai")));

        assertEquals(ErrorCode.E_UNKNOWN_PARTNER, refused.code());
        assertEquals(List.of(), handled);
        assertEquals(0, node.rowCount("exchange_message"), "not opened: no message id claimed");
        assertEquals(List.of(Map.of("actor", "shanghai", "decision", "DENY", "reason", "E_UNKNOWN_PARTNER", "outcome", "REFUSED", "ids", "")),
                events());
    }

    @Test
    void inboundExchange_envelopeThatDoesNotOpen_isRefused_andAuditedAsItsTlsPeers() {
        byte[] envelope = checkpointRequest(UUID.randomUUID().toString());
        envelope[envelope.length / 2] ^= 0x5a;

        CodedException refused = assertThrows(CodedException.class, () -> hangzhou.receive(envelope, Optional.of("huzhou")));

        assertEquals(List.of(), handled);
        List<Map<String, Object>> events = events();
        assertEquals(1, events.size());
        assertEquals(Map.of("actor", "huzhou", "decision", "DENY", "reason", refused.code().name(), "outcome", "REFUSED", "ids", ""),
                events.get(0));
    }

    @Test
    void inboundExchange_answeredRequest_isSealedToThePartner_receipted_kept_andAuditedOnce() {
        String id = UUID.randomUUID().toString();
        byte[] envelope = checkpointRequest(id);

        ExchangeReply reply = hangzhou.receive(envelope, Optional.of("huzhou"));

        OpenedEnvelope answer = huzhou.open(reply.answer());
        assertArrayEquals(ANSWER, answer.payload());
        assertEquals("hangzhou", answer.headers().sender());
        assertEquals(id, answer.headers().correlationId());
        assertEquals("checkpoint-answer", answer.headers().exchangeType());
        Receipt receipt = huzhou.suite(credit.exchange.security.Suite.GM).verifyReceipt(reply.receipt(), envelope, "hangzhou");
        assertEquals(id, receipt.messageId());
        assertTrue(receipt.accepted());
        assertEquals(List.of(id), handled);
        assertEquals(1, node.number("select count(*) from exchange_message where sender = 'huzhou' and message_id = ?"
                + " and answer = ? and receipt = ?", id, reply.answer(), reply.receipt()), "kept for a duplicate");
        assertEquals(List.of(Map.of("actor", "huzhou", "decision", "", "reason", "", "outcome", "ANSWERED",
                "ids", id + "," + answer.headers().messageId())), events());
    }

    @Test
    void inboundExchange_sameEnvelopeAgain_getsTheKeptAnswer_andAnotherMessageUnderItsId_isRefusedWithE_REPLAY() {
        String id = UUID.randomUUID().toString();
        byte[] envelope = checkpointRequest(id);
        ExchangeReply first = hangzhou.receive(envelope, Optional.of("huzhou"));

        ExchangeReply again = hangzhou.receive(envelope, Optional.of("huzhou"));

        assertArrayEquals(first.answer(), again.answer());
        assertArrayEquals(first.receipt(), again.receipt());
        assertEquals(List.of(id), handled, "processed once");
        byte[] another = TwoNodes.request(huzhou, "huzhou", HANGZHOU, Partner.ExchangeType.CHECKPOINT,
                "{\"checkpoint\": \"AAAB\"}".getBytes(StandardCharsets.UTF_8), id);
        CodedException replay = assertThrows(CodedException.class, () -> hangzhou.receive(another, Optional.of("huzhou")));
        assertEquals(ErrorCode.E_REPLAY, replay.code());
        assertEquals(List.of(id), handled);
        assertEquals(List.of("ANSWERED", "REFUSED"), events().stream().map(e -> e.get("outcome")).toList(),
                "the kept answer is no new exchange; the replay is refused and audited");
    }

    @Test
    void inboundExchange_handlerRefusal_releasesTheMessageId_soTheSameEnvelopeIsProcessedWhenSentAgain() {
        String id = UUID.randomUUID().toString();
        byte[] envelope = checkpointRequest(id);
        handlerFailure = new CodedException(ErrorCode.E_UNAVAILABLE, "the flow's store does not answer");

        CodedException refused = assertThrows(CodedException.class, () -> hangzhou.receive(envelope, Optional.of("huzhou")));

        assertEquals(ErrorCode.E_UNAVAILABLE, refused.code());
        assertEquals(0, node.rowCount("exchange_message"), "the id is free again");
        handlerFailure = null;
        ExchangeReply reply = hangzhou.receive(envelope, Optional.of("huzhou"));
        assertArrayEquals(ANSWER, huzhou.open(reply.answer()).payload());
        assertEquals(List.of(id, id), handled);
        assertEquals(List.of("REFUSED", "ANSWERED"), events().stream().map(e -> e.get("outcome")).toList());
    }

    @Test
    void inboundExchange_answerWhoseHandlersEventsCannotBeWritten_doesNotLeave_andTheSameEnvelopeIsProcessedWhenSentAgain()
            throws Exception {
        audit.append(List.of(AuditEvent.by(AuditEvent.ActorKind.OPERATOR, "operator", AuditEvent.Action.CONFIG).build()));
        // a writer whose events the trail refuses: it is another node's (the handler's events fail, the exchange's own do not)
        try (AuditWriter refused = new AuditWriter(new AuditStore(node.database(), "shanghai", AuditChain.of(Suite.GM)), 10)) {
            List<Boolean> eventsWritable = new ArrayList<>(List.of(false));
            ExchangeHandler handler = new ExchangeHandler() {
                @Override
                public byte[] answer(Partner partner, OpenedEnvelope request) {
                    throw new AssertionError("the listener asks for the answer with its events unawaited");
                }

                @Override
                public Answer answerUnawaited(Partner partner, OpenedEnvelope request) {
                    handled.add(request.headers().messageId());
                    AuditWriter writer = eventsWritable.get(0) ? audit : refused;
                    return new Answer(ANSWER, writer.submit(List.of(AuditEvent.by(AuditEvent.ActorKind.PARTNER, partner.id(),
                            AuditEvent.Action.ACCESS).build())));
                }
            };
            PartnerDirectory partners = new PartnerDirectory(partnersDir, partnersDir);
            partners.reload();
            ExchangeMessages messages = new ExchangeMessages(node.database(), Clock.systemUTC());
            InboundExchange listener = new InboundExchange("hangzhou", TwoNodes.envelopes(HANGZHOU, messages), partners, messages,
                    new RateLimiter(Clock.systemUTC()), Map.of(Partner.ExchangeType.CHECKPOINT, handler), audit, Clock.systemUTC());
            String id = UUID.randomUUID().toString();
            byte[] envelope = checkpointRequest(id);

            CodedException unanswered = assertThrows(CodedException.class, () -> listener.receive(envelope, Optional.of("huzhou")));

            assertEquals(ErrorCode.E_UNAVAILABLE, unanswered.code());
            assertEquals(0, node.rowCount("exchange_message"), "no answer kept for a duplicate: the id is free again");
            eventsWritable.set(0, true);
            ExchangeReply reply = listener.receive(envelope, Optional.of("huzhou"));
            assertArrayEquals(ANSWER, huzhou.open(reply.answer()).payload());
            assertEquals(List.of(id, id), handled);
            assertEquals(1, node.number("select count(*) from audit_event where action = 'access' and seq is not null"),
                    "the answer that left, with its handler's event durable");
        }
    }

    private byte[] checkpointRequest(String messageId) {
        return TwoNodes.request(huzhou, "huzhou", HANGZHOU, Partner.ExchangeType.CHECKPOINT, CHECKPOINT_REQUEST, messageId);
    }

    /** The exchange.in events of the trail, in order: who, the decision, the reason, the outcome and the message ids. */
    private List<Map<String, Object>> events() {
        return node.rows("select actor, coalesce(decision, '') as decision, coalesce(reason, '') as reason, outcome,"
                + " coalesce(array_to_string(message_ids, ','), '') as ids from audit_event where action = 'exchange.in' order by id");
    }
}
