package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The alliance workflows' API as the workflow tests call it: development tokens, JSON calls, coded refusals, quick propagation. */
final class AllianceApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AllianceApi() {
    }

    /** A failed notice delivery tried again after 1 s (doubling), imported black lists watched every second. */
    static NodeConfig quick(NodeConfig config) {
        return config.with("gateway.alliance.retry-seconds", "1")
                .with("gateway.recognition.watch-seconds", "1");
    }

    /** A token of the node's development issuer for a user with these roles (comma-separated). */
    static String token(String api, String user, String roles) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/dev-issuer/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&roles=" + roles)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body()).path("access_token").asText();
    }

    /** A node operator's token. */
    static String operator(String api) throws Exception {
        return token(api, "node-operator", "operator");
    }

    static HttpResponse<String> call(String method, String url, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertCode(HttpResponse<String> answer, int status, String code) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, Json.mapper().readTree(answer.body()).path("code").asText(), answer.body());
    }
}
