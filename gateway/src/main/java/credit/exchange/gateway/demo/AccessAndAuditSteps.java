package credit.exchange.gateway.demo;

import static credit.exchange.gateway.demo.DemoHttp.awaitCounts;
import static credit.exchange.gateway.demo.DemoHttp.call;
import static credit.exchange.gateway.demo.DemoHttp.code;
import static credit.exchange.gateway.demo.DemoHttp.devToken;
import static credit.exchange.gateway.demo.DemoHttp.get;
import static credit.exchange.gateway.demo.DemoHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditSearch;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditVerifier;
import credit.exchange.security.CodedException;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Steps 5 and 6 of the demo: Hangzhou's class B and C records read only as the decision point
 * allows, and its audit trail verified with checkpoints countersigned by every partner.
 */
final class AccessAndAuditSteps {

    /** Departments of the demo's readers: of class B (one reviewing loan guarantees) and of class C (the social-insurance office). */
    private static final String TAX_READER_DEPARTMENT = "11330100002487959W";
    private static final String SHARED_READER_DEPARTMENT = "11330100002500148D";

    private final DemoAlliance alliance;
    private final DemoNarration narration;
    private final PrintStream out;

    AccessAndAuditSteps(DemoAlliance alliance, DemoNarration narration) {
        this.alliance = alliance;
        this.narration = narration;
        this.out = narration.out();
    }

    /**
     * Class B (a tax credit rating, 纳税信用) and class C (social-insurance payments, 社保缴纳) of the
     * demo's enterprise at Hangzhou, read by people with development tokens: nothing without the
     * subject's authorisation or a sharing agreement, exactly the configured fields with them.
     */
    void showClassesBAndC(String uscc) throws Exception {
        narration.step("5. Classes B and C at Hangzhou: the subject's authorisation (授权查询), a sharing agreement (保密协议),"
                + " minimum disclosure");
        if (alliance.hasRealm()) {
            out.println("   skipped: the nodes accept the realm's tokens only; sign in as its users to try it");
            return;
        }
        String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        Path marker = alliance.root().resolve("seeded-classes-b-c");
        if (!Files.exists(marker)) {
            for (String dataset : List.of("tax", "social-insurance")) {
                post(api + "/api/v1/imports?type=" + dataset, "text/csv", oneListRecord(uscc, dataset).getBytes(StandardCharsets.UTF_8));
            }
            Files.writeString(marker, "seeded\n");
        }
        String records = api + "/api/v1/records?uscc=" + uscc + "&purpose=loan%20review";
        List<String> seenByThePublic = categories(get(records).path("records"));
        out.println("   the public sees: " + seenByThePublic);
        narration.expect(!seenByThePublic.contains("tax") && !seenByThePublic.contains("social-insurance"), "the public reads class A only");

        String loanOfficer = devToken(api, "loan-officer", "reader-public,reader-authorised", TAX_READER_DEPARTMENT);
        HttpResponse<String> refused = call("GET", records + "&datasets=tax", loanOfficer, null);
        out.println("   loan-officer, without the subject's authorisation: " + refused.statusCode() + " " + code(refused));
        narration.expect(code(refused).equals("E_AUTHORIZATION_REQUIRED"), "class B without the subject's authorisation: refused, no data");

        String operator = devToken(api, "node-operator", "operator", null);
        String consent = "{\"subject\": \"" + uscc + "\", \"grantee\": \"" + TAX_READER_DEPARTMENT + "\", \"purpose\": \"loan review\","
                + " \"datasets\": [\"tax\"], \"validFrom\": \"" + Instant.now().minusSeconds(60) + "\", \"validUntil\": \""
                + Instant.now().plusSeconds(3600) + "\", \"evidence\": \"杭信授〔2026〕118号 sha256:"
                + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}";
        String authorisation = Json.mapper().readTree(call("POST", api + "/api/v1/authorisations", operator, consent).body())
                .path("id").asText();
        HttpResponse<String> read = call("GET", records + "&datasets=tax&authorisation=" + authorisation, loanOfficer, null);
        JsonNode taxRecords = Json.mapper().readTree(read.body()).path("records");
        out.println("   with the subject's authorisation " + authorisation + ": " + read.statusCode() + ", fields " + fields(taxRecords));
        narration.expect(read.statusCode() == 200 && taxRecords.size() == 1 && !taxRecords.get(0).has("sourceDepartment"),
                "class B on the subject's authorisation, with the fields gateway.disclosure.tax names");
        call("DELETE", api + "/api/v1/authorisations/" + authorisation, operator, null);
        HttpResponse<String> revoked = call("GET", records + "&datasets=tax&authorisation=" + authorisation, loanOfficer, null);
        out.println("   after the subject revoked it: " + revoked.statusCode() + " " + code(revoked));
        narration.expect(code(revoked).equals("E_AUTHORIZATION_REVOKED"), "a revoked authorisation is refused with its own code");

