package credit.exchange.gateway.federation;

import static credit.exchange.gateway.federation.AllianceApi.assertCode;
import static credit.exchange.gateway.federation.AllianceApi.call;
import static credit.exchange.gateway.federation.AllianceApi.operator;
import static credit.exchange.gateway.federation.AllianceApi.quick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.IdentifierGenerator;
import credit.exchange.routes.seed.SeedGenerator;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusted-enterprise mutual recognition (诚信企业互认) on real nodes: Hangzhou nominates two
 * enterprises with its signed statements; Huzhou recognises both and keeps the statements;
 * Jiaxing, which black-listed one of them, declines it with its reason and recognises the other.
 * When Huzhou later black-lists the recognised one, its recognition is withdrawn at Huzhou, at
 * Hangzhou and at Jiaxing; when a Jiaxing department's import black-lists a third, so is that one.
 */
class RecognitionIT {

    private static final String TRUSTED = "91330100716105852F";
    private static final String LISTED_AT_JIAXING = "914403001922038216";
    private static final String IMPORTED_AT_JIAXING = new IdentifierGenerator(new SplittableRandom(3304)).uscc();

    @TempDir
    Path root;

    @Test
    void partnersWeighANomination_byTheirOwnRules_andABlackListAnywhereWithdrawsIt_everywhere() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        String hz = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String hu = alliance.apiUrl(DemoAlliance.member("huzhou"));
        String jx = alliance.apiUrl(DemoAlliance.member("jiaxing"));
        List<Node> nodes = new ArrayList<>();
        try {
            for (String id : List.of("hangzhou", "huzhou", "jiaxing")) {
                nodes.add(Node.start(quick(alliance.config(DemoAlliance.member(id)))));
            }
            String hzOperator = operator(hz);
            String huOperator = operator(hu);
            String jxOperator = operator(jx);
            assertEquals(201, call("POST", jx + "/api/v1/lists", jxOperator, blackList(LISTED_AT_JIAXING, "嘉市监〔2026〕3号")).statusCode());

            for (String uscc : List.of(TRUSTED, LISTED_AT_JIAXING)) {
                HttpResponse<String> nominated = call("POST", hz + "/api/v1/recognitions", hzOperator, """
                        {"uscc": "%s", "partyName": "演示诚信企业", "basis": "A级纳税人 (A-grade taxpayer)", "validUntil": "%s"}"""
                        .formatted(uscc, LocalDate.now().plusYears(1)));
                assertEquals(201, nominated.statusCode(), nominated.body());
            }
            assertCode(call("POST", hz + "/api/v1/recognitions", hzOperator, """
                    {"uscc": "91330100716105852E", "partyName": "x", "basis": "y", "validUntil": "2099-01-01"}"""), 400, "E_IDENTIFIER_INVALID");
            TestNodes.await("Huzhou's and Jiaxing's answers", Duration.ofSeconds(30), () -> answered(status(hz, hzOperator, TRUSTED))
                    && answered(status(hz, hzOperator, LISTED_AT_JIAXING)));

            JsonNode trusted = status(hz, hzOperator, TRUSTED);
            assertEquals("IN_FORCE", trusted.path("status").asText());
            assertEquals("recognised", answer(trusted, "huzhou").path("status").asText(), trusted.toString());
            assertEquals("recognised", answer(trusted, "jiaxing").path("status").asText(), trusted.toString());
            JsonNode listed = status(hz, hzOperator, LISTED_AT_JIAXING);
            assertEquals("recognised", answer(listed, "huzhou").path("status").asText());
            assertEquals("declined", answer(listed, "jiaxing").path("status").asText(), listed.toString());
            assertEquals("on jiaxing's black list", answer(listed, "jiaxing").path("reasons").get(0).asText());
            JsonNode keptAtHuzhou = status(hu, huOperator, TRUSTED).path("nominations").get(0);
            assertEquals("hangzhou", keptAtHuzhou.path("by").asText());
            String statement = new String(new CMSSignedData(Base64.getDecoder().decode(keptAtHuzhou.path("statement").asText()))
                    .getSignedContent().getContent() instanceof byte[] b ? b : new byte[0], StandardCharsets.UTF_8);
            assertTrue(statement.startsWith("recognition-statement 1\nnode hangzhou\nuscc " + TRUSTED + "\n"),
                    "Huzhou keeps Hangzhou's signed statement: " + statement);
            JsonNode atJiaxing = status(jx, jxOperator, LISTED_AT_JIAXING);
            assertEquals("declined", atJiaxing.path("nominations").get(0).path("answers").path("jiaxing").path("status").asText(),
                    "Jiaxing shows the nomination it received and its own answer: " + atJiaxing);

            // Huzhou black-lists the trusted enterprise: its recognition is withdrawn everywhere
            assertEquals(201, call("POST", hu + "/api/v1/lists", huOperator, blackList(TRUSTED, "湖市监〔2026〕8号")).statusCode());
            TestNodes.await("the withdrawal at Hangzhou and Jiaxing", Duration.ofSeconds(30),
                    () -> "WITHDRAWN".equals(status(hz, hzOperator, TRUSTED).path("status").asText())
                            && "WITHDRAWN".equals(status(jx, jxOperator, TRUSTED).path("status").asText()));
            assertEquals("WITHDRAWN", status(hu, huOperator, TRUSTED).path("status").asText());
            assertEquals("huzhou", status(hz, hzOperator, TRUSTED).path("withdrawn").path("by").asText());
            assertEquals("IN_FORCE", status(hz, hzOperator, LISTED_AT_JIAXING).path("status").asText(), "the other one stands");

            // a department's import black-lists a third at Jiaxing: withdrawn there, at Hangzhou and at Huzhou
            HttpResponse<String> third = call("POST", hz + "/api/v1/recognitions", hzOperator, """
                    {"uscc": "%s", "partyName": "演示诚信企业三", "basis": "红名单 (red list)", "validUntil": "%s"}"""
                    .formatted(IMPORTED_AT_JIAXING, LocalDate.now().plusYears(1)));
            assertEquals(201, third.statusCode(), third.body());
            TestNodes.await("the third recognised at Jiaxing", Duration.ofSeconds(30),
                    () -> "recognised".equals(status(jx, jxOperator, IMPORTED_AT_JIAXING).path("nominations").path(0).path("answers")
                            .path("jiaxing").path("status").asText()));
            HttpResponse<String> imported = TestNodes.operatorPost(jx + "/api/v1/imports?type=blacklist", "text/csv",
                    new SeedGenerator(1, LocalDate.now()).blackListEntry(IMPORTED_AT_JIAXING, "演示诚信企业三", "嘉市监黑字〔2026〕7号",
                            LocalDate.now().plusYears(1)).getBytes(StandardCharsets.UTF_8));
            assertEquals(200, imported.statusCode(), imported.body());
            TestNodes.await("the imported black list withdraws it everywhere", Duration.ofSeconds(30),
                    () -> "WITHDRAWN".equals(status(hz, hzOperator, IMPORTED_AT_JIAXING).path("status").asText())
                            && "WITHDRAWN".equals(status(hu, huOperator, IMPORTED_AT_JIAXING).path("status").asText()));
            JsonNode withdrawn = status(hz, hzOperator, IMPORTED_AT_JIAXING).path("withdrawn");
            assertEquals("jiaxing", withdrawn.path("by").asText());
            assertTrue(withdrawn.path("reason").asText().contains("嘉市监黑字〔2026〕7号"), withdrawn.toString());
            assertEquals("WITHDRAWN", status(jx, jxOperator, IMPORTED_AT_JIAXING).path("status").asText());

            // a credit service institution filed at Hangzhou is visible and recognised at the partners (信用服务机构备案互认)
            HttpResponse<String> filed = call("POST", hz + "/api/v1/filings", hzOperator, """
                    {"uscc": "%s", "name": "演示信用评级有限公司", "services": ["credit rating", "credit reports"],
                     "authority": "中国人民银行杭州中心支行", "filedOn": "%s", "validUntil": "%s"}"""
                    .formatted(LISTED_AT_JIAXING, LocalDate.now(), LocalDate.now().plusYears(3)));
            assertEquals(201, filed.statusCode(), filed.body());
            TestNodes.await("the filing's answers", Duration.ofSeconds(30), () -> {
                JsonNode f = filing(hz, hzOperator, LISTED_AT_JIAXING);
                return f.path("answers").has("huzhou") && !"pending".equals(f.path("answers").path("huzhou").path("status").asText())
                        && !"pending".equals(f.path("answers").path("jiaxing").path("status").asText("pending"));
            });
            JsonNode atHangzhou = filing(hz, hzOperator, LISTED_AT_JIAXING);
            assertEquals("recognised", atHangzhou.path("answers").path("huzhou").path("status").asText(), atHangzhou.toString());
            assertEquals("declined", atHangzhou.path("answers").path("jiaxing").path("status").asText(), atHangzhou.toString());
            JsonNode atHuzhou = filing(hu, huOperator, LISTED_AT_JIAXING);
            assertEquals("hangzhou", atHuzhou.path("filedAt").asText(), "visible at the partner: " + atHuzhou);
            assertEquals("credit rating", atHuzhou.path("services").get(0).asText());

            // every nomination, withdrawal and filing answer as it travelled: of docs/schemas/notice.answer.schema.json
            java.util.Map<String, NodeConfig> members = new java.util.HashMap<>();
            for (String id : List.of("hangzhou", "huzhou", "jiaxing")) {
                members.put(id, alliance.config(DemoAlliance.member(id)));
            }
            for (NodeConfig answering : members.values()) {
                AnswerSchemas.assertKeptAnswersValid(answering, members);
            }
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static boolean answered(JsonNode status) {
        return status.path("nominations").size() > 0 && !"pending".equals(answer(status, "huzhou").path("status").asText("pending"))
                && !"pending".equals(answer(status, "jiaxing").path("status").asText("pending"));
    }

    private static JsonNode answer(JsonNode status, String partner) {
        return status.path("nominations").get(0).path("answers").path(partner);
    }

    private static JsonNode status(String api, String token, String uscc) {
        try {
            return Json.mapper().readTree(call("GET", api + "/api/v1/recognitions/" + uscc, token, null).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode filing(String api, String token, String uscc) {
        try {
            return Json.mapper().readTree(call("GET", api + "/api/v1/filings/" + uscc, token, null).body()).path("filings").get(0);
        } catch (Exception e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static String blackList(String uscc, String documentNumber) {
        return """
                {"listType": "BLACK", "uscc": "%s", "partyName": "演示企业", "legalBasis": "《浙江省公共信用信息管理条例》",
                 "authority": "市场监督管理局", "documentNumber": "%s", "listedOn": "%s", "severity": "GENERAL"}"""
                .formatted(uscc, documentNumber, LocalDate.now());
    }

}
