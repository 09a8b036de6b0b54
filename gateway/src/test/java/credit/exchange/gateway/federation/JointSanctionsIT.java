package credit.exchange.gateway.federation;

import static credit.exchange.gateway.federation.AllianceApi.assertCode;
import static credit.exchange.gateway.federation.AllianceApi.call;
import static credit.exchange.gateway.federation.AllianceApi.operator;
import static credit.exchange.gateway.federation.AllianceApi.quick;
import static credit.exchange.gateway.federation.AllianceApi.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint punishment (联合奖惩) end to end on real nodes: Hangzhou black-lists an enterprise and
 * notifies its alliance partners; Huzhou acknowledges at once and responds with the measures it
 * applied; Jiaxing is down while the notice propagates and receives it when it returns; Shaoxing
 * never runs. Hangzhou tracks each: acknowledged, responded with what, still trying, overdue —
 * through the API and {@code gatewayctl sanctions status}. When Hangzhou repairs the entry, every
 * partner the notice went to is told; those that run confirm, nobody is overdue any more, and
 * the notice takes no response.
 */
class JointSanctionsIT {

    private static final String USCC = "91330100716105852F";

    @TempDir
    Path root;

    @Test
    void aBlackListNotice_reachesEveryPartner_evenOneOfflineDuringPropagation_andTheResponsesAreTracked() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        NodeConfig hangzhou = quick(alliance.config(DemoAlliance.member("hangzhou")));
        NodeConfig jiaxing = quick(alliance.config(DemoAlliance.member("jiaxing")));
        String hz = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String hu = alliance.apiUrl(DemoAlliance.member("huzhou"));
        List<Node> nodes = new ArrayList<>();
        try {
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(quick(alliance.config(DemoAlliance.member("huzhou")))));
            String operator = operator(hz);

            // the list entry: checked, and its publication bounded by its severity
            assertCode(call("POST", hz + "/api/v1/lists", operator, entry(USCC, "2030-01-01")), 400, "E_DATE_INVALID");
            assertCode(call("POST", hz + "/api/v1/lists", operator, entry("91330100716105852E", null)), 400, "E_IDENTIFIER_INVALID");
            assertCode(call("POST", hz + "/api/v1/lists", token(hz, "reader", "reader-public"), entry(USCC, null)), 403, "E_ROLE_REQUIRED");
            HttpResponse<String> listed = call("POST", hz + "/api/v1/lists", operator, entry(USCC, null));
            assertEquals(201, listed.statusCode(), listed.body());
            JsonNode entry = Json.mapper().readTree(listed.body());
            assertEquals(LocalDate.now().plusYears(3).toString(), entry.path("publicationEnd").asText(), "SERIOUS: published three years");

            HttpResponse<String> issued = call("POST", hz + "/api/v1/sanctions", operator, """
                    {"entryId": "%s", "measures": ["no public funding", "stricter inspection"], "respondWithin": "PT15S"}"""
                    .formatted(entry.path("id").asText()));
            assertEquals(201, issued.statusCode(), issued.body());
            String id = Json.mapper().readTree(issued.body()).path("notice").path("id").asText();

            TestNodes.await("Huzhou acknowledges; Jiaxing's delivery fails and is retried", Duration.ofSeconds(30), () -> {
                JsonNode s = status(hz, operator, id);
                return "ANSWERED".equals(partner(s, "huzhou").path("delivery").asText())
                        && partner(s, "jiaxing").path("attempts").asInt() >= 2;
            });
            JsonNode whileDown = status(hz, operator, id);
            assertEquals("PENDING", partner(whileDown, "jiaxing").path("delivery").asText());
            assertEquals("E_PARTNER_UNREACHABLE", partner(whileDown, "jiaxing").path("lastError").asText(), whileDown.toString());

