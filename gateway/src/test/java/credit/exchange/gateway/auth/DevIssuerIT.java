package credit.exchange.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.routes.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node without a realm runs its development issuer, labelled as such: its tokens work against
 * the node's API like a realm's, a forged one is refused, and the production profile refuses to
 * start a node that would rely on it.
 */
class DevIssuerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aNodeWithoutARealm_issuesLabelledDevelopmentTokens_thatItsApiAccepts(@TempDir Path dir) throws Exception {
        NodeConfig config = TestNodes.config(dir, Map.of());
        try (Node node = Node.start(config)) {
            String url = TestNodes.baseUrl(config);
            HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/dev-issuer/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=dev-reader&roles=reader-public,reader-authorised")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, issued.statusCode(), issued.body());
            JsonNode body = Json.mapper().readTree(issued.body());
            assertTrue(body.path("dev_issuer").asBoolean(), "labelled as the development issuer");
            String token = body.path("access_token").asText();

            assertEquals(200, query(url, "Bearer " + token).statusCode());
            HttpResponse<String> forged = query(url, "Bearer " + token.substring(0, token.length() - 3) + "abc");
            assertEquals(401, forged.statusCode());
            assertEquals("E_TOKEN_SIGNATURE", Json.mapper().readTree(forged.body()).path("code").asText());
        }
    }

    @Test
    void theProductionProfile_refusesToStartWithoutARealm(@TempDir Path dir) throws Exception {
        NodeConfig config = TestNodes.config(dir, Map.of("gateway.profile", "production"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Node.start(config).close());
        assertTrue(refused.getMessage().contains("gateway.auth.issuer"), refused.getMessage());
    }

    private static HttpResponse<String> query(String url, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records?uscc=91330100716105852F"))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
