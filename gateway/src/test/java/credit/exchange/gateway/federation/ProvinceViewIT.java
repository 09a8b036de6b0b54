package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the provincial platform and the cities' operators see of the push flows (issue 19, item
 * 10), on real nodes: a city's operator lists what the province has not taken yet
 * ({@code outbox pending}); the province's operator pulls it by hand ({@code pull --from}), each
 * batch acknowledged with a signed receipt; the province then answers the received records in its
 * local API with their source, lists what a city handed it, and answers an unknown partner with a
 * coded JSON error; a city's operator asks the alliance from the shell ({@code alliance query}).
 * Every state change by hand is an audit event naming the operator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvinceViewIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static final Map<String, Node> nodes = new LinkedHashMap<>();
    static final Map<String, Path> configs = new LinkedHashMap<>();
    static Path seed;
    static int toProvince;
    static int fromHuzhou;
    static String uscc;
    static final String OPERATOR = System.getProperty("user.name");

    @BeforeAll
    static void startCities() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        for (String id : new String[] {"hangzhou", "huzhou", "zhejiang"}) {
            Path file = root.resolve(id + ".properties");
            alliance.config(DemoAlliance.member(id)).save(file);
            configs.put(id, file);
        }
        // the province has run once (its store exists), and is down while the cities import: its operator pulls by hand
        start("zhejiang");
        nodes.remove("zhejiang").close();
        start("hangzhou");
        start("huzhou");
        seed = root.resolve("seed");
        new SeedGenerator(19, LocalDate.now()).writeDataSet(30, seed);
        toProvince = importFile("hangzhou", "licensing") + importFile("hangzhou", "redlist");
        fromHuzhou = importFile("huzhou", "licensing"); // the same subjects: Huzhou has records of them too
        assertTrue(toProvince > 0);
    }

    @AfterAll
    static void stopAll() {
        nodes.values().forEach(Node::close);
    }

    @Test
    @Order(1)
    void outboxPending_atACity_showsWhatTheProvinceHasNotTaken_perDataset_withAgeAndState() {
        CliRun pending = CliRun.of("outbox", "pending", "--destination", "zhejiang", "--config", config("hangzhou"));

        assertEquals(0, pending.exit(), pending.out() + pending.err());
        assertTrue(pending.out().startsWith("partner") && pending.out().lines().findFirst().orElseThrow().contains("oldest age"),
                pending.out());
        long licensing = count(pending.out(), "zhejiang +PULL +licensing +READY +(\\d+) +\\d+[smhd]");
        long redlist = count(pending.out(), "zhejiang +PULL +redlist +READY +(\\d+) +\\d+[smhd]");
        assertEquals(toProvince, licensing + redlist, pending.out());
    }

    @Test
    @Order(2)
    void pullByHand_atTheProvince_keepsAndAcknowledgesEveryDelivery_printingWhatArrived() throws Exception {
        CliRun pull = CliRun.of("pull", "--from", "hangzhou", "--config", config("zhejiang"));

        assertEquals(0, pull.exit(), pull.out() + pull.err());
        assertTrue(pull.out().contains("pulled " + toProvince + " deliveries from hangzhou over SOAP in 1 batch(es): " + toProvince
                + " new, 0 already held"), pull.out());
        assertTrue(Pattern.compile("(?m)^  hangzhou:outbox:\\d+ +licensing +9\\w{17} ").matcher(pull.out()).find(), pull.out());
        assertEquals(toProvince, state("hangzhou", "zhejiang", "ACKNOWLEDGED"), "acknowledged at Hangzhou before the command ended");
        CliRun nothingPending = CliRun.of("outbox", "pending", "--destination", "zhejiang", "--config", config("hangzhou"));
        // no record waits for the province any more (its checkpoint for countersigning may: the province's node is not running)
        assertTrue(nothingPending.out().startsWith("nothing pending") || nothingPending.out().lines().skip(1)
                .allMatch(line -> line.matches("zhejiang +PUSH +checkpoint .*")), nothingPending.out());

        CliRun again = CliRun.of("pull", "--from", "hangzhou", "--config", config("zhejiang"));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("pulled 0 deliveries from hangzhou"), again.out());

        NodeConfig zhejiang = alliance.config(DemoAlliance.member("zhejiang"));
        assertEquals("1", TestNodes.rows(zhejiang, "select count(*) from audit_event where action = 'pull' and actor_kind = 'OPERATOR'"
                + " and actor = '" + OPERATOR + "' and partner = 'hangzhou' and outcome = 'PULLED' and cardinality(message_ids) = 1").first(),
                "the pull that took something is an audit event naming the operator and its batch");

        CliRun notPulled = CliRun.of("pull", "--from", "nowhere", "--config", config("zhejiang"));
        assertEquals(2, notPulled.exit());
        assertRefused(notPulled, "error E_NOT_FOUND: no partner 'nowhere'");
        CliRun notAPuller = CliRun.of("pull", "--from", "zhejiang", "--config", config("hangzhou"));
        assertEquals(2, notAPuller.exit());
        assertRefused(notAPuller, "error E_NOT_GRANTED: node hangzhou does not pull from zhejiang");
    }

    @Test
    @Order(3)
    void theProvince_answersWhatItReceived_withItsSource_inTheLocalApi_andPerPartner() throws Exception {
        start("zhejiang");
        NodeConfig zhejiang = alliance.config(DemoAlliance.member("zhejiang"));
        String api = alliance.apiUrl(DemoAlliance.member("zhejiang"));
        // the running province pulls Huzhou itself (REST): what it holds then stays as it is
        TestNodes.await("the province holds Huzhou's records too", Duration.ofSeconds(90), () -> {
            try {
                HttpResponse<String> r = TestNodes.operatorGet(api + "/api/v1/received/huzhou?size=1");
                return r.statusCode() == 200 && Json.mapper().readTree(r.body()).path("total").asInt() == fromHuzhou;
            } catch (Exception e) {
                return false;
            }
        });
        uscc = TestNodes.rows(zhejiang, "select record -> 'subject' ->> 'uscc' from received_delivery where sender = 'hangzhou'"
                + " and category = 'licensing' and record -> 'subject' ->> 'kind' = 'LEGAL_PERSON'").first();

        JsonNode page = json(TestNodes.get(api + "/api/v1/records?uscc=" + uscc), 200); // the anonymous public: class A
        assertTrue(page.path("received").size() > 0, page.toString());
        assertEquals(Set.of("hangzhou", "huzhou"), new java.util.TreeSet<>(page.path("received").findValuesAsText("partner")),
                "what both cities handed the province: " + page);
        for (JsonNode r : page.path("received")) {
            assertEquals(uscc, r.path("uscc").asText());
            assertFalse(r.has("id"), r.toString());
            JsonNode source = r.path("source");
            String city = source.path("partner").asText();
            assertTrue(Set.of("hangzhou", "huzhou").contains(city) && source.path("messageId").asText().startsWith(city + ":outbox:"),
                    r.toString());
            // the receipt shown is the very one the city keeps as the province's acknowledgement of that batch (SOAP and REST)
            assertEquals(Set.of(source.path("receipt").asText()), TestNodes.rows(alliance.config(DemoAlliance.member(city)),
                    "select translate(encode(receipt, 'base64'), E'\\n', '') from pull_receipt where destination = 'zhejiang'"
                            + " and batch_id = '" + source.path("batch").asText() + "'"));
        }

        CliRun query = CliRun.of("query", "--uscc", uscc, "--config", config("zhejiang"));
        assertEquals(0, query.exit(), query.err());
        assertEquals(page.path("received").size(), Json.mapper().readTree(query.out()).path("received").size(),
                "the operator's query answers the received records as the local API does: " + query.out());

        JsonNode listed = json(TestNodes.operatorGet(api + "/api/v1/received/hangzhou?size=5"), 200);
        assertEquals(toProvince, listed.path("total").asInt(), listed.toString());
        assertEquals(5, listed.path("deliveries").size());
        JsonNode first = listed.path("deliveries").get(0);
        assertTrue(first.path("record").path("category").isTextual() && first.path("receipt").isTextual()
                && first.path("acknowledgedAt").isTextual(), first.toString());
        JsonNode onlyRedlist = json(TestNodes.operatorGet(api + "/api/v1/received/hangzhou?category=redlist&page=0&size=500"), 200);
        assertEquals(onlyRedlist.path("total").asInt(), onlyRedlist.path("deliveries").size());

        HttpResponse<String> unknown = TestNodes.operatorGet(api + "/api/v1/received/nowhere");
        assertEquals("E_NOT_FOUND", json(unknown, 404).path("code").asText(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("E_TOKEN_MISSING", json(TestNodes.get(api + "/api/v1/received/hangzhou"), 401).path("code").asText(),
                "an operator's door");
        assertEquals("E_FIELD_INVALID", json(TestNodes.operatorGet(api + "/api/v1/received/hangzhou?size=0"), 400).path("code").asText());
        JsonNode contract = json(TestNodes.get(api + "/openapi.json"), 200);
        assertTrue(contract.path("paths").has("/api/v1/received/{partner}"), "the OpenAPI contract lists the new door");
    }

    @Test
    @Order(4)
    void allianceQuery_atACity_printsEachPartnersOutcome_recordCount_andLatency_asTheDemoDoes() {
        CliRun query = CliRun.of("alliance", "query", "--uscc", uscc, "--config", config("hangzhou"));

        assertEquals(1, query.exit(), "Jiaxing and Shaoxing do not run: " + query.out() + query.err());
        assertTrue(query.out().startsWith("mutual query of " + uscc + " by " + OPERATOR + ": "), query.out());
        Matcher huzhou = Pattern.compile("(?m)^   huzhou +ANSWERED +(\\d+) records  \\d+ ms$").matcher(query.out());
        assertTrue(huzhou.find() && Integer.parseInt(huzhou.group(1)) > 0, query.out());
        assertTrue(Pattern.compile("(?m)^   shaoxing +FAILED +E_PARTNER_UNREACHABLE +0 records  $").matcher(query.out()).find(), query.out());

        CliRun asJson = CliRun.of("alliance", "query", "--uscc", uscc, "--partners", "huzhou", "--json", "--config", config("hangzhou"));
        assertEquals(0, asJson.exit(), asJson.err());
        assertTrue(asJson.out().contains("\"signatureVerified\" : true"), asJson.out());
        assertTrue(Long.parseLong(TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select count(*) from audit_event"
                + " where action = 'access' and actor = '" + OPERATOR + "' and subject_key = 'U:" + uscc + "'").first()) > 0,
                "the operator's reads of the partners' records are access events naming the operator");

        CliRun invalid = CliRun.of("alliance", "query", "--uscc", "91330100716105852X", "--config", config("hangzhou"));
        assertEquals(2, invalid.exit());
        assertRefused(invalid, "error E_IDENTIFIER_INVALID:");
    }

    @Test
    @Order(5)
    void outboxReplay_isAnAuditEventNamingTheOperator() {
        CliRun replay = CliRun.of("outbox", "replay", "--all", "--config", config("hangzhou"));

        assertEquals(0, replay.exit(), replay.err());
        assertEquals("1", TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")), "select count(*) from audit_event"
                + " where action = 'outbox.replay' and actor_kind = 'OPERATOR' and actor = '" + OPERATOR + "'").first());
        CliRun notDead = CliRun.of("outbox", "replay", "999999", "--config", config("hangzhou"));
        assertEquals(1, notDead.exit());
        assertRefused(notDead, "error E_UNKNOWN_MESSAGE:");
    }

    /** The command's refusal line, among whatever the log printed on standard error. */
    private static void assertRefused(CliRun run, String line) {
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith(line)), run.err());
    }

    private static void start(String id) throws Exception {
        DemoAlliance.Member m = DemoAlliance.member(id);
        nodes.put(id, alliance.start(m));
        assertEquals(200, TestNodes.get(alliance.apiUrl(m) + "/health/ready").statusCode());
    }

    private static String config(String id) {
        return configs.get(id).toString();
    }

    private static int importFile(String node, String type) throws Exception {
        var r = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member(node)) + "/api/v1/imports?type=" + type, "text/csv",
                Files.readAllBytes(seed.resolve(type + ".csv")));
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).path("stored").asInt();
    }

    private static long state(String node, String destination, String state) throws Exception {
        return json(TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(node)) + "/api/v1/outbox"), 200)
                .path("deliveries").path(destination).path(state).asLong();
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private static long count(String out, String line) {
        Matcher m = Pattern.compile("(?m)^" + line).matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
