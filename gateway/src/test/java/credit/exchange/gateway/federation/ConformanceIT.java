package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.transport.MutualTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatewayctl conformance} (docs/protocol.md, "Conformance") against this software: a real city node
 * (Huzhou), tested by the province (Zhejiang), which pulls from it, passes every case; the same
 * node behind a deliberately faulty front — one that answers any envelope under an answered
 * message id with the kept answer, one that signs its receipts over the answer instead of the
 * request — fails exactly the case that checks that rule, by its number, and passes the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node huzhou;
    static Path zhejiangConfig;
    static Path hangzhouConfig;
    static final List<HttpsServer> fronts = new ArrayList<>();

    @BeforeAll
    static void startTheCity() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        zhejiangConfig = root.resolve("zhejiang.properties");
        alliance.config(DemoAlliance.member("zhejiang")).save(zhejiangConfig);
        hangzhouConfig = root.resolve("hangzhou.properties");
        alliance.config(DemoAlliance.member("hangzhou")).save(hangzhouConfig);
        // the province and Hangzhou have run once (their stores exist) and are down: a running province would pull by itself
        alliance.start(DemoAlliance.member("zhejiang")).close();
        alliance.start(DemoAlliance.member("hangzhou")).close();
        huzhou = alliance.start(DemoAlliance.member("huzhou"));
        Path seed = root.resolve("seed");
        new SeedGenerator(20, LocalDate.now()).writeDataSet(20, seed);
        HttpResponse<String> imported = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member("huzhou")) + "/api/v1/imports?type=licensing",
                "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
        assertEquals(200, imported.statusCode(), imported.body());
        assertTrue(Json.mapper().readTree(imported.body()).path("stored").asInt() >= 3, "a delivery due for each run: " + imported.body());
    }

    @AfterAll
    static void stop() {
        fronts.forEach(f -> f.stop(0));
        if (huzhou != null) {
            huzhou.close();
        }
    }

    @Test
    @Order(1)
    void thisNode_passesEveryCase_includingPullAndAcknowledge() throws Exception {
        // the partner is found by its endpoint in the province's partner files
        CliRun run = CliRun.of("conformance", "--partner-url", alliance.exchangeUrl(DemoAlliance.member("huzhou")), "--as", "zhejiang",
                "--config", zhejiangConfig.toString());

        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().startsWith("conformance of huzhou at " + alliance.exchangeUrl(DemoAlliance.member("huzhou"))
                + ", as zhejiang, suite GM\n"), run.out());
        Map<Integer, String> outcomes = outcomes(run.out());
        assertEquals(11, outcomes.size(), run.out());
        outcomes.forEach((number, outcome) -> assertEquals("PASS", outcome, "case " + number + ":\n" + run.out()));
        assertTrue(run.out().contains("  3  PASS  tampered envelope refused (E_DECRYPTION_FAILED, 400)"), run.out());
        assertTrue(run.out().contains("  6  PASS  new envelope under an answered message id refused (E_REPLAY, 409)"), run.out());
        assertTrue(run.out().contains("  9  PASS  acknowledgement accepted (1 delivery, with zhejiang's receipt)"), run.out());
        assertTrue(run.out().endsWith("11 cases: 11 passed, 0 failed, 0 skipped; huzhou conforms\n"), run.out());

        NodeConfig zhejiang = alliance.config(DemoAlliance.member("zhejiang"));
        assertEquals("1", TestNodes.rows(zhejiang, "select count(*) from received_delivery where sender = 'huzhou'").first(),
                "the pulled delivery is kept before it is acknowledged");
        assertEquals("1", TestNodes.rows(zhejiang, "select count(*) from audit_event where action = 'conformance'"
                + " and actor_kind = 'OPERATOR' and actor = '" + System.getProperty("user.name") + "' and partner = 'huzhou'"
                + " and outcome = 'CONFORMS' and cardinality(message_ids) = 7").first(),
                "the run is an audit event naming the operator and the 7 message ids it sent");
    }

    @Test
    void aPartnerThatAnswersAReusedMessageIdWithTheKeptAnswer_failsCase6Only() throws Exception {
        Map<String, Forwarded> kept = new ConcurrentHashMap<>();
        Envelopes huzhouEnvelopes = envelopes("huzhou");
        String front = front(request -> {
            Optional<String> id = messageId(huzhouEnvelopes, request);
            if (id.isPresent() && kept.containsKey(id.get())) {
                return kept.get(id.get()); // the fault: a message id seen is answered from the store, whatever the envelope
            }
            Forwarded answer = forward(request);
            if (id.isPresent() && answer.status() == 200) {
                kept.put(id.get(), answer);
            }
            return answer;
        });

        CliRun run = conformance(front);

        assertEquals(1, run.exit(), run.out() + run.err());
        assertEquals(failing(6), outcomes(run.out()), run.out());
        assertTrue(run.out().contains("  6  FAIL  new envelope under an answered message id refused: expected E_REPLAY (409),"
                + " got HTTP 200 (an answer)"), run.out());
        assertTrue(run.out().endsWith("11 cases: 10 passed, 1 failed, 0 skipped; huzhou does not conform\n"), run.out());
    }

    @Test
    void aPartnerThatSignsItsReceiptOverOtherBytes_failsCase2Only() throws Exception {
        Map<String, String> forged = new ConcurrentHashMap<>();
        Envelopes huzhouEnvelopes = envelopes("huzhou");
        String front = front(request -> {
            Forwarded answer = forward(request);
            if (answer.receipt() == null) {
                return answer;
            }
            // the fault: the receipt's digest is of the answer it sends, not of the request it received
            String receipt = forged.computeIfAbsent(HexFormat.of().formatHex(sha256(request)), k -> Base64.getEncoder().encodeToString(
                    huzhouEnvelopes.signReceipt(new Receipt(messageId(huzhouEnvelopes, request).orElseThrow(), "zhejiang", "huzhou",
                            "SM3", sm3(answer.body()), java.time.Instant.now(), Receipt.ACCEPTED))));
            return new Forwarded(answer.status(), answer.body(), receipt);
        });

        CliRun run = conformance(front);

        assertEquals(1, run.exit(), run.out() + run.err());
        assertEquals(failing(2), outcomes(run.out()), run.out());
        assertTrue(run.out().contains("  2  FAIL  receipts verify: the query's receipt does not verify: E_SIGNATURE_INVALID:"
                + " the receipt's digest is not that of the envelope we sent"), run.out());
    }

    @Test
    void aPartnerThatDoesNotLetUsPull_skipsThePullCases_withWhy_andTheJsonReportSaysSo() throws Exception {
        CliRun run = CliRun.of("conformance", "--partner-url", alliance.exchangeUrl(DemoAlliance.member("huzhou")), "--as", "hangzhou",
                "--config", hangzhouConfig.toString(), "--json");

        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode report = Json.mapper().readTree(run.out());
        assertEquals("huzhou", report.path("partner").asText());
        assertTrue(report.path("conforms").asBoolean(), run.out());
        assertEquals(11, report.path("results").size(), run.out());
        for (JsonNode r : report.path("results")) {
            int number = r.path("number").asInt();
            assertEquals(number >= 8 && number <= 10 ? "SKIP" : "PASS", r.path("outcome").asText(), r.toString());
        }
        assertEquals("huzhou does not let hangzhou pull (E_UNKNOWN_PARTNER): its configuration for hangzhou has no pull mode",
                report.path("results").get(7).path("detail").asText());
    }

    @Test
    void aPartnerThatCannotBeReached_endsTheRunWithExit2_andItsCode() throws Exception {
        CliRun run = conformance("https://127.0.0.1:" + TestNodes.freePort() + "/exchange");

        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(Pattern.compile("(?m)^error E_PARTNER_UNREACHABLE: partner huzhou at https://127\\.0\\.0\\.1:\\d+ does not accept"
                + " connections$").matcher(run.err()).find(), run.err());
        assertTrue(outcomes(run.out()).isEmpty(), "no case is reported: nothing was tested\n" + run.out());
    }

    // --- the runner, and the faulty fronts ---

    private static CliRun conformance(String url) {
        return CliRun.of("conformance", "--partner-url", url, "--partner", "huzhou", "--as", "zhejiang", "--config", zhejiangConfig.toString());
    }

    /** Each case's outcome by its number, from the report's lines. */
    private static Map<Integer, String> outcomes(String out) {
        Map<Integer, String> outcomes = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^ {1,2}(\\d{1,2})  (PASS|FAIL|SKIP)  ").matcher(out);
        while (m.find()) {
            outcomes.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return outcomes;
    }

    private static Map<Integer, String> failing(int number) {
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 1; i <= 11; i++) {
            expected.put(i, i == number ? "FAIL" : "PASS");
        }
        return expected;
    }

    /** What the city answered a request: status, body and receipt header (null if none). */
    record Forwarded(int status, byte[] body, String receipt) {
    }

    /**
     * A front on its own port in front of Huzhou's exchange listener, with Huzhou's TLS certificate,
     * calling Huzhou with Zhejiang's: to the runner it is Huzhou, with the fault {@code handler} adds.
     */
    private static String front(java.util.function.Function<byte[], Forwarded> handler) throws Exception {
        var huzhouIdentity = NodeIdentity.load(alliance.config(DemoAlliance.member("huzhou")),
                Clock.systemUTC()).orElseThrow();
        SSLContext tls = MutualTls.server(huzhouIdentity.tlsCredential().orElseThrow(), huzhouIdentity.validator());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/exchange", exchange -> answer(exchange, handler.apply(exchange.getRequestBody().readAllBytes())));
        server.start();
        fronts.add(server);
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Forwarded answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.status() == 200 ? "application/pkcs7-mime" : "application/json");
        if (answer.receipt() != null) {
            exchange.getResponseHeaders().set("Exchange-Receipt", answer.receipt());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        exchange.getResponseBody().write(answer.body());
        exchange.close();
    }

    private static HttpClient asZhejiang;

    /** The request, passed on to Huzhou as Zhejiang (mutual TLS), and its answer. */
    private static synchronized Forwarded forward(byte[] request) {
        try {
            if (asZhejiang == null) {
                var zhejiang = NodeIdentity.load(alliance.config(DemoAlliance.member("zhejiang")),
                        Clock.systemUTC()).orElseThrow();
                asZhejiang = HttpClient.newBuilder().sslContext(MutualTls.client(zhejiang.tlsCredential().orElseThrow(),
                        zhejiang.validator(), "huzhou")).version(HttpClient.Version.HTTP_1_1).build();
            }
            HttpResponse<byte[]> r = asZhejiang.send(HttpRequest.newBuilder(URI.create(alliance.exchangeUrl(DemoAlliance.member("huzhou"))))
                    .header("Content-Type", "application/pkcs7-mime").POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Forwarded(r.statusCode(), r.body(), r.headers().firstValue("Exchange-Receipt").orElse(null));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Huzhou's GM envelopes, as a faulty front holds them to read what it is sent. */
    private static Envelopes envelopes(String node) throws IOException {
        var identity = NodeIdentity.load(alliance.config(DemoAlliance.member(node)), Clock.systemUTC())
                .orElseThrow();
        return identity.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC()).suite(Suite.GM);
    }

    /** The message id an envelope carries, if it opens. */
    private static Optional<String> messageId(Envelopes envelopes, byte[] envelope) {
        try {
            var attribute = envelopes.openContent(envelope).signedAttributes().get(ExchangeAttributes.MESSAGE_ID);
            return Optional.of(((ASN1UTF8String) attribute.getAttrValues().getObjectAt(0)).getString());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] sm3(byte[] bytes) {
        SM3Digest d = new SM3Digest();
        d.update(bytes, 0, bytes.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
