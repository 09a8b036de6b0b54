package credit.exchange.gateway;

import static credit.exchange.gateway.TestNodes.baseUrl;
import static credit.exchange.gateway.TestNodes.get;
import static credit.exchange.gateway.TestNodes.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node on the real embedded PostgreSQL and Artemis, exercised through its HTTP API and inbox. */
class NodeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static Node node;
    static String url;
    static JsonNode licensingUpload;

    @BeforeAll
    static void startNode() throws Exception {
        NodeConfig config = TestNodes.config(dataDir, Map.of());
        node = Node.start(config);
        url = baseUrl(config);
        var answer = TestNodes.operatorPost(url + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(TestNodes.samples().resolve("licensing-sample.csv")));
        assertEquals(200, answer.statusCode(), answer.body());
        licensingUpload = JSON.readTree(answer.body());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void healthLive_isUp() throws Exception {
        var answer = get(url + "/health/live");
        assertEquals(200, answer.statusCode());
        assertEquals("UP", JSON.readTree(answer.body()).get("status").asText());
    }

    @Test
    void healthReady_reportsDatabaseAndBrokerUp() throws Exception {
        var answer = get(url + "/health/ready");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode checks = JSON.readTree(answer.body()).get("checks");
        assertEquals("UP", checks.get("database").asText());
        assertEquals("UP", checks.get("broker").asText());
    }

    @Test
    void metrics_arePrometheusTextWithRouteAndJvmMeters() throws Exception {
        get(url + "/health/live");
        var answer = TestNodes.operatorGet(url + "/metrics");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(answer.body().contains("jvm_memory_used_bytes"), "JVM binder meters missing");
        assertTrue(answer.body().contains("routeId=\"health-live\""), "route meters missing");
    }

    @Test
    void openApi_describesQueryAndImportOperations() throws Exception {
        var answer = get(url + "/openapi.json");
        assertEquals(200, answer.statusCode());
        JsonNode paths = JSON.readTree(answer.body()).get("paths");
        assertTrue(paths.has("/api/v1/records"), answer.body());
        assertTrue(paths.has("/api/v1/records/by-person"));
        assertTrue(paths.has("/api/v1/imports"));
        assertTrue(paths.has("/api/v1/quality"));
    }

    @Test
    void upload_licensingSample_storesGoodRowsAndReportsEachReject() {
        assertEquals(40, licensingUpload.get("rowsRead").asInt());
        assertEquals(36, licensingUpload.get("stored").asInt());
        assertEquals(1, licensingUpload.get("duplicates").asInt());
        assertEquals(3, licensingUpload.get("rejected").asInt());
        var rows = new java.util.TreeSet<Integer>();
        licensingUpload.get("firstDefects").forEach(d -> rows.add(d.get("rowNumber").asInt()));
        assertEquals(java.util.Set.of(7, 13, 21), rows);
    }

    @Test
    void query_byUscc_answersTheSubjectsRecords() throws Exception {
        var answer = get(url + "/api/v1/records?uscc=913301095GJ1CJ6U17");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode records = JSON.readTree(answer.body()).get("records");
        assertEquals(1, records.size());
        assertEquals("杭卫生许字〔2016〕1000号", records.get(0).get("documentNumber").asText());
        assertEquals("A", records.get(0).get("classification").asText());
    }

    @Test
    void query_byPerson_findsNaturalPersonAndNeverEchoesTheIdNumberOrTheName() throws Exception {
        String id = "33011419680222643X";
        var answer = post(url + "/api/v1/records/by-person", "application/json",
                ("{\"residentId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), TestNodes.devToken(url, "reader", "reader-public", null));
        assertEquals(200, answer.statusCode(), answer.body());
        assertFalse(answer.body().contains(id), "the clear ID number must not appear in the answer");
        JsonNode record = JSON.readTree(answer.body()).get("records").get(0);
        assertEquals("3301**********643X", record.get("maskedPersonId").asText());
        assertEquals("黄*", record.get("partyName").asText(), "a class A reader sees a person's name masked, like the number");
        assertFalse(answer.body().contains("黄芳"));
        assertEquals(401, post(url + "/api/v1/records/by-person", "application/json",
                ("{\"residentId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)).statusCode(), "no anonymous lookup by ID number");
    }

    @Test
    void query_byName_neverConfirmsANameTheAnswerMasks() throws Exception {
        JsonNode anonymous = JSON.readTree(get(url + "/api/v1/records?name=" + java.net.URLEncoder.encode("黄芳", StandardCharsets.UTF_8))
                .body());
        assertEquals(0, anonymous.get("records").size(), "a person's records are not found by the name the public sees masked: "
                + anonymous);
        JsonNode enterprise = JSON.readTree(get(url + "/api/v1/records?name=" + java.net.URLEncoder.encode("杭州千岛", StandardCharsets.UTF_8))
                .body());
        assertTrue(enterprise.get("records").size() > 0, "an enterprise's name is public and found: " + enterprise);
    }

    @Test
    void query_invalidUscc_answers400WithStableCodeAndNoStackTrace() throws Exception {
        var answer = get(url + "/api/v1/records?uscc=913301140ADU5EPP70");
        assertEquals(400, answer.statusCode());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals("E_IDENTIFIER_INVALID", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("check character"));
        assertFalse(answer.body().contains("Exception"));
        assertFalse(answer.body().contains("at credit."));
    }

    @Test
    void query_withoutSubject_answers400FieldMissing() throws Exception {
        var answer = get(url + "/api/v1/records");
        assertEquals(400, answer.statusCode());
        assertEquals("E_FIELD_MISSING", JSON.readTree(answer.body()).get("code").asText());
    }

    @Test
    void upload_unknownType_answers400UnknownType() throws Exception {
        var answer = TestNodes.operatorPost(url + "/api/v1/imports?type=parking-tickets", "text/csv", "A,B\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, answer.statusCode());
        assertEquals("E_UNKNOWN_TYPE", JSON.readTree(answer.body()).get("code").asText());
    }

    @Test
    void anonymousApi_neverSeesClassBRecords() throws Exception {
        String uscc = "913301095GJ1CJ6U17";
        String tax = "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_WSH,MD_JDRQ,MD_RDJG,MD_SJLYDM\n"
                + "杭州千岛网络有限公司,法人及非法人组织," + uscc + ",杭税评〔2025〕1号,2025-04-01,国家税务总局杭州市税务局,113301004A6B675F3B\n";
        var upload = TestNodes.operatorPost(url + "/api/v1/imports?type=tax", "text/csv", tax.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, JSON.readTree(upload.body()).get("stored").asInt(), upload.body());
        JsonNode records = JSON.readTree(get(url + "/api/v1/records?uscc=" + uscc).body()).get("records");
        records.forEach(r -> assertEquals("A", r.get("classification").asText()));
        assertFalse(records.toString().contains("杭税评"));
    }

    @Test
    void inbox_droppedGbkPenaltyFile_isImportedThenDeleted_leavingOwnerOnlyRejects() throws Exception {
        Path inbox = node.config().inbox().resolve("penalty");
        Files.createDirectories(inbox);
        Files.copy(TestNodes.samples().resolve("penalty-sample-gbk.csv"), inbox.resolve("penalty.tmp"));
        Files.move(inbox.resolve("penalty.tmp"), inbox.resolve("penalty-sample-gbk.csv"));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Path rejects = node.config().inbox().resolve(".rejects/penalty/penalty-sample-gbk.csv.rejects.csv");
        while (Instant.now().isBefore(deadline) && (Files.exists(inbox.resolve("penalty-sample-gbk.csv")) || !Files.exists(rejects))) {
            Thread.sleep(200);
        }
        assertFalse(Files.exists(inbox.resolve("penalty-sample-gbk.csv")), "the department's file is still in the inbox");
        assertFalse(Files.exists(node.config().inbox().resolve(".done")), "department files are no longer kept");
        assertTrue(Files.exists(rejects), "rejects file missing");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects.getParent())));
        assertEquals(java.util.Set.of("杭市场罚字〔2016〕2000号"), TestNodes.rows(node.config(), """
                select r.document_number from credit_record r join subject s on s.id = r.subject_id
                where s.uscc = '913301133LY8LTP007'"""), "the dropped file was imported");
        // its 2016 penalties were published until 2019: stored, but served to nobody, before any expiry job (issue 19, item 9)
        var answer = get(url + "/api/v1/records?uscc=913301133LY8LTP007");
        assertEquals(0, JSON.readTree(answer.body()).get("records").size(), answer.body());
    }
}
