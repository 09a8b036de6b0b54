package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.GatewayCtl;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push flows between real nodes on loopback: Hangzhou and Huzhou import; the province pulls
 * Hangzhou over SOAP and Huzhou over REST, acknowledging each batch with a signed receipt; both
 * cities deliver licensing and penalty decisions to the nation. Then the nation goes down for
 * longer than Hangzhou's retry policy: the deliveries go DEAD, and an operator's replay delivers
 * them once the nation is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushFlowsIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static final Map<String, Node> nodes = new LinkedHashMap<>();
    static Path seed;

    @BeforeAll
    static void startAlliance() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        // Hangzhou gives the nation three quick attempts, so that the outage below exhausts them
        Path national = root.resolve("hangzhou/partner-configs/national.yaml");
        Files.writeString(national, Files.readString(national).replace(
                "delivery-retry: {attempts: 8, first-backoff-ms: 1000, max-backoff-ms: 60000}",
                "delivery-retry: {attempts: 3, first-backoff-ms: 100, max-backoff-ms: 200}"));
        for (String id : new String[] {"hangzhou", "huzhou", "zhejiang", "national"}) {
            start(id);
        }
        seed = root.resolve("seed");
        new SeedGenerator(11, LocalDate.now()).writeDataSet(40, seed);
    }

    @AfterAll
    static void stopAlliance() {
        nodes.values().forEach(Node::close);
    }

    @Test
    @Order(1)
    void importedRecords_reachTheProvinceOverSoapAndRest_andTheNation_eachExactlyOnce() throws Exception {
        int hangzhouLicensing = importFile("hangzhou", "licensing");
        int hangzhouRedlist = importFile("hangzhou", "redlist");
        int huzhouPenalty = importFile("huzhou", "penalty");
        assertTrue(hangzhouLicensing > 0 && hangzhouRedlist > 0 && huzhouPenalty > 0);

        await("the province holds every record of Hangzhou (SOAP) and Huzhou (REST)", () ->
                received("zhejiang", "hangzhou") == hangzhouLicensing + hangzhouRedlist && received("zhejiang", "huzhou") == huzhouPenalty);
        await("the nation holds every licensing and penalty decision", () ->
                received("national", "hangzhou") == hangzhouLicensing && received("national", "huzhou") == huzhouPenalty);
        await("every delivery is final at the senders", () ->
                state("hangzhou", "zhejiang", "ACKNOWLEDGED") == hangzhouLicensing + hangzhouRedlist
                        && state("hangzhou", "national", "DELIVERED") == hangzhouLicensing
                        && state("huzhou", "zhejiang", "ACKNOWLEDGED") == huzhouPenalty
                        && state("huzhou", "national", "DELIVERED") == huzhouPenalty);

        assertEquals(hangzhouLicensing, receivedOf("national", "hangzhou", "licensing"));
        // the nation keeps, with each double-publicity record, the receipt it signed for the delivery that brought it
        JsonNode atNation = get("national", "/api/v1/received/hangzhou?size=500");
        assertEquals(hangzhouLicensing, atNation.path("total").asInt(), atNation.toString());
        for (JsonNode d : atNation.path("deliveries")) {
            assertTrue(d.path("receipt").isTextual() && d.path("batch").isTextual() && d.path("acknowledgedAt").isTextual(), d.toString());
        }
        assertEquals(0, receivedOf("national", "hangzhou", "redlist"), "red lists are not double publicity");
        JsonNode publicity = get("hangzhou", "/api/v1/publicity");
        assertEquals(0, publicity.path("late").size(), "nothing is late: " + publicity);
        // a further pull round and relay pass change nothing: two more pulls by the province (the second
        // began once the first's records, if any, were kept) and two more relay passes at Hangzhou
        long pulls = pullsOfHangzhou();
        await("two more pulls of the province from Hangzhou", () -> pullsOfHangzhou() >= pulls + 2);
        TestNodes.awaitRouteRuns(alliance.apiUrl(DemoAlliance.member("hangzhou")), "outbox-relay", 2);
        assertEquals(hangzhouLicensing + hangzhouRedlist, received("zhejiang", "hangzhou"));
        assertEquals(hangzhouLicensing, received("national", "hangzhou"));

        // the answers as they travelled: of docs/schemas/publicity.answer, pull.answer and acknowledge.answer
        NodeConfig hangzhou = alliance.config(DemoAlliance.member("hangzhou"));
        assertTrue(AnswerSchemas.assertKeptAnswersValid(alliance.config(DemoAlliance.member("national")), java.util.Map.of("hangzhou", hangzhou))
                .contains("publicity-answer"));
        assertTrue(AnswerSchemas.assertKeptAnswersValid(hangzhou, java.util.Map.of("zhejiang", alliance.config(DemoAlliance.member("zhejiang")),
                "national", alliance.config(DemoAlliance.member("national")))).containsAll(java.util.Set.of("pull-answer", "acknowledge-answer")));
    }

    @Test
    @Order(2)
    void nationDownLongerThanTheRetryPolicy_deliveriesGoDead_andAReplayDeliversThemOnceItIsBack() throws Exception {
        long before = received("national", "hangzhou");
        nodes.remove("national").close();
        int penalties = importFile("hangzhou", "penalty");

        await("Hangzhou's penalty deliveries to the nation are DEAD after three attempts", () ->
                state("hangzhou", "national", "DEAD") == penalties);
        assertEquals(0, GatewayCtl.execute("outbox", "list", "--state", "DEAD", "--node", "hangzhou",
                "--data-dir", root.resolve("data").toString()));

        start("national");
        TestNodes.awaitRouteRuns(alliance.apiUrl(DemoAlliance.member("hangzhou")), "outbox-relay", 2); // with the nation back
        assertEquals(before, received("national", "hangzhou"), "a DEAD delivery waits for the operator");
        assertEquals(0, GatewayCtl.execute("outbox", "replay", "--all", "--node", "hangzhou",
                "--data-dir", root.resolve("data").toString()));

        await("the replayed deliveries reach the nation", () -> received("national", "hangzhou") == before + penalties);
        await("and are DELIVERED", () -> state("hangzhou", "national", "DELIVERED") == before + penalties
                && state("hangzhou", "national", "DEAD") == 0);
    }

    private static void start(String id) throws Exception {
        DemoAlliance.Member m = DemoAlliance.member(id);
        nodes.put(id, alliance.start(m));
        assertEquals(200, TestNodes.get(alliance.apiUrl(m) + "/health/ready").statusCode());
    }

    private static int importFile(String node, String type) throws Exception {
        var r = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member(node)) + "/api/v1/imports?type=" + type, "text/csv",
                Files.readAllBytes(seed.resolve(type + ".csv")));
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).path("stored").asInt();
    }

    private static JsonNode get(String node, String path) {
        try {
            var r = (path.startsWith("/api/v1/alliance/") ? TestNodes.readerGet(alliance.apiUrl(DemoAlliance.member(node)) + path)
                    : TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(node)) + path));
            assertEquals(200, r.statusCode(), r.body());
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long received(String node, String sender) {
        long n = 0;
        for (JsonNode count : get(node, "/api/v1/received").path("received").path(sender)) {
            n += count.asLong();
        }
        return n;
    }

    private static long receivedOf(String node, String sender, String category) {
        return get(node, "/api/v1/received").path("received").path(sender).path(category).asLong();
    }

    /** How many pull exchanges the province has made with Hangzhou (its sent_exchange), answered or not. */
    private static long pullsOfHangzhou() {
        return Long.parseLong(TestNodes.rows(alliance.config(DemoAlliance.member("zhejiang")),
                "select count(*) from sent_exchange where recipient = 'hangzhou' and exchange_type = 'pull'").first());
    }

    private static long state(String node, String destination, String state) {
        return get(node, "/api/v1/outbox").path("deliveries").path(destination).path(state).asLong();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestNodes.await(what, Duration.ofSeconds(90), condition);
    }
}
