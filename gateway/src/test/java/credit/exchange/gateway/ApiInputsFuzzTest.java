package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the node's REST and SOAP inputs over HTTP, against one
 * running node (Hangzhou of the demo alliance: embedded PostgreSQL, Artemis, mutual TLS on the
 * SOAP port): any body to any JSON endpoint is answered with success or a coded JSON error, never
 * a 5xx other than 503 and never a stack trace; any SOAP request gets an answer or a SOAP fault
 * without a stack trace. {@code mvn verify} runs the seeds; CI fuzzes it for 30 seconds.
 */
class ApiInputsFuzzTest {

    /** The JSON endpoints (POST), each with a request of its own shape to mutate. */
    private static final List<String[]> JSON_ENDPOINTS = List.of(
            new String[] {"/api/v1/records/by-person", "{\"residentId\":\"330102199001011237\",\"page\":0,\"size\":50,\"purpose\":\"loan\"}"},
            new String[] {"/api/v1/authorisations", "{\"subject\":\"91330100716105852F\",\"grantee\":\"huzhou\",\"purpose\":\"loan review\","
                    + "\"datasets\":[\"tax\"],\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\",\"evidence\":\"杭信授〔2026〕1号 sha256:"
                    + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}"},
            new String[] {"/api/v1/lists", "{\"listType\":\"BLACK\",\"uscc\":\"91330100716105852F\",\"partyName\":\"A Co.\","
                    + "\"legalBasis\":\"court ruling\",\"authority\":\"court\",\"documentNumber\":\"d-1\",\"listedOn\":\"2026-01-05\","
                    + "\"publicationEnd\":\"2029-01-05\",\"severity\":\"SERIOUS\"}"},
            new String[] {"/api/v1/lists/1/lift", "{\"status\":\"REPAIRED\",\"basis\":\"repair decision 7\"}"},
            new String[] {"/api/v1/sanctions", "{\"entryId\":\"1\",\"measures\":[\"bidding ban\"],\"respondWithin\":\"P7D\"}"},
            new String[] {"/api/v1/recognitions", "{\"uscc\":\"91330100716105852F\",\"partyName\":\"A Co.\",\"basis\":\"A-grade taxpayer\","
                    + "\"validUntil\":\"2027-06-30\"}"},
            new String[] {"/api/v1/records/1/repair", "{\"reason\":\"corrected\",\"basis\":\"repair decision 7\"}"},
            new String[] {"/api/v1/records/1/objection", "{\"basis\":\"wrong amount\"}"},
            new String[] {"/api/v1/objections/1/resolution", "{\"outcome\":\"UPHELD\",\"note\":\"corrected\"}"},
            new String[] {"/api/v1/filings", "{\"uscc\":\"91330100716105852F\",\"name\":\"Credit Rating Co.\",\"services\":[\"rating\"],"
                    + "\"authority\":\"PBoC\",\"filedOn\":\"2026-10-01\",\"validUntil\":\"2029-10-01\"}"});
    private static final String SOAP = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            + "xmlns:p=\"urn:credit-exchange:push:1\"><soap:Body><p:pull><p:envelope>%s</p:envelope></p:pull></soap:Body></soap:Envelope>";

    private static Path root;
    private static Node hangzhou;
    private static String api;
    private static String soapUrl;
    private static String token;
    private static String sealedPull;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static HttpClient provinceHttp;

    @BeforeAll
    static void startNode() throws Exception {
        root = Files.createTempDirectory("api-fuzz");
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member member = DemoAlliance.member("hangzhou");
        hangzhou = alliance.start(member);
        api = alliance.apiUrl(member);
        soapUrl = alliance.soapUrl(member);
        HttpResponse<String> issued = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/dev-issuer/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=fuzz&roles=operator,auditor,reader-public,reader-authorised"))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = Json.mapper().readTree(issued.body()).path("access_token").asText();

        Clock clock = Clock.systemUTC();
        NodeIdentity province = NodeIdentity.load(alliance.config(DemoAlliance.member("zhejiang")), clock).orElseThrow();
        provinceHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(MutualTls.client(province.tlsCredential().orElseThrow(), province.validator(), "hangzhou")).build();
        byte[] pull = province.envelopes(new InMemoryReplayGuard(clock), clock).seal(PushMessages.pullRequest(5),
                new ExchangeHeaders(UUID.randomUUID().toString(), "zhejiang", "hangzhou", "pull", null, clock.instant()),
                PemFiles.readCertificate(root.resolve("certs/hangzhou.gm.pem")));
        sealedPull = Base64.getEncoder().encodeToString(pull);
    }

    @AfterAll
    static void stop() throws IOException {
        if (hangzhou != null) {
            hangzhou.close();
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyRestOrSoapInput_isAnsweredOrRefusedWithACode(FuzzedDataProvider data) throws Exception {
        // the node's own connections (its database, its broker, the requests below) are all on loopback
        BugDetectors.allowNetworkConnections((host, port) -> isLoopback(host));
        int target = data.consumeInt(0, JSON_ENDPOINTS.size());
        boolean soap = target == JSON_ENDPOINTS.size();
        String seed = soap ? SOAP.formatted(sealedPull) : JSON_ENDPOINTS.get(target)[1];
        String body = data.consumeBoolean() ? edited(seed, data) : data.consumeRemainingAsString();
        if (soap) {
            HttpResponse<String> answer = provinceHttp.send(HttpRequest.newBuilder(URI.create(soapUrl))
                    .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 500 && answer.body().contains("Fault")
                    || answer.statusCode() >= 400 && answer.statusCode() < 500, answer.statusCode() + " " + answer.body());
            assertNoStackTrace(answer.body());
            return;
        }
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(api + JSON_ENDPOINTS.get(target)[0]))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        int status = answer.statusCode();
        assertTrue(status < 500 || status == 503, "a server error for " + JSON_ENDPOINTS.get(target)[0] + ": " + status + " " + answer.body());
        assertNoStackTrace(answer.body());
        if (status >= 400) {
            JsonNode error = Json.mapper().readTree(answer.body());
            assertTrue(error.path("code").asText().matches("E_[A-Z_]+"), "an error without its code: " + answer.body());
        }
    }

    /** The seed with a few spans replaced by fuzzer strings: most inputs stay close enough to reach the handlers. */
    private static String edited(String seed, FuzzedDataProvider data) {
        StringBuilder edited = new StringBuilder(seed);
        int edits = data.consumeInt(1, 6);
        for (int i = 0; i < edits && edited.length() > 0; i++) {
            int at = data.consumeInt(0, edited.length() - 1);
            edited.replace(at, Math.min(edited.length(), at + data.consumeInt(0, 12)), data.consumeString(12));
        }
        return edited.toString();
    }

    private static void assertNoStackTrace(String body) {
        assertFalse(body.contains("Exception:") || body.contains("\tat ") || body.contains("at credit.exchange.")
                || body.contains("at org."), "a stack trace reached the caller: " + body);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