            nodes.add(Node.start(jiaxing));
            TestNodes.await("Jiaxing, back, receives the notice", Duration.ofSeconds(60),
                    () -> "ANSWERED".equals(partner(status(hz, operator, id), "jiaxing").path("delivery").asText()));
            assertEquals("1", TestNodes.rows(jiaxing, "select count(*) from alliance_received where kind = 'sanction'").first(),
                    "received once, however many times it was tried");

            // Huzhou responds with the measures it applied
            String huzhouOperator = operator(hu);
            JsonNode received = Json.mapper().readTree(call("GET", hu + "/api/v1/sanctions/received", huzhouOperator, null).body());
            assertEquals(id, received.path("notices").get(0).path("noticeId").asText(), received.toString());
            assertEquals("no public funding", received.path("notices").get(0).path("notice").path("measures").get(0).asText());
            HttpResponse<String> responded = call("POST", hu + "/api/v1/sanctions/received/hangzhou/" + id + "/response", huzhouOperator,
                    "{\"measuresApplied\": [\"excluded from the 2027 subsidy round\"]}");
            assertEquals(201, responded.statusCode(), responded.body());
            TestNodes.await("Huzhou's response reaches Hangzhou", Duration.ofSeconds(30),
                    () -> partner(status(hz, operator, id), "huzhou").has("respondedAt"));
            TestNodes.await("Jiaxing is overdue", Duration.ofSeconds(30),
                    () -> partner(status(hz, operator, id), "jiaxing").path("overdue").asBoolean());

            JsonNode tracked = status(hz, operator, id);
            assertEquals("excluded from the 2027 subsidy round", partner(tracked, "huzhou").path("measuresApplied").get(0).asText());
            assertTrue(!partner(tracked, "huzhou").path("overdue").asBoolean());
            assertEquals("PENDING", partner(tracked, "shaoxing").path("delivery").asText(), "Shaoxing never ran");
            assertEquals(2, tracked.path("acknowledged").asInt());
            assertEquals(1, tracked.path("responded").asInt());

            Path file = root.resolve("hangzhou.properties");
            hangzhou.save(file);
            CliRun cli = CliRun.of("sanctions", "status", id, "--config", file.toString());
            assertEquals(1, cli.exit(), "exit 1 while a response is overdue: " + cli.out());
            assertTrue(cli.out().matches("(?s).*huzhou\\s+acknowledged .*; responded .*: excluded from the 2027 subsidy round.*"), cli.out());
            assertTrue(cli.out().matches("(?s).*jiaxing\\s+acknowledged .*; OVERDUE.*"), cli.out());
            assertTrue(cli.out().matches("(?s).*shaoxing\\s+not delivered yet \\(\\d+ attempts, last E_PARTNER_UNREACHABLE\\).*"), cli.out());

