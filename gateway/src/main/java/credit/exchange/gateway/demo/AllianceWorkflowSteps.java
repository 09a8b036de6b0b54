package credit.exchange.gateway.demo;

import static credit.exchange.gateway.demo.DemoHttp.awaitCounts;
import static credit.exchange.gateway.demo.DemoHttp.call;
import static credit.exchange.gateway.demo.DemoHttp.devToken;
import static credit.exchange.gateway.demo.DemoHttp.getQuietlyWith;
import static credit.exchange.gateway.demo.DemoHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.alliance.ListedSubjects;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.routes.store.ActiveRecords;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps 7 and 8 of the demo: the alliance's joint work, each propagated to every partner
 * concerned: joint punishment, recognition, a service institution's filing, credit repair and an
 * objection.
 */
final class AllianceWorkflowSteps {

    private final DemoAlliance alliance;
    private final DemoNarration narration;
    private final PrintStream out;

    AllianceWorkflowSteps(DemoAlliance alliance, DemoNarration narration) {
        this.alliance = alliance;
        this.narration = narration;
        this.out = narration.out();
    }

    /**
     * Joint punishment (联合奖惩): Hangzhou black-lists the enterprise and notifies the alliance
     * cities (发起); each acknowledges; Huzhou responds with the measures it applied (响应); Hangzhou
     * tracks them (跟踪问效).
     */
    void showJointPunishment(String uscc) throws Exception {
        narration.step("7. Joint punishment: Hangzhou black-lists " + uscc + " and notifies the alliance cities; Huzhou responds");
        if (alliance.hasRealm()) {
            out.println("   skipped: the nodes accept the realm's tokens only; sign in with the operator role to try it");
            return;
        }
        String hangzhou = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String huzhou = alliance.apiUrl(DemoAlliance.member("huzhou"));
        String operator = devToken(hangzhou, "node-operator", "operator", null);
        HttpResponse<String> listed = call("POST", hangzhou + "/api/v1/lists", operator, """
                {"listType": "BLACK", "uscc": "%s", "partyName": "演示失信企业", "legalBasis": "《浙江省公共信用信息管理条例》",
                 "authority": "杭州市市场监督管理局", "documentNumber": "杭市监〔2026〕%d号", "listedOn": "%s", "severity": "GENERAL"}"""
                .formatted(uscc, System.currentTimeMillis() / 1000 % 100000, java.time.LocalDate.now()));
        String entryId = Json.mapper().readTree(listed.body()).path("id").asText();
        narration.expect(listed.statusCode() == 201, "the black-list entry is recorded, published for one year (GENERAL)");
        HttpResponse<String> issued = call("POST", hangzhou + "/api/v1/sanctions", operator, """
                {"entryId": "%s", "measures": ["no public funding", "stricter inspection"], "respondWithin": "P7D"}""".formatted(entryId));
        String id = Json.mapper().readTree(issued.body()).path("notice").path("id").asText();
        narration.expect(issued.statusCode() == 201, "the notice is issued to Huzhou, Jiaxing and Shaoxing");
        boolean acknowledged = awaitCounts(() -> sanction(hangzhou, operator, id).path("acknowledged").asInt() == 3);
        String huzhouOperator = devToken(huzhou, "node-operator", "operator", null);
        HttpResponse<String> responded = call("POST", huzhou + "/api/v1/sanctions/received/hangzhou/" + id + "/response", huzhouOperator,
                "{\"measuresApplied\": [\"excluded from public procurement\"]}");
        boolean tracked = responded.statusCode() == 201 && awaitCounts(() -> sanction(hangzhou, operator, id).path("responded").asInt() == 1);
        for (JsonNode p : sanction(hangzhou, operator, id).path("partners")) {
            out.printf("   %-9s %s%s%n", p.path("partner").asText(), p.path("delivery").asText().equals("ANSWERED") ? "acknowledged" : "pending",
                    p.has("respondedAt") ? ", responded: " + p.path("measuresApplied") : ", no response yet (due in 7 days)");
        }
        narration.expect(acknowledged, "every alliance city acknowledged the notice");
        narration.expect(tracked, "Huzhou's response and the measures it applied reach Hangzhou (" + narration.cli("sanctions status " + id) + ")");

        HttpResponse<String> lifted = call("POST", hangzhou + "/api/v1/lists/" + entryId + "/lift", operator,
                "{\"status\": \"REPAIRED\", \"basis\": \"信用修复决定（演示）\"}");
        boolean liftConfirmed = lifted.statusCode() == 200 && awaitCounts(() -> {
            JsonNode partners = sanction(hangzhou, operator, id).path("partners");
            return partners.size() == 3 && partners.findValues("liftConfirmedAt").size() == 3;
        });
        out.println("   the entry repaired: " + sanction(hangzhou, operator, id).path("partners").findValues("liftConfirmedAt").size()
                + " of 3 cities confirmed the lift");
        narration.expect(liftConfirmed, "the entry is repaired (信用修复) and every city the notice went to confirms the lift");
    }

