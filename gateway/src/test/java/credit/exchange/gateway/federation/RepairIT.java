package credit.exchange.gateway.federation;

import static credit.exchange.gateway.federation.AllianceApi.assertCode;
import static credit.exchange.gateway.federation.AllianceApi.call;
import static credit.exchange.gateway.federation.AllianceApi.operator;
import static credit.exchange.gateway.federation.AllianceApi.quick;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credit repair (信用修复) on real nodes: Hangzhou's licensing records reach the province (pulled)
 * and the nation (pushed); one is repaired while the nation is down. Hangzhou stops serving it at
 * once — to its own callers and to partners' queries — the province withdraws its copy and
 * confirms, and the nation does so when it returns; {@code gatewayctl repair status} shows both.
 */
class RepairIT {

    @TempDir
    Path root;

    @Test
    void aRepairedRecord_isServedByNoOne_andEveryHolderConfirms_oneOfflineWhenItReturns() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        Map<String, Node> nodes = new LinkedHashMap<>();
        NodeConfig hangzhou = quick(alliance.config(DemoAlliance.member("hangzhou")));
        NodeConfig national = quick(alliance.config(DemoAlliance.member("national")));
        String hz = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        try {
            for (String id : new String[] {"hangzhou", "huzhou", "zhejiang", "national"}) {
                nodes.put(id, Node.start(quick(alliance.config(DemoAlliance.member(id)))));
            }
            Path seed = root.resolve("seed");
            new SeedGenerator(5, LocalDate.now()).writeDataSet(10, seed);
            var imported = TestNodes.operatorPost(hz + "/api/v1/imports?type=licensing", "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
            assertEquals(200, imported.statusCode(), imported.body());
            long records = Long.parseLong(TestNodes.rows(hangzhou, "select count(*) from credit_record").first());
            TestNodes.await("the province and the nation hold every record", Duration.ofSeconds(60), () ->
                    held(alliance, "zhejiang") == records && held(alliance, "national") == records);

            String recordId = TestNodes.rows(hangzhou, "select min(r.id) from credit_record r join subject s on s.id = r.subject_id"
                    + " where s.uscc is not null").first();
            String uscc = TestNodes.rows(hangzhou, "select s.uscc from credit_record r join subject s on s.id = r.subject_id where r.id = "
                    + recordId).first();
            String document = TestNodes.rows(hangzhou, "select document_number from credit_record where id = " + recordId).first();
            assertTrue(local(hz, uscc).contains(document), "served before the repair");

            nodes.remove("national").close();
            String operator = operator(hz);
            assertCode(call("POST", hz + "/api/v1/records/" + recordId + "/repair", operator, "{\"reason\": \"FORGIVEN\", \"basis\": \"x\"}"),
                    400, "E_FIELD_INVALID");
            HttpResponse<String> repaired = call("POST", hz + "/api/v1/records/" + recordId + "/repair", operator,
                    "{\"reason\": \"REPAIRED\", \"basis\": \"杭州市信用修复决定 2026-041\"}");
            assertEquals(201, repaired.statusCode(), repaired.body());
            String repairId = Json.mapper().readTree(repaired.body()).path("id").asText();
            assertCode(call("POST", hz + "/api/v1/records/" + recordId + "/repair", operator, "{\"reason\": \"REPAIRED\", \"basis\": \"x\"}"),
                    400, "E_FIELD_INVALID");

            // no one serves it any more: Hangzhou to its own callers and to a partner's query, the province
            assertFalse(local(hz, uscc).contains(document), "Hangzhou no longer serves it");
            String mutual = TestNodes.readerGet(alliance.apiUrl(DemoAlliance.member("huzhou")) + "/api/v1/alliance/subjects/" + uscc
                    + "/records?partners=hangzhou").body();
            assertFalse(mutual.contains(document), "nor answers it to Huzhou: " + mutual);
            TestNodes.await("the province confirms", Duration.ofSeconds(30), () -> holder(hz, operator, repairId, "zhejiang").path("state")
                    .asText().equals("ANSWERED"));
            assertEquals(records - 1, held(alliance, "zhejiang"));
            assertEquals(1, holder(hz, operator, repairId, "zhejiang").path("answer").path("withdrawn").asInt());
            assertEquals("PENDING", holder(hz, operator, repairId, "national").path("state").asText());
            Path file = root.resolve("hangzhou.properties");
            hangzhou.save(file);
            CliRun open = CliRun.of("repair", "status", repairId, "--config", file.toString());
            assertEquals(1, open.exit(), open.out());
            assertTrue(open.out().matches("(?s).*national\\s+not confirmed yet \\(\\d+ attempts, last E_PARTNER_UNREACHABLE\\).*"), open.out() + open.err());

            nodes.put("national", Node.start(national));
            TestNodes.await("the nation, back, confirms", Duration.ofSeconds(60), () -> holder(hz, operator, repairId, "national")
                    .path("state").asText().equals("ANSWERED"));
            assertEquals(records - 1, held(alliance, "national"));
            CliRun done = CliRun.of("repair", "status", repairId, "--config", file.toString());
            assertEquals(0, done.exit(), done.out());
            for (String holder : new String[] {"zhejiang", "national"}) {
                assertTrue(done.out().matches("(?s).*" + holder + "\\s+confirmed [^\\n]*, withdrew 1 delivery.*"), done.out());
                // the holder's answers as they travelled: of docs/schemas/notice.answer.schema.json
                assertTrue(AnswerSchemas.assertKeptAnswersValid(alliance.config(DemoAlliance.member(holder)), java.util.Map.of("hangzhou", hangzhou))
                        .contains("notice-answer"), holder);
            }
        } finally {
            nodes.values().forEach(Node::close);
        }
    }

    /** The deliveries of Hangzhou a holder serves (holds, not withdrawn). */
    private static long held(DemoAlliance alliance, String holder) {
        try {
            JsonNode counts = Json.mapper().readTree(TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(holder)) + "/api/v1/received").body());
            long n = 0;
            for (JsonNode c : counts.path("received").path("hangzhou")) {
                n += c.asLong();
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    private static String local(String api, String uscc) throws Exception {
        return TestNodes.get(api + "/api/v1/records?uscc=" + uscc).body();
    }

    private static JsonNode holder(String api, String token, String repairId, String partner) {
        try {
            for (JsonNode d : Json.mapper().readTree(call("GET", api + "/api/v1/repairs/" + repairId, token, null).body()).path("holders")) {
                if (d.path("partner").asText().equals(partner)) {
                    return d;
                }
            }
        } catch (Exception e) {
            // asked again
        }
        return Json.mapper().createObjectNode();
    }

}