        String insuranceOfficer = devToken(api, "insurance-officer", "reader-shared,agreement-social-insurance", SHARED_READER_DEPARTMENT);
        HttpResponse<String> shared = call("GET", records + "&datasets=social-insurance", insuranceOfficer, null);
        JsonNode sharedRecords = Json.mapper().readTree(shared.body()).path("records");
        out.println("   insurance-officer, under a sharing agreement: " + shared.statusCode() + ", fields " + fields(sharedRecords));
        narration.expect(shared.statusCode() == 200 && sharedRecords.size() == 1, "class C to a department under a sharing agreement");
        String planningOfficer = devToken(api, "planning-officer", "reader-shared", SHARED_READER_DEPARTMENT);
        HttpResponse<String> unsigned = call("GET", records + "&datasets=social-insurance", planningOfficer, null);
        out.println("   planning-officer, no agreement: " + unsigned.statusCode() + " " + code(unsigned));
        narration.expect(code(unsigned).equals("E_SHARING_AGREEMENT_REQUIRED"), "class C without a sharing agreement: refused, no data");
    }

    /** One record of the enterprise in the list layout, as the tax bureau or the social-insurance office sends it. */
    private static String oneListRecord(String uscc, String dataset) {
        return "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_WSH,MD_LB,MD_YJ,MD_NR,MD_JDRQ,MD_YXQ,MD_GSJZQ,MD_RDJG,MD_RDJGDM,MD_SJLY,MD_SJLYDM,BZ\n"
                + "演示企业,法人及非法人组织," + uscc + ",杭演示〔2026〕" + dataset.length() + "号,"
                + (dataset.equals("tax") ? "A级纳税人,《纳税信用管理办法》,纳税信用评价为A级" : "正常缴纳,《社会保险法》,连续36个月正常缴纳")
                + ",2026-04-01,2027-03-31,2027-03-31,杭州市演示单位," + TAX_READER_DEPARTMENT + ",杭州市演示单位," + TAX_READER_DEPARTMENT
                + ",内部备注\n";
    }

    private static List<String> categories(JsonNode records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> {
            if (!out.contains(r.path("category").asText())) {
                out.add(r.path("category").asText());
            }
        });
        return out;
    }

    private static String fields(JsonNode records) {
        if (records.isEmpty()) {
            return "none";
        }
        List<String> names = new ArrayList<>();
        records.get(0).fieldNames().forEachRemaining(names::add);
        return String.join(",", names);
    }

    /**
     * Hangzhou's audit trail: every access decision of the scenario chained, its head signed, and the
     * checkpoints countersigned by every partner; verified as {@code gatewayctl audit verify} does.
     */
    void showAuditTrail() throws Exception {
        narration.step("6. Hangzhou's audit trail: hash-chained events, signed checkpoints countersigned by every partner");
        Member hangzhou = DemoAlliance.member("hangzhou");
        NodeConfig config = alliance.config(hangzhou);
        Set<String> partners = DemoAlliance.MEMBERS.stream().map(Member::id).filter(id -> !id.equals("hangzhou"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
            boolean witnessed = awaitCounts(() -> countersigners(store, config.nodeId()).containsAll(partners));
            NodeIdentity identity = NodeIdentity.load(config, Clock.systemUTC()).orElseThrow();
            AuditVerifier.Verification v = new AuditVerifier(new AuditStore(store.database(), config.nodeId(), config.auditChain())).verify(1,
                    Optional.of(identity.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC())
                            .suite(config.auditChain().suite())));
            out.printf("   events 1–%d verified (%s), %d signed checkpoint(s), countersigned by %s%n", v.result().lastGoodSeq(),
                    v.head().map(AuditStore.Head::algorithm).orElse("-"), v.checkpoints(), v.countersignedBy().keySet());
            narration.expect(v.intact() && v.result().verified() > 0, "the audit trail verifies: chain and signed checkpoints");
            narration.expect(witnessed && v.countersignedBy().keySet().containsAll(partners), "every partner countersigned Hangzhou's checkpoints");
        }
        String api = alliance.apiUrl(hangzhou);
        out.printf("   the officer console: %s/console/ (%s)%n", api, alliance.hasRealm() ? "sign in with the auditor role"
                : "the development issuer signs in any name; give it the role auditor");
        if (!alliance.hasRealm()) {
            String officer = devToken(api, "security-officer", "auditor", null);
            JsonNode status = Json.mapper().readTree(call("POST", api + "/api/v1/audit/verification", officer, null).body());
            JsonNode refused = Json.mapper().readTree(call("GET", api + "/api/v1/audit/events", devToken(api, "loan-officer",
                    "reader-public,reader-authorised", TAX_READER_DEPARTMENT), null).body());
            out.printf("   console API: chain %s at event %d; a reader without the auditor role: %s%n",
                    status.path("intact").asBoolean() ? "intact" : "BROKEN", status.path("headSeq").asLong(), refused.path("code").asText());
            narration.expect(status.path("intact").asBoolean(), "the console's verification agrees");
            narration.expect("E_ROLE_REQUIRED".equals(refused.path("code").asText()), "only the auditor role reads the trail");
        }
    }

    /** The partners that countersigned one of the node's checkpoints so far (what the officer console shows). */
    private static Set<String> countersigners(CreditStoreConnection store, String node) {
        try {
            return new AuditSearch(store.database(), node).countersigning(java.time.Instant.now(), java.time.Duration.ZERO).stream()
                    .filter(w -> w.lastSeq() != null).map(AuditSearch.Countersigning::partner)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (CodedException e) {
            return Set.of();
        }
    }
}