    /**
     * Trusted-enterprise recognition (诚信企业互认), a filing (信用服务机构备案互认), credit repair (信用修复)
     * and an objection (异议处理): Hangzhou nominates an enterprise and files an institution, and each
     * city answers by its own rules; Hangzhou repairs a
     * record it handed the province and the nation, and both withdraw their copies and confirm; an
     * objection to another record is flagged at the province, then rejected and cleared there.
     */
    void showRecognitionRepairAndObjection() throws Exception {
        narration.step("8. Recognition, a service institution's filing, credit repair and an objection, propagated to every partner concerned");
        if (alliance.hasRealm()) {
            out.println("   skipped: the nodes accept the realm's tokens only; sign in with the operator role to try it");
            return;
        }
        String hangzhou = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String operator = devToken(hangzhou, "node-operator", "operator", null);
        List<String> records = new ArrayList<>();
        String nominee = null;
        // licensing records of legal persons on no list, handed to the province and the nation: the first two, in one snapshot
        try (CreditStoreConnection store = CreditStoreConnection.open(alliance.config(DemoAlliance.member("hangzhou")));
             Connection c = store.database().connection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            for (ActiveRecords.OfLegalPerson r : ActiveRecords.ofLegalPersons(c, "licensing")) {
                if (PublicityDeliveries.holders(c, List.of(r.id())).stream().map(PublicityDeliveries.Holder::destination).toList()
                        .containsAll(List.of("zhejiang", "national"))
                        && !ListedSubjects.onAnyList(c, r.uscc())) {
                    records.add(String.valueOf(r.id()));
                    nominee = nominee == null ? r.uscc() : nominee;
                    if (records.size() == 2) {
                        break;
                    }
                }
            }
            c.rollback(); // read only
        }
        if (records.size() < 2) {
            narration.expect(false, "two of Hangzhou's records handed to the province and the nation");
            return;
        }
        String nomineeUscc = nominee;
        HttpResponse<String> nominated = call("POST", hangzhou + "/api/v1/recognitions", operator, """
                {"uscc": "%s", "partyName": "演示诚信企业", "basis": "红名单 (red list)", "validUntil": "%s"}"""
                .formatted(nomineeUscc, java.time.LocalDate.now().plusYears(1)));
        boolean answered = nominated.statusCode() == 201 && awaitCounts(() -> {
            JsonNode answers = recognition(hangzhou, operator, nomineeUscc).path("nominations").path(0).path("answers");
            return answers.size() == 3 && !answers.toString().contains("pending");
        });
        recognition(hangzhou, operator, nomineeUscc).path("nominations").path(0).path("answers").fields().forEachRemaining(a ->
                out.printf("   recognition of %s at %-9s %s%s%n", nomineeUscc, a.getKey(), a.getValue().path("status").asText(),
                        a.getValue().has("reasons") ? " " + a.getValue().path("reasons") : ""));
        narration.expect(answered, "every alliance city answered the nomination by its own rules (recognised, or declined with reasons)");
        String huzhou = alliance.apiUrl(DemoAlliance.member("huzhou"));
        String huzhouOperator = devToken(huzhou, "node-operator", "operator", null);
        JsonNode kept = recognition(huzhou, huzhouOperator, nomineeUscc).path("nominations").path(0);
        narration.expect(kept.path("by").asText().equals("hangzhou") && kept.path("statement").asText().length() > 100,
                "Huzhou keeps Hangzhou's signed recognition statement (basis, validity) with its answer");

        HttpResponse<String> filed = call("POST", hangzhou + "/api/v1/filings", operator, """
                {"uscc": "%s", "name": "演示信用服务机构", "services": ["credit rating"], "authority": "中国人民银行杭州中心支行",
                 "filedOn": "%s", "validUntil": "%s"}""".formatted(nomineeUscc, java.time.LocalDate.now(),
                java.time.LocalDate.now().plusYears(3)));
        boolean filingAnswered = filed.statusCode() == 201 && awaitCounts(() -> {
            JsonNode answers = getQuietlyWith(hangzhou + "/api/v1/filings/" + nomineeUscc, operator).path("filings").path(0).path("answers");
            return answers.size() == 3 && !answers.toString().contains("pending");
        });
        narration.expect(filingAnswered, "a credit service institution's filing is visible at every alliance city, each answering by its rules");

        JsonNode imported = post(huzhou + "/api/v1/imports?type=blacklist", "text/csv", new SeedGenerator(1, java.time.LocalDate.now())
                .blackListEntry(nomineeUscc, "演示诚信企业", "湖市监黑字〔2026〕" + System.currentTimeMillis() / 1000 % 100000 + "号",
                        java.time.LocalDate.now().plusYears(1)).getBytes(StandardCharsets.UTF_8));
        boolean withdrawn = awaitCounts(() -> "WITHDRAWN".equals(recognition(hangzhou, operator, nomineeUscc).path("status").asText()));
        out.println("   Huzhou's market regulator imports a black-list record of " + nomineeUscc + " (" + imported.path("stored").asText("?")
                + " stored): at Hangzhou the recognition is " + recognition(hangzhou, operator, nomineeUscc).path("status").asText());
        narration.expect(withdrawn, "a department's black-list record at Huzhou withdraws the recognition at every alliance city");

        HttpResponse<String> repaired = call("POST", hangzhou + "/api/v1/records/" + records.get(0) + "/repair", operator,
                "{\"reason\": \"REPAIRED\", \"basis\": \"信用修复决定（演示）\"}");
        String repairId = Json.mapper().readTree(repaired.body()).path("id").asText();
        boolean confirmed = repaired.statusCode() == 201 && awaitCounts(() -> {
            JsonNode holders = getQuietlyWith(hangzhou + "/api/v1/repairs/" + repairId, operator).path("holders");
            return holders.size() == 2 && !holders.toString().contains("PENDING");
        });
        for (JsonNode h : getQuietlyWith(hangzhou + "/api/v1/repairs/" + repairId, operator).path("holders")) {
            out.printf("   repair of record %s at %-9s %s%n", records.get(0), h.path("partner").asText(),
                    h.path("state").asText().equals("ANSWERED") ? "confirmed, withdrew " + h.path("answer").path("withdrawn").asInt() : "pending");
        }
        narration.expect(confirmed, "the province and the nation withdrew the repaired record and confirmed (" + narration.cli("repair status " + repairId) + ")");

        HttpResponse<String> objected = call("POST", hangzhou + "/api/v1/records/" + records.get(1) + "/objection", operator,
                "{\"basis\": \"the subject disputes the licence's scope\"}");
        String objectionId = Json.mapper().readTree(objected.body()).path("id").asText();
        boolean flagged = objected.statusCode() == 201 && awaitCounts(() -> objectionAnswer(hangzhou, operator, objectionId, "flagged"));
        call("POST", hangzhou + "/api/v1/objections/" + objectionId + "/resolution", operator,
                "{\"outcome\": \"REJECTED\", \"note\": \"the record stands\"}");
        boolean cleared = awaitCounts(() -> objectionAnswer(hangzhou, operator, objectionId, "cleared"));
        narration.expect(flagged && cleared, "an objection is flagged at the province and the nation, then cleared there when rejected");
    }

    private boolean objectionAnswer(String api, String token, String id, String status) {
        JsonNode holders = getQuietlyWith(api + "/api/v1/objections/" + id, token).path("holders");
        if (holders.size() != 2) {
            return false;
        }
        for (JsonNode h : holders) {
            if (!status.equals(h.path("answer").path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode recognition(String api, String token, String uscc) {
        return getQuietlyWith(api + "/api/v1/recognitions/" + uscc, token);
    }

    private static JsonNode sanction(String api, String token, String id) {
        try {
            return Json.mapper().readTree(call("GET", api + "/api/v1/sanctions/" + id, token, null).body());
        } catch (Exception e) {
            return Json.mapper().createObjectNode();
        }
    }
}
