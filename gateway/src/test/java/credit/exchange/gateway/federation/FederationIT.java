package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hangzhou, Huzhou and Jiaxing as real nodes on loopback (embedded PostgreSQL and Artemis, real
 * envelopes, mutual TLS), and stand-ins on the other partners' ports: Shaoxing never answers,
 * the province answers garbage, the national port presents another node's certificate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static final List<Node> nodes = new ArrayList<>();
    static final List<HttpsServer> standIns = new ArrayList<>();
    static String uscc;

    @BeforeAll
    static void startAlliance() throws Exception {
        int base = DemoAlliance.freeBasePort();
        alliance = DemoAlliance.prepare(root, base, null);
        for (String id : List.of("hangzhou", "huzhou", "jiaxing")) {
            nodes.add(alliance.start(DemoAlliance.member(id)));
            var ready = TestNodes.get(alliance.apiUrl(DemoAlliance.member(id)) + "/health/ready");
            assertEquals(200, ready.statusCode(), id + " (several nodes share this JVM, each with its own broker): " + ready.body());
        }
        Path seed = root.resolve("seed");
        new SeedGenerator(7, java.time.LocalDate.now()).writeDataSet(20, seed);
        for (String id : List.of("hangzhou", "huzhou", "jiaxing")) {
            var r = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member(id)) + "/api/v1/imports?type=licensing", "text/csv",
                    Files.readAllBytes(seed.resolve("licensing.csv")));
            assertEquals(200, r.statusCode(), r.body());
        }
        uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv")));
        standIns.add(standIn("shaoxing", "shaoxing", exchange -> { /* never answers */ }));
        standIns.add(standIn("zhejiang", "zhejiang", exchange -> {
            byte[] junk = "this is not an envelope".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(PartnerClient.RECEIPT_HEADER, Base64.getEncoder().encodeToString(junk));
            exchange.sendResponseHeaders(200, junk.length);
            exchange.getResponseBody().write(junk);
            exchange.close();
        }));
        standIns.add(standIn("national", "zhejiang", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        }));
    }

    @AfterAll
    static void stopAlliance() {
        standIns.forEach(s -> s.stop(0));
        nodes.forEach(Node::close);
    }

    @Test
    void mutualQuery_mergesEveryPartnersAnswer_withProvenance_andSaysWhyEachOtherFailed() throws Exception {
        Instant start = Instant.now();
        JsonNode merged = get("hangzhou", "/api/v1/alliance/subjects/" + uscc + "/records?partners=all");
        Duration took = Duration.between(start, Instant.now());

        assertEquals("ANSWERED", partner(merged, "huzhou").path("outcome").asText(), merged.toString());
        assertTrue(partner(merged, "huzhou").path("records").asInt() > 0, merged.toString());
        assertEquals("ANSWERED", partner(merged, "jiaxing").path("outcome").asText(), "the INTL partner: " + merged);
        assertEquals("TIMED_OUT", partner(merged, "shaoxing").path("outcome").asText(), merged.toString());
        assertEquals("E_TIMEOUT", partner(merged, "shaoxing").path("code").asText());
        assertEquals("E_BAD_ANSWER", partner(merged, "zhejiang").path("code").asText(), merged.toString());
        assertEquals("E_CERT_UNTRUSTED", partner(merged, "national").path("code").asText(), merged.toString());
        assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "the slowest partner's 4 s timeout bounds the query: " + took);
        for (JsonNode r : merged.path("records")) {
            assertTrue(r.path("signatureVerified").asBoolean());
            assertTrue(List.of("huzhou", "jiaxing").contains(r.path("node").asText()));
            assertTrue(r.hasNonNull("answeredAt") && r.hasNonNull("answerMessageId"), r.toString());
            assertEquals(uscc, r.path("record").path("uscc").asText());
        }
        // each exchange Hangzhou started is an audit event with its outcome; Huzhou's answer is one at Huzhou, same message id
        var started = TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select partner || ' ' || outcome || ' ' || detail"
                + " from audit_event where action = 'exchange.out' and at >= '" + start + "'");
        assertTrue(started.containsAll(List.of("huzhou ANSWERED query", "jiaxing ANSWERED query", "shaoxing E_TIMEOUT query",
                "zhejiang E_BAD_ANSWER query", "national E_CERT_UNTRUSTED query")), started.toString());
        var askedIds = TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select message_ids[1] from audit_event"
                + " where action = 'exchange.out' and partner = 'huzhou' and at >= '" + start + "'");
        var answeredIds = TestNodes.rows(alliance.config(DemoAlliance.member("huzhou")), "select message_ids[1] from audit_event"
                + " where action = 'exchange.in' and partner = 'hangzhou' and outcome = 'ANSWERED'");
        assertTrue(answeredIds.containsAll(askedIds) && !askedIds.isEmpty(), askedIds + " answered at Huzhou: " + answeredIds);
    }

    /**
     * A partner that holds only a class B record of the subject answers with none: the merged answer
     * says, for that partner, how many records were withheld and why (issue 19), from the count
     * the partner's signed answer carries — never a bare "ANSWERED, 0 records".
     */
    @Test
    void mutualQuery_answerThatWithheldEveryRecord_saysPerPartnerHowManyAndWhy() throws Exception {
        String subject = "91330100716105852F";
        String tax = "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_WSH,MD_JDRQ,MD_RDJG,MD_SJLYDM\n"
                + "扣留测试有限公司,法人及非法人组织," + subject + ",嘉税评〔2026〕1号," + java.time.LocalDate.now().minusDays(10)
                + ",国家税务总局嘉兴市税务局,113301004A6B675F3B\n";
        var imported = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member("jiaxing")) + "/api/v1/imports?type=tax", "text/csv",
                tax.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, Json.mapper().readTree(imported.body()).path("stored").asInt(), imported.body());

        JsonNode jiaxing = partner(get("hangzhou", "/api/v1/alliance/subjects/" + subject + "/records?partners=jiaxing"), "jiaxing");

        assertEquals("ANSWERED", jiaxing.path("outcome").asText(), jiaxing.toString());
        assertEquals(0, jiaxing.path("records").asInt(), jiaxing.toString());
        assertEquals(1, jiaxing.path("withheld").size(), jiaxing.toString());
        assertEquals(1, jiaxing.path("withheld").get(0).path("records").asInt(), jiaxing.toString());
        assertTrue(jiaxing.path("withheld").get(0).path("code").asText().startsWith("E_"), jiaxing.toString());
        assertTrue(jiaxing.path("message").asText().startsWith("1 record withheld: "), jiaxing.toString());
    }

    @Test
    void metrics_countExchangesPerPartnerByOutcome_withALatencyHistogram() throws Exception {
        get("hangzhou", "/api/v1/alliance/subjects/" + uscc + "/records?partners=huzhou");

        String hangzhou = TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/metrics").body();
        String huzhou = TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member("huzhou")) + "/metrics").body();

        assertTrue(hangzhou.lines().anyMatch(l -> l.startsWith("credit_exchange_requests_total{") && l.contains("direction=\"outbound\"")
                && l.contains("outcome=\"ANSWERED\"") && l.contains("partner=\"huzhou\"")), hangzhou);
        assertTrue(hangzhou.contains("credit_exchange_latency_seconds_bucket{direction=\"outbound\",partner=\"huzhou\""));
        assertTrue(huzhou.lines().anyMatch(l -> l.startsWith("credit_exchange_requests_total{") && l.contains("direction=\"inbound\"")
                && l.contains("partner=\"hangzhou\"")), huzhou);
    }

    @Test
    void huzhou_queriesHangzhou() throws Exception {
        JsonNode merged = get("huzhou", "/api/v1/alliance/subjects/" + uscc + "/records?partners=hangzhou");

        assertEquals("ANSWERED", partner(merged, "hangzhou").path("outcome").asText(), merged.toString());
        assertTrue(partner(merged, "hangzhou").path("records").asInt() > 0);
        assertTrue(TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select actor || ' ' || detail from audit_event"
                + " where action = 'access' and actor_kind = 'PARTNER'").contains("huzhou on behalf of test-reader"),
                "Hangzhou's access events name the end user Huzhou vouched for");
    }

    @Test
    void duplicateEnvelope_isAnsweredWithTheStoredAnswerAndReceipt_andProcessedOnce() throws Exception {
        byte[] envelope = seal("huzhou", "hangzhou", Suite.GM, query(uscc));

        HttpResponse<byte[]> first = post("huzhou", "hangzhou", envelope);
        HttpResponse<byte[]> second = post("huzhou", "hangzhou", envelope);

        assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.UTF_8));
        assertEquals(200, second.statusCode());
        assertArrayEquals(first.body(), second.body(), "the same sealed answer");
        assertEquals(first.headers().firstValue(PartnerClient.RECEIPT_HEADER), second.headers().firstValue(PartnerClient.RECEIPT_HEADER));
        OpenedEnvelope answer = envelopes("huzhou").open(first.body());
        assertEquals("hangzhou", answer.headers().sender());
        assertEquals("query-answer", answer.headers().exchangeType());
        AnswerSchemas.assertValid(answer.headers().exchangeType(), answer.payload());
        // and every answer Hangzhou gave Huzhou so far (the mutual queries' too): of docs/schemas/query.answer.schema.json
        assertTrue(AnswerSchemas.assertKeptAnswersValid(alliance.config(DemoAlliance.member("hangzhou")),
                java.util.Map.of("huzhou", alliance.config(DemoAlliance.member("huzhou")))).contains("query-answer"));
    }

    /**
     * Replay semantics (docs/protocol.md §9): under an answered message id, the same signed message
     * sent again — even encrypted anew — gets the kept answer; a new envelope with other content
     * is refused E_REPLAY (409), and the refusal is audited.
     */
    @Test
    void tamperedEnvelope_isRefusedWithACode() throws Exception {
        byte[] envelope = seal("huzhou", "hangzhou", Suite.GM, query(uscc));
        envelope[envelope.length / 2] ^= 0x01;

        HttpResponse<byte[]> answer = post("huzhou", "hangzhou", envelope);

        // SM4-CBC garbles the block the flip lands in: in the payload or the signature that is a decryption or signature
        // failure; in the embedded signer certificate (its size varies with the distribution point's port) a certificate
        // the alliance never issued
        assertTrue(code(answer).matches("E_DECRYPTION_FAILED|E_SIGNATURE_INVALID|E_MALFORMED|E_CERT_UNTRUSTED"), code(answer));
        assertEquals(credit.exchange.security.ErrorCode.valueOf(code(answer)).httpStatus(), answer.statusCode());
        assertTrue(TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select actor || ' ' || decision || ' ' || reason"
                + " from audit_event where action = 'exchange.in' and outcome = 'REFUSED'").contains("huzhou DENY " + code(answer)),
                "the refusal is an audit event naming the TLS peer and the code");
    }

    @Test
    void envelopeSignedByAnotherNodeThanTheTlsClient_isRefusedWithE_TRANSPORT_MISMATCH() throws Exception {
        byte[] envelope = seal("zhejiang", "hangzhou", Suite.GM, query(uscc));

        assertEquals("E_TRANSPORT_MISMATCH", code(post("huzhou", "hangzhou", envelope)));
    }

    @Test
    void suiteOtherThanTheConfiguredOne_isRefusedWithE_SUITE_MISMATCH() throws Exception {
        byte[] envelope = seal("huzhou", "hangzhou", Suite.INTL, query(uscc));

        assertEquals("E_SUITE_MISMATCH", code(post("huzhou", "hangzhou", envelope)));
    }

    @Test
    void nodeThatIsNoPartner_isRefusedWithE_UNKNOWN_PARTNER() throws Exception {
        // Jiaxing's configuration knows no "zhejiang" once its file is gone; reloads pick that up without a restart
        Path jiaxingPartners = root.resolve("jiaxing").resolve("partner-configs");
        long reloads = configurationsInForce("jiaxing");
        Files.move(jiaxingPartners.resolve("zhejiang.yaml"), root.resolve("zhejiang.yaml.off"));
        try {
            // the reload that found the file gone is on Jiaxing's trail once it is in force
            TestNodes.await("Jiaxing's reload without zhejiang.yaml", Duration.ofSeconds(30), () -> configurationsInForce("jiaxing") > reloads);
            assertEquals("E_UNKNOWN_PARTNER", code(post("zhejiang", "jiaxing", seal("zhejiang", "jiaxing", Suite.INTL, query(uscc)))));
        } finally {
            Files.move(root.resolve("zhejiang.yaml.off"), jiaxingPartners.resolve("zhejiang.yaml"));
            TestNodes.await("Jiaxing's reload with zhejiang.yaml again", Duration.ofSeconds(30),
                    () -> configurationsInForce("jiaxing") > reloads + 1);
        }
    }

    /** How many partner configurations the node has put in force (its "config" audit events: at start and each changing reload). */
    private static long configurationsInForce(String node) {
        return Long.parseLong(TestNodes.rows(alliance.config(DemoAlliance.member(node)),
                "select count(*) from audit_event where action = 'config' and actor = 'partner-configs'").first());
    }

    @Test
    void oversizedEnvelope_isRefusedWithE_TOO_LARGE() throws Exception {
        byte[] huge = new byte[17 * 1024 * 1024];
        huge[0] = 0x30;

        HttpResponse<byte[]> answer = post("huzhou", "hangzhou", huge);

        assertEquals(413, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    }

    @Test
    void clientWithoutANodeCertificate_cannotConnect() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            anonymous.send(HttpRequest.newBuilder(URI.create(alliance.exchangeUrl(DemoAlliance.member("hangzhou"))))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x30, 0})).build(), HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("a client without a node certificate was served");
        } catch (java.io.IOException expected) {
            // the handshake fails: the listener requires a client certificate of the alliance
        }
    }

    @Test
    void unknownPartnerName_isRefusedWithE_UNKNOWN_PARTNER() throws Exception {
        JsonNode unknown = getRaw("hangzhou", "/api/v1/alliance/subjects/" + uscc + "/records?partners=nobody");

        assertEquals("E_UNKNOWN_PARTNER", unknown.path("code").asText(), unknown.toString());
    }

    /** Last: it stops Huzhou. */
    @Test
    @Order(Integer.MAX_VALUE)
    void stoppedPartner_isReportedAsFailed_E_PARTNER_UNREACHABLE_withinItsTimeout() throws Exception {
        nodes.remove(1).close(); // huzhou
        Instant start = Instant.now();

        JsonNode merged = get("hangzhou", "/api/v1/alliance/subjects/" + uscc + "/records?partners=huzhou,jiaxing");

        assertEquals("FAILED", partner(merged, "huzhou").path("outcome").asText(), merged.toString());
        assertEquals("E_PARTNER_UNREACHABLE", partner(merged, "huzhou").path("code").asText());
        assertEquals("ANSWERED", partner(merged, "jiaxing").path("outcome").asText());
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(5)) < 0);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static JsonNode partner(JsonNode merged, String node) {
        for (JsonNode p : merged.path("partners")) {
            if (p.path("node").asText().equals(node)) {
                return p;
            }
        }
        throw new AssertionError("no result for " + node + " in " + merged);
    }

    private static JsonNode get(String node, String path) throws Exception {
        var answer = (path.startsWith("/api/v1/alliance/") ? TestNodes.readerGet(alliance.apiUrl(DemoAlliance.member(node)) + path)
                    : TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(node)) + path));
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.mapper().readTree(answer.body());
    }

    private static JsonNode getRaw(String node, String path) throws Exception {
        return Json.mapper().readTree((path.startsWith("/api/v1/alliance/") ? TestNodes.readerGet(alliance.apiUrl(DemoAlliance.member(node)) + path)
                    : TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(node)) + path)).body());
    }

    private static byte[] query(String uscc) {
        return ("{\"uscc\":\"" + uscc + "\",\"requestedBy\":\"test\",\"purpose\":\"test\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static NodeEnvelopes envelopes(String node) throws Exception {
        return MemberEnvelopes.of(alliance, node);
    }

    private static byte[] seal(String from, String to, Suite suite, byte[] payload) throws Exception {
        X509Certificate recipient = PemFiles.readCertificate(root.resolve("certs").resolve(to + "." + suite.name().toLowerCase() + ".pem"));
        return envelopes(from).seal(payload, new ExchangeHeaders(UUID.randomUUID().toString(), from, to, "query", null,
                Instant.now()), recipient);
    }

    private static HttpResponse<byte[]> post(String as, String to, byte[] envelope) throws Exception {
        return MemberEnvelopes.post(alliance, as, to, envelope);
    }

    /** The error code of a refusal; "OK" for an accepted request (its body is the sealed answer, not JSON). */
    private static String code(HttpResponse<byte[]> answer) throws Exception {
        if (answer.statusCode() == 200) {
            return "OK";
        }
        return Json.mapper().readTree(answer.body()).path("code").asText("HTTP " + answer.statusCode());
    }

    /** An HTTPS server with mutual TLS on {@code port}'s member's exchange port, presenting {@code presenting}'s certificate. */
    private static HttpsServer standIn(String port, String presenting, com.sun.net.httpserver.HttpHandler handler) throws Exception {
        Member member = DemoAlliance.member(port);
        NodeIdentity identity = NodeIdentity.load(alliance.config(DemoAlliance.member(presenting)), Clock.systemUTC()).orElseThrow();
        URI uri = URI.create(alliance.exchangeUrl(member));
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", uri.getPort()), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(MutualTls.server(identity.tlsCredential().orElseThrow(), identity.validator())) {
            @Override
            public void configure(HttpsParameters params) {
                params.setNeedClientAuth(true);
            }
        });
        server.createContext("/exchange", handler);
        server.start();
        return server;
    }
}
