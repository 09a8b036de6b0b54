package credit.exchange.routes.alliance;

import static credit.exchange.routes.support.TwoNodes.HANGZHOU;
import static credit.exchange.routes.support.TwoNodes.HUZHOU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Engine;
import credit.exchange.routes.support.PartnerListener;
import credit.exchange.routes.support.TestNode;
import credit.exchange.routes.support.TwoNodes;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hangzhou's alliance notices to Huzhou through the delivery engine (kind NOTICE), Huzhou's
 * listener an in-process HTTP server: an answer delivers the notice and is kept with it; a coded
 * refusal is an answer too, not retried; a partner that is down is asked again only after the
 * pause, a trigger's other notices not tried meanwhile; time is the engine's clock.
 */
@ExtendWith(CleanCreditStore.class)
class NoticeDeliveryTest {

    private enum Huzhou { ACKNOWLEDGES, REFUSES, IS_DOWN }

    private static final Duration FIRST_PAUSE = Duration.ofSeconds(5);

    private final TestNode node;
    private final NodeEnvelopes hangzhouEnvelopes = TwoNodes.inMemory(HANGZHOU);
    private final NodeEnvelopes huzhouEnvelopes = TwoNodes.inMemory(HUZHOU);
    private final AtomicInteger asked = new AtomicInteger();
    private volatile Huzhou huzhou = Huzhou.ACKNOWLEDGES;
    private PartnerListener listener;
    private AuditWriter audit;
    private AllianceNotices notices;
    private Engine engine;

    NoticeDeliveryTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void huzhouListens() throws IOException {
        listener = PartnerListener.start((http, bytes) -> {
            asked.incrementAndGet();
            OpenedEnvelope request = huzhouEnvelopes.open(bytes);
            switch (huzhou) {
                case IS_DOWN -> PartnerListener.respond(http, 503, "{\"code\": \"E_UNAVAILABLE\", \"message\": \"down\"}".getBytes(StandardCharsets.UTF_8));
                case REFUSES -> answer(http, request, "{\"refused\": \"E_NOT_GRANTED\", \"message\": \"not from you\"}");
                case ACKNOWLEDGES -> answer(http, request, "{\"status\": \"acknowledged\"}");
            }
        });
        audit = new AuditWriter(node.audit(), 100);
        PartnerClient client = new PartnerClient("hangzhou", hangzhouEnvelopes, null, new SentExchanges(node.database()),
                EnvelopePolicy.DEFAULT, audit, Clock.systemUTC());
        engine = new Engine(node, List.of(new NoticeCourier(new AllianceNotices(node.database(), Clock.systemUTC()), client, FIRST_PAUSE, Clock.systemUTC())), id -> Optional.of(huzhouPartner()));
        notices = new AllianceNotices(node.database(), engine.clock);
    }

    @AfterEach
    void stop() {
        listener.close();
        audit.close();
    }

    @Test
    void anAnswer_deliversTheNotice_andIsKeptWithIt_once() {
        String id = issue();

        assertEquals(1, engine.round().delivered());

        AllianceNotices.Delivery d = notices.deliveries(id).get(0);
        assertEquals("ANSWERED", d.state());
        assertEquals("acknowledged", d.answer().orElseThrow().path("status").asText());
        assertEquals(1, d.attempts());
        assertEquals(0, engine.round().delivered() + engine.round().retrying());
        assertEquals(1, asked.get(), "a delivered notice is not sent again");
        assertEquals(Optional.empty(), Optional.ofNullable(notices.unansweredByPartner().get("huzhou")));
    }

    @Test
    void aCodedRefusal_isAnAnswer_keptAndNotRetried() {
        huzhou = Huzhou.REFUSES;
        String id = issue();

        engine.round();
        engine.clock.pass(Duration.ofHours(1));
        engine.round();

        AllianceNotices.Delivery d = notices.deliveries(id).get(0);
        assertEquals("REFUSED", d.state());
        assertEquals("E_NOT_GRANTED", d.lastError());
        assertEquals(1, asked.get());
    }

    @Test
    void aPartnerThatIsDown_isAskedAgainAfterThePause_andTheTriggersOtherNoticesWait() {
        huzhou = Huzhou.IS_DOWN;
        String first = issue();
        String second = issue();

        assertEquals(2, engine.round().retrying());
        assertEquals(1, asked.get(), "the trigger stops at the first failed exchange");
        AllianceNotices.Delivery pending = notices.deliveries(first).get(0);
        assertEquals("PENDING", pending.state());
        assertTrue(pending.lastError() != null && pending.lastError().startsWith("E_"), pending.toString());
        assertEquals(2, notices.unansweredByPartner().get("huzhou").deliveries());

        huzhou = Huzhou.ACKNOWLEDGES;
        engine.round();
        assertEquals(1, asked.get(), "not before the pause");
        engine.clock.pass(FIRST_PAUSE);
        assertEquals(2, engine.round().delivered(), "both after it");
        assertEquals("ANSWERED", notices.deliveries(first).get(0).state());
        assertEquals("ANSWERED", notices.deliveries(second).get(0).state());
        assertEquals(2, notices.deliveries(second).get(0).attempts(), "the untried one counts its failed turn");
    }

    private String issue() {
        return notices.issue("sanction", "91330100716105852F", Json.mapper().createObjectNode().put("entryId", "e"), List.of("huzhou"),
                "OPERATOR", "operator", Optional.empty()).id();
    }

    private Partner huzhouPartner() {
        Partner p = TwoNodes.huzhouAt(listener.endpoint(), Duration.ofSeconds(5));
        return new Partner(p.id(), p.name(), p.level(), true, p.endpoint(), p.suite(), p.certificate(), p.mayQuery(),
                Set.of(Partner.ExchangeType.NOTICE), false, Set.of(), Optional.empty(), Optional.empty(), p.rateLimit(),
                p.connectTimeout(), p.answerTimeout(), p.source());
    }

    private void answer(HttpExchange http, OpenedEnvelope request, String payload) throws IOException {
        PartnerListener.answerSealed(http, huzhouEnvelopes, request, payload.getBytes(StandardCharsets.UTF_8), HANGZHOU);
    }
}
