package credit.exchange.gateway.federation;

import static credit.exchange.gateway.federation.AllianceApi.assertCode;
import static credit.exchange.gateway.federation.AllianceApi.call;
import static credit.exchange.gateway.federation.AllianceApi.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objections (异议处理) on real nodes: a record Hangzhou handed the province is objected to; it is
 * served UNDER_OBJECTION at Hangzhou and flagged at the province. Rejected, the flag is cleared
 * everywhere. Objected again and upheld once the department's corrected version is imported: the
 * corrected version reaches the province, and the objected one is withdrawn there.
 */
class ObjectionIT {

    @TempDir
    Path root;

    @Test
    void anObjection_isFlaggedAtEveryHolder_clearedWhenRejected_andTheCorrectionReplacesTheRecordWhenUpheld() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        NodeConfig hangzhou = alliance.config(DemoAlliance.member("hangzhou"));
        NodeConfig zhejiang = alliance.config(DemoAlliance.member("zhejiang"));
        String hz = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        List<Node> nodes = new ArrayList<>();
        try {
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(zhejiang));
            Path seed = root.resolve("seed");
            new SeedGenerator(9, LocalDate.now()).writeDataSet(6, seed);
            byte[] licensing = Files.readAllBytes(seed.resolve("licensing.csv"));
            assertEquals(200, TestNodes.operatorPost(hz + "/api/v1/imports?type=licensing", "text/csv", licensing).statusCode());
            long records = Long.parseLong(TestNodes.rows(hangzhou, "select count(*) from credit_record").first());
            TestNodes.await("the province holds every record", Duration.ofSeconds(60), () -> Long.parseLong(TestNodes.rows(zhejiang,
                    "select count(*) from received_delivery where sender = 'hangzhou'").first()) == records);
            String recordId = TestNodes.rows(hangzhou, "select min(r.id) from credit_record r join subject s on s.id = r.subject_id"
                    + " where s.uscc is not null").first();
            String uscc = TestNodes.rows(hangzhou, "select s.uscc from credit_record r join subject s on s.id = r.subject_id where r.id = "
                    + recordId).first();
            String document = TestNodes.rows(hangzhou, "select document_number from credit_record where id = " + recordId).first();
            String operator = operator(hz);

            String first = objectionId(call("POST", hz + "/api/v1/records/" + recordId + "/objection", operator,
                    "{\"basis\": \"the licence was never revoked (subject's letter 2026-11-20)\"}"));
            assertEquals("UNDER_OBJECTION", status(hz, uscc, document), "still served, flagged");
            TestNodes.await("the province flags its copy", Duration.ofSeconds(30), () -> flagged(zhejiang) == 1);
            assertCode(call("POST", hz + "/api/v1/records/" + recordId + "/objection", operator, "{\"basis\": \"again\"}"), 400,
                    "E_FIELD_INVALID");

            call("POST", hz + "/api/v1/objections/" + first + "/resolution", operator, "{\"outcome\": \"REJECTED\", \"note\": \"the record stands\"}");
            assertEquals("ACTIVE", status(hz, uscc, document));
            TestNodes.await("the province clears the flag", Duration.ofSeconds(30), () -> flagged(zhejiang) == 0);

            String second = objectionId(call("POST", hz + "/api/v1/records/" + recordId + "/objection", operator,
                    "{\"basis\": \"the licence's scope is wrong\"}"));
            assertCode(call("POST", hz + "/api/v1/objections/" + second + "/resolution", operator, "{\"outcome\": \"UPHELD\"}"), 400,
                    "E_FIELD_INVALID");
            // the department sends its corrected version: the same document, corrected content
            String csv = new String(licensing, StandardCharsets.UTF_8);
            String header = csv.lines().findFirst().orElseThrow();
            String row = csv.lines().filter(l -> l.contains(document)).findFirst().orElseThrow();
            String[] cells = row.split(",", -1);
            int content = List.of(header.split(",", -1)).indexOf("XK_NR");
            cells[content] = cells[content] + "（范围更正）";
            byte[] corrected = (header + "\n" + String.join(",", cells) + "\n").getBytes(StandardCharsets.UTF_8);
            var correction = TestNodes.operatorPost(hz + "/api/v1/imports?type=licensing", "text/csv", corrected);
            assertEquals(200, correction.statusCode(), correction.body());
            HttpResponse<String> upheld = call("POST", hz + "/api/v1/objections/" + second + "/resolution", operator,
                    "{\"outcome\": \"UPHELD\", \"note\": \"scope corrected by the department\"}");
            assertEquals(200, upheld.statusCode(), upheld.body());
            assertEquals("ACTIVE", status(hz, uscc, document), "the corrected version is served");
            TestNodes.await("the province withdraws the objected version and holds the corrected one", Duration.ofSeconds(60), () ->
                    flagged(zhejiang) == 0 && Long.parseLong(TestNodes.rows(zhejiang, "select count(*) from withdrawn_message w join received_delivery d"
                            + " on d.sender = w.sender and d.message_id = w.message_id").first()) == 1
                            && Long.parseLong(TestNodes.rows(zhejiang, "select count(*) from received_delivery where sender = 'hangzhou'")
                                    .first()) == records + 1);
            JsonNode served = Json.mapper().readTree(TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member("zhejiang")) + "/api/v1/received").body());
            assertEquals(records, served.path("received").path("hangzhou").path("licensing").asLong(), served.toString());
            assertTrue(TestNodes.rows(hangzhou, "select outcome from audit_event where action = 'objection'")
                    .containsAll(List.of("OPEN", "REJECTED", "UPHELD")));
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static long flagged(NodeConfig holder) {
        return Long.parseLong(TestNodes.rows(holder, "select count(*) from objected_message o join received_delivery d"
                + " on d.sender = o.sender and d.message_id = o.message_id").first());
    }

    private static String status(String api, String uscc, String document) throws Exception {
        for (JsonNode r : Json.mapper().readTree(TestNodes.get(api + "/api/v1/records?uscc=" + uscc).body()).path("records")) {
            if (r.path("documentNumber").asText().equals(document)) {
                return r.path("status").asText();
            }
        }
        return "NOT SERVED";
    }

    private static String objectionId(HttpResponse<String> answer) throws Exception {
        assertEquals(201, answer.statusCode(), answer.body());
        return Json.mapper().readTree(answer.body()).path("id").asText();
    }

}
