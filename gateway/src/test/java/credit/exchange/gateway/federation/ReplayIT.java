package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.PemFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay semantics (docs/protocol.md §2 and §9, "Duplicates") for every exchange type a node
 * answers: the same sender and message id with the same signed content gets the kept answer,
 * byte for byte; a new envelope with other content under an answered id is refused
 * {@code E_REPLAY} (409) and audited. Hangzhou and the nation are real nodes; the province's
 * pulls are made with the province's credentials by the test itself.
 */
class ReplayIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static final List<Node> nodes = new ArrayList<>();
    static String uscc;

    @BeforeAll
    static void startNodes() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        for (String id : List.of("hangzhou", "national")) {
            nodes.add(alliance.start(DemoAlliance.member(id)));
        }
        Path seed = root.resolve("seed");
        new SeedGenerator(5, LocalDate.now()).writeDataSet(10, seed);
        var imported = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/imports?type=licensing",
                "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
        assertEquals(200, imported.statusCode(), imported.body());
        uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv")));
    }

    @AfterAll
    static void stopNodes() {
        nodes.forEach(Node::close);
    }

    @Test
    void query() throws Exception {
        assertReplaySemantics("national", "hangzhou", "query", query(uscc), query("91330100716105852F"));
    }

    @Test
    void pullAndAcknowledge() throws Exception {
        byte[] pullAnswer = assertReplaySemantics("zhejiang", "hangzhou", "pull", PushMessages.pullRequest(5), PushMessages.pullRequest(6));

        // the province's acknowledgement of that batch: with its receipt of the answer envelope, the way OutboxPuller makes it
        Envelopes province = envelopes("zhejiang").suite(suite("zhejiang", "hangzhou"));
        OpenedEnvelope answer = envelopes("zhejiang").open(pullAnswer);
        JsonNode batch = Json.mapper().readTree(answer.payload());
        List<String> delivered = new ArrayList<>();
        batch.path("messages").forEach(m -> delivered.add(m.path("messageId").asText()));
        assertTrue(!delivered.isEmpty(), "Hangzhou's licensing records are due to the province: " + batch);
        byte[] receipt = province.signReceipt(new Receipt(answer.headers().messageId(), "hangzhou", "zhejiang",
                province.digestAlgorithm(), answer.receivedDigest(), Instant.now(), Receipt.ACCEPTED));
        String pullId = answer.headers().correlationId();
        assertReplaySemantics("zhejiang", "hangzhou", "acknowledge",
                PushMessages.write(new PushMessages.Acknowledgement(pullId, delivered, Base64.getEncoder().encodeToString(receipt))),
                PushMessages.write(new PushMessages.Acknowledgement(pullId, delivered.subList(0, 1),
                        Base64.getEncoder().encodeToString(receipt))));
    }

    @Test
    void publicity() throws Exception {
        assertReplaySemantics("hangzhou", "national", "publicity", "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8),
                "{\"messages\":[] }".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void checkpoint() throws Exception {
        Suite suite = suite("hangzhou", "national");
        Envelopes hangzhou = envelopes("hangzhou").suite(suite);
        long seq = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000); // no checkpoint of Hangzhou's own trail is near
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String algorithm = suite == Suite.GM ? "SM3" : "SHA-256";
        assertReplaySemantics("hangzhou", "national", "checkpoint",
                checkpointRequest(new Checkpoint("hangzhou", algorithm, seq, randomHash(), at).sign(hangzhou)),
                checkpointRequest(new Checkpoint("hangzhou", algorithm, seq + 1, randomHash(), at).sign(hangzhou)));
    }

    @Test
    void notice() throws Exception {
        // the nation holds the records Hangzhou hands it, so it takes Hangzhou's repair notices
        assertReplaySemantics("hangzhou", "national", "notice", repairNotice("hangzhou:outbox:1"), repairNotice("hangzhou:outbox:2"));
    }

    /**
     * Sends {@code first} under a fresh message id, then {@code other} (other content) under the
     * same id, then {@code first} again, sealed anew; returns the answer envelope to the first.
     */
    private static byte[] assertReplaySemantics(String from, String to, String type, byte[] first, byte[] other) throws Exception {
        X509Certificate recipient = PemFiles.readCertificate(root.resolve("certs")
                .resolve(to + "." + suite(from, to).name().toLowerCase(Locale.ROOT) + ".pem"));
        ExchangeHeaders headers = new ExchangeHeaders(UUID.randomUUID().toString(), from, to, type, null, Instant.now());

        HttpResponse<byte[]> answered = post(from, to, envelopes(from).seal(first, headers, recipient));
        assertEquals(200, answered.statusCode(), type + ": " + new String(answered.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> replayed = post(from, to, envelopes(from).seal(other, headers, recipient));
        assertEquals(409, replayed.statusCode(), type + ": " + new String(replayed.body(), StandardCharsets.UTF_8));
        assertEquals("E_REPLAY", Json.mapper().readTree(replayed.body()).path("code").asText(), type);

        HttpResponse<byte[]> resent = post(from, to, envelopes(from).seal(first, headers, recipient));
        assertEquals(200, resent.statusCode(), type + ": " + new String(resent.body(), StandardCharsets.UTF_8));
        assertArrayEquals(answered.body(), resent.body(), type + ": the same signed message, encrypted anew, gets the kept answer");
        assertEquals(answered.headers().firstValue(PartnerClient.RECEIPT_HEADER), resent.headers().firstValue(PartnerClient.RECEIPT_HEADER),
                type + ": and the kept receipt");

        TestNodes.await(type + ": the refused replay is an audit event", Duration.ofSeconds(30), () -> TestNodes.rows(
                alliance.config(DemoAlliance.member(to)), "select reason from audit_event where action = 'exchange.in'"
                        + " and decision = 'DENY' and '" + headers.messageId() + "' = any (message_ids)").contains("E_REPLAY"));
        return answered.body();
    }

    private static Suite suite(String a, String b) {
        return DemoAlliance.suiteBetween(a, b);
    }

    private static byte[] query(String subject) {
        return ("{\"uscc\":\"" + subject + "\",\"requestedBy\":\"test\",\"purpose\":\"test\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] checkpointRequest(byte[] signed) {
        return ("{\"checkpoint\":\"" + Base64.getEncoder().encodeToString(signed) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] repairNotice(String messageId) {
        return ("{\"noticeId\":\"" + UUID.randomUUID() + "\",\"kind\":\"repair\",\"subject\":\"" + uscc + "\",\"body\":{"
                + "\"reason\":\"REPAIRED\",\"basis\":\"test\",\"category\":\"licensing\",\"documentNumber\":\"T-1\","
                + "\"messageIds\":[\"" + messageId + "\"]}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomHash() {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        return hash;
    }

    private static NodeEnvelopes envelopes(String node) throws Exception {
        return MemberEnvelopes.of(alliance, node);
    }

    private static HttpResponse<byte[]> post(String as, String to, byte[] envelope) throws Exception {
        return MemberEnvelopes.post(alliance, as, to, envelope);
    }
}
