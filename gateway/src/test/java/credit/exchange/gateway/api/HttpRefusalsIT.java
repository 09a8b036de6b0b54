package credit.exchange.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of the API port is the documented JSON error form with its stable code, including
 * those the HTTP server makes itself (no route, wrong method, unacceptable Accept, unsupported
 * Content-Type): docs/operations.md, "Errors".
 */
class HttpRefusalsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    static Node node;
    static String url;

    @BeforeAll
    static void startNode() throws Exception {
        NodeConfig config = TestNodes.config(dataDir, Map.of());
        node = Node.start(config);
        url = TestNodes.baseUrl(config);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer is the JSON error form with this status and code. */
    private static JsonNode assertRefusal(HttpResponse<String> answer, int status, String code) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                "content type " + answer.headers().firstValue("content-type") + ": " + answer.body());
        JsonNode body = Json.mapper().readTree(answer.body());
        assertEquals(code, body.path("code").asText(), answer.body());
        assertFalse(body.path("meaning").asText().isEmpty(), answer.body());
        assertFalse(body.path("message").asText().isEmpty(), answer.body());
        return body;
    }

    @Test
    void unknownPath_answers404_E_NOT_FOUND_inJson() throws Exception {
        JsonNode body = assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/no/such/path")).GET()), 404, "E_NOT_FOUND");
        assertTrue(body.path("message").asText().contains("/no/such/path"), body.toString());
    }

    @Test
    void unknownPathUnderTheApi_answers404_E_NOT_FOUND_inJson() throws Exception {
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/api/v1/nothing-here")).header("Accept", "text/html").GET()),
                404, "E_NOT_FOUND");
    }

    @Test
    void wrongMethod_answers405_E_METHOD_NOT_ALLOWED_inJson() throws Exception {
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/health/live")).DELETE()), 405, "E_METHOD_NOT_ALLOWED");
    }

    @Test
    void wrongMethodOnRestRoute_answers405_E_METHOD_NOT_ALLOWED_inJson() throws Exception {
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records?uscc=91330100716105852F"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405, "E_METHOD_NOT_ALLOWED");
    }

    @Test
    void unacceptableAccept_answers406_E_NOT_ACCEPTABLE_inJson() throws Exception {
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records?uscc=91330100716105852F"))
                .header("Accept", "text/html").GET()), 406, "E_NOT_ACCEPTABLE");
    }

    @Test
    void unsupportedContentType_answers415_E_UNSUPPORTED_MEDIA_TYPE_inJson() throws Exception {
        String token = TestNodes.devToken(url, "test-operator", "operator", null);
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/api/v1/imports?type=licensing"))
                .header("Authorization", token).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofString("x"))), 415, "E_UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void codedRefusalsKeepTheirForm() throws Exception {
        assertRefusal(send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records?uscc=91330100716105852X")).GET()),
                400, "E_IDENTIFIER_INVALID");
    }
}
