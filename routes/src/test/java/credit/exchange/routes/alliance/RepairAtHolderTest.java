package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A holder (the province) taking a repair notice, on the real PostgreSQL: the sender's deliveries
 * it names stop being served, one that arrives only after the notice is withdrawn on arrival, and
 * another node's deliveries named in the notice are left alone.
 */
@ExtendWith(CleanCreditStore.class)
class RepairAtHolderTest {

    private final TestNode node;

    RepairAtHolderTest(TestNode node) {
        this.node = node;
    }

    @Test
    void repairedDeliveries_areWithdrawn_evenOneArrivingLater_butNeverAnotherNodes() throws Exception {
        ReceivedDeliveries received = new ReceivedDeliveries(node.database());
        received.store("hangzhou", List.of(delivery("hangzhou", 1), delivery("hangzhou", 2)));
        received.store("huzhou", List.of(delivery("huzhou", 1)));
        NoticeReceiver receiver = new NoticeReceiver(node.database(), new CreditRepairs(node.database(),
                new AllianceNotices(node.database(), java.time.Clock.systemUTC()), "zhejiang", java.time.Clock.systemUTC()).kinds());

        JsonNode answer = Json.mapper().readTree(receiver.answer(hangzhou(), repairNotice(
                List.of("hangzhou:outbox:1", "hangzhou:outbox:3", "huzhou:outbox:1"))));

        assertEquals("confirmed", answer.path("status").asText(), answer.toString());
        assertEquals(1, answer.path("withdrawn").asInt(), "it held one of the sender's deliveries named");
        assertEquals(Long.valueOf(1), received.counts().get("hangzhou").get("licensing"), "outbox:2 is still served");
        assertEquals(Long.valueOf(1), received.counts().get("huzhou").get("licensing"), "Huzhou's delivery is not Hangzhou's to withdraw");
        received.store("hangzhou", List.of(delivery("hangzhou", 3))); // delivered after its repair notice
        assertEquals(Long.valueOf(1), received.counts().get("hangzhou").get("licensing"), "withdrawn on arrival");
    }

    private static PushMessages.Delivery delivery(String sender, long outboxId) {
        return new PushMessages.Delivery(PushMessages.messageId(sender, outboxId), null, "licensing", "{\"documentNumber\": \"d" + outboxId + "\"}");
    }

    private static OpenedEnvelope repairNotice(List<String> messageIds) throws Exception {
        String body = "{\"noticeId\":\"" + UUID.randomUUID() + "\",\"kind\":\"repair\",\"subject\":\"91330100716105852F\",\"body\":"
                + "{\"reason\":\"REPAIRED\",\"basis\":\"repair decision 7\",\"messageIds\":" + Json.mapper().writeValueAsString(messageIds) + "}}";
        return new OpenedEnvelope(new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", "zhejiang", "notice", null, Instant.now()),
                body.getBytes(StandardCharsets.UTF_8), null, new byte[0]);
    }

    private static Partner hangzhou() {
        return new Partner("hangzhou", "hangzhou", Partner.Level.ALLIANCE_CITY, true, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of("repair"), Optional.empty(), Optional.empty(), new Partner.RateLimit(1, 1),
                Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of("hangzhou.yaml"));
    }
}