            // the entry is repaired (信用修复): the lift goes wherever the notice went, and the partners confirm
            String entryId = entry.path("id").asText();
            assertCode(call("POST", hz + "/api/v1/lists/" + entryId + "/lift", operator, "{\"status\": \"EXPIRED\", \"basis\": \"x\"}"),
                    400, "E_FIELD_INVALID");
            HttpResponse<String> lifted = call("POST", hz + "/api/v1/lists/" + entryId + "/lift", operator,
                    "{\"status\": \"REPAIRED\", \"basis\": \"杭市监修〔2026〕1号: corrected, repair approved\"}");
            assertEquals(200, lifted.statusCode(), lifted.body());
            JsonNode lift = Json.mapper().readTree(lifted.body());
            assertEquals("REPAIRED", lift.path("entry").path("status").asText());
            assertEquals("[\"huzhou\",\"jiaxing\",\"shaoxing\"]", lift.path("lift").path("to").toString(), "every partner the notice went to");
            assertCode(call("POST", hz + "/api/v1/lists/" + entryId + "/lift", operator, "{\"status\": \"WITHDRAWN\", \"basis\": \"x\"}"),
                    400, "E_FIELD_INVALID");
            TestNodes.await("Huzhou and Jiaxing confirm the lift", Duration.ofSeconds(30), () -> {
                JsonNode s = status(hz, operator, id);
                return partner(s, "huzhou").has("liftConfirmedAt") && partner(s, "jiaxing").has("liftConfirmedAt");
            });
            JsonNode afterLift = status(hz, operator, id);
            assertEquals("REPAIRED", afterLift.path("entryStatus").asText());
            assertEquals(0, afterLift.path("overdue").asInt(), "a lifted notice has nobody overdue: " + afterLift);
            assertTrue(!partner(afterLift, "shaoxing").has("liftConfirmedAt"), "Shaoxing never ran");
            JsonNode atHuzhou = Json.mapper().readTree(call("GET", hu + "/api/v1/sanctions/received", huzhouOperator, null).body());
            assertEquals("REPAIRED", atHuzhou.path("notices").get(0).path("lifted").path("status").asText(), atHuzhou.toString());
            assertCode(call("POST", hu + "/api/v1/sanctions/received/hangzhou/" + id + "/response", huzhouOperator,
                    "{\"measuresApplied\": [\"more\"]}"), 400, "E_FIELD_INVALID");
            CliRun afterCli = CliRun.of("sanctions", "status", id, "--config", file.toString());
            assertEquals(0, afterCli.exit(), afterCli.out());
            assertTrue(afterCli.out().contains("list entry REPAIRED"), afterCli.out());
            assertTrue(afterCli.out().matches("(?s).*huzhou\\s+acknowledged .*; lift confirmed .*"), afterCli.out());
            assertTrue(afterCli.out().matches("(?s).*shaoxing\\s+not delivered yet .*; lift not confirmed yet.*"), afterCli.out());

            // a response to a notice Hangzhou never sent Jiaxing is refused, with its code, and nothing is recorded
            String jiaxingOperator = operator(alliance.apiUrl(DemoAlliance.member("jiaxing")));
            assertCode(call("POST", alliance.apiUrl(DemoAlliance.member("jiaxing")) + "/api/v1/sanctions/received/hangzhou/"
                    + java.util.UUID.randomUUID() + "/response", jiaxingOperator, "{\"measuresApplied\": [\"x\"]}"), 404, "E_NOT_FOUND");
            assertTrue(TestNodes.rows(hangzhou, "select action from audit_event").containsAll(List.of("list", "notice.out", "notice.in")),
                    "the entry, the notice and the response are events of Hangzhou's trail");

            // every notice answer the partners gave (sanction, lift, response) is of docs/schemas/notice.answer.schema.json
            NodeConfig huzhou = alliance.config(DemoAlliance.member("huzhou"));
            java.util.Set<String> checked = new java.util.TreeSet<>();
            for (NodeConfig answering : List.of(hangzhou, huzhou, jiaxing)) {
                checked.addAll(AnswerSchemas.assertKeptAnswersValid(answering, java.util.Map.of("hangzhou", hangzhou, "huzhou", huzhou,
                        "jiaxing", jiaxing)));
            }
            assertTrue(checked.contains("notice-answer"), checked.toString());
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static String entry(String uscc, String publicationEnd) {
        return """
                {"listType": "BLACK", "uscc": "%s", "partyName": "杭州演示失信企业有限公司", "legalBasis": "《失信行为纠正后的信用信息修复管理办法》",
                 "authority": "杭州市市场监督管理局", "documentNumber": "杭市监〔2026〕12号", "listedOn": "%s", "severity": "SERIOUS"%s}"""
                .formatted(uscc, LocalDate.now(), publicationEnd == null ? "" : ", \"publicationEnd\": \"" + publicationEnd + "\"");
    }

    private static JsonNode status(String api, String token, String id) {
        try {
            return Json.mapper().readTree(call("GET", api + "/api/v1/sanctions/" + id, token, null).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode partner(JsonNode status, String id) {
        for (JsonNode p : status.path("partners")) {
            if (p.path("partner").asText().equals(id)) {
                return p;
            }
        }
        return Json.mapper().createObjectNode();
    }

}
