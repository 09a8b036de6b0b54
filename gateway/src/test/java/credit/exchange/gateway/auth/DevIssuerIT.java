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
    void theConsolesBrowserSignIn_worksAgainstTheDevelopmentIssuer_withPkce_forThisNodesConsoleOnly(@TempDir Path dir) throws Exception {
        NodeConfig config = TestNodes.config(dir, Map.of());
        try (Node node = Node.start(config)) {
            String url = TestNodes.baseUrl(config);
            String verifier = "a-verifier-of-forty-three-characters-or-more-0123";
            String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String console = url + "/console/";
            String query = "response_type=code&client_id=officer-console&state=s1&code_challenge=" + challenge
                    + "&code_challenge_method=S256&redirect_uri=" + java.net.URLEncoder.encode(console, java.nio.charset.StandardCharsets.UTF_8);
            String auth = url + "/dev-issuer/protocol/openid-connect/auth";

            HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(auth + "?" + query)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, form.statusCode(), form.body());
            assertTrue(form.body().contains("Development only"), form.body());
            HttpResponse<String> signedIn = post(auth, query + "&username=dev-officer&roles=auditor");
            assertEquals(302, signedIn.statusCode(), signedIn.body());
            String location = signedIn.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith(console + "?code=") && location.endsWith("&state=s1"), location);
            String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));

            String redeem = "grant_type=authorization_code&code=" + code + "&redirect_uri="
                    + java.net.URLEncoder.encode(console, java.nio.charset.StandardCharsets.UTF_8) + "&code_verifier=";
            assertEquals(401, post(url + "/dev-issuer/protocol/openid-connect/token", redeem + "another-verifier").statusCode(),
                    "without the verifier the code is worthless");
            assertEquals(401, post(url + "/dev-issuer/protocol/openid-connect/token", redeem + verifier).statusCode(),
                    "and a code is spent by its first use, even a failed one");

            HttpResponse<String> again = post(auth, query + "&username=dev-officer&roles=auditor");
            String second = again.headers().firstValue("Location").orElseThrow();
            String code2 = second.substring(second.indexOf("code=") + 5, second.indexOf("&state"));
            HttpResponse<String> token = post(url + "/dev-issuer/protocol/openid-connect/token",
                    redeem.replace("code=" + code, "code=" + code2) + verifier);
            assertEquals(200, token.statusCode(), token.body());
            String bearer = "Bearer " + Json.mapper().readTree(token.body()).path("access_token").asText();
            HttpResponse<String> session = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/audit/sessions"))
                    .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, session.statusCode(), session.body());
            assertEquals("dev-officer", Json.mapper().readTree(session.body()).path("user").asText());

            HttpResponse<String> elsewhere = post(auth, query.replace(java.net.URLEncoder.encode(console, java.nio.charset.StandardCharsets.UTF_8),
                    "https%3A%2F%2Fattacker.example%2Fconsole%2F") + "&username=x&roles=auditor");
            assertEquals(400, elsewhere.statusCode(), "no code for another site's page");
        }
    }

    private static HttpResponse<String> post(String url, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
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
