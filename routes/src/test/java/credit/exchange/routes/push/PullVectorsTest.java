package credit.exchange.routes.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provincial pull of the test vectors (docs/vectors/) as the city's pull service reads it: the
 * pull asks for 1000, the batch is one delivery of the city's outbox, and the acknowledgement
 * names the pull, that delivery and, as its receipt, exactly pull-answer.receipt.der — the
 * receipt the security module's VectorsTest verifies against pull-answer.p7m.
 */
class PullVectorsTest {

    private static final Path VECTORS = Path.of("..", "docs", "vectors").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"intl", "gm"})
    void theVectorsPullAndAcknowledgement_readAsThePullServiceReadsThem(String suite) throws IOException {
        JsonNode cases = Json.mapper().readTree(VECTORS.resolve("vectors.json").toFile()).path("cases");
        JsonNode pull = byId(cases, suite + "/pull");
        JsonNode batch = byId(cases, suite + "/pull-answer");
        JsonNode ack = byId(cases, suite + "/acknowledge");

        assertEquals(1000, PushMessages.readPullRequest(payload(pull)));

        List<PushMessages.Delivery> deliveries = PushMessages.readBatch(payload(batch), "vector-city");
        assertEquals(List.of("vector-city:outbox:1"), deliveries.stream().map(PushMessages.Delivery::messageId).toList());
        assertEquals(pull.path("headers").path("messageId").asText(), batch.path("headers").path("correlationId").asText());

        PushMessages.Acknowledgement acknowledgement = PushMessages.readAcknowledgement(payload(ack));
        assertEquals(pull.path("headers").path("messageId").asText(), acknowledgement.batch(), "the acknowledgement names the pull");
        assertEquals(List.of("vector-city:outbox:1"), acknowledgement.messageIds());
        assertTrue(PushMessages.outboxId("vector-city", acknowledgement.messageIds().get(0)).isPresent());
        assertArrayEquals(Files.readAllBytes(VECTORS.resolve(suite + "/pull-answer.receipt.der")),
                Base64.getDecoder().decode(acknowledgement.receipt()), "the acknowledgement carries pull-answer.receipt.der");
    }

    private static JsonNode byId(JsonNode cases, String id) {
        for (JsonNode c : cases) {
            if (c.path("id").asText().equals(id)) {
                assertEquals("OK", c.path("expected").asText(), id);
                return c;
            }
        }
        throw new AssertionError("vectors.json has no case " + id);
    }

    private static byte[] payload(JsonNode c) {
        return c.path("payload").asText().getBytes(StandardCharsets.UTF_8);
    }
}
