package credit.exchange.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.audit.AuditSearch;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditVerifier;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.CodedException;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The demo's scenario, told step by step: the alliance starts, Hangzhou asks all its partners
 * about one enterprise (信用信息互查), Huzhou asks Hangzhou, a tampered envelope is refused, the
 * departments' imports reach the province (pulled over SOAP and REST) and the nation (double
 * publicity), Hangzhou's class B and C records are read only as the decision point allows, its
 * audit trail verifies with checkpoints countersigned by every partner, and a partner stopped
 * mid-scenario is reported as failed. Each step checks what it shows; the
 * scenario passes when every step did.
 */
public final class DemoScenario implements AutoCloseable {

    /** Members whose stores the demo fills; the others answer with no records. */
    private static final Set<String> SEEDED = Set.of("hangzhou", "huzhou", "shaoxing", "zhejiang");
    private static final int SEED_SUBJECTS = 60;
    /** Departments of the demo's readers: of class B (one reviewing loan guarantees) and of class C (the social-insurance office). */
    private static final String TAX_READER_DEPARTMENT = "11330100002487959W";
    private static final String SHARED_READER_DEPARTMENT = "11330100002500148D";
    private static final HttpClient LOCAL = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DemoAlliance alliance;
    private final PrintStream out;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private int failures;
    /** The demo's subject (an enterprise every seeded store knows) and when the scenario started: for the exploration hints. */
    private String subject = "<USCC>";
    private final Instant started = Instant.now();

    public DemoScenario(DemoAlliance alliance, PrintStream out) {
        this.alliance = alliance;
        this.out = out;
    }

    /** Runs the scenario; true if every step showed what it should. */
    public boolean run() throws Exception {
        out.println("The nodes' log lines go to " + shown(alliance.root().resolve("demo.log")) + "; this terminal tells the scenario.");
        startAll();
        String uscc = seedOnFirstRun();
        subject = uscc;

        step("1. Hangzhou asks every partner about " + uscc + " (mutual query, 信用信息互查)");
        JsonNode merged = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/alliance/subjects/" + uscc + "/records");
        printMerged(merged);
        expect(outcome(merged, "huzhou").equals("ANSWERED") && records(merged, "huzhou") > 0, "Huzhou answered with records");
        expect(outcome(merged, "jiaxing").equals("ANSWERED"), "Jiaxing (INTL suite) answered");
        expect(merged.path("records").size() > 0 && merged.path("records").get(0).path("signatureVerified").asBoolean(),
                "every record carries its provenance: node, time, verified signature");

        step("2. Huzhou asks Hangzhou");
        JsonNode fromHangzhou = get(alliance.apiUrl(DemoAlliance.member("huzhou")) + "/api/v1/alliance/subjects/" + uscc
                + "/records?partners=hangzhou");
        printMerged(fromHangzhou);
        expect(outcome(fromHangzhou, "hangzhou").equals("ANSWERED") && records(fromHangzhou, "hangzhou") > 0,
                "Hangzhou answered Huzhou with records");

        step("3. A tampered envelope from Huzhou to Hangzhou");
        String refusal = sendTampered(uscc);
        out.println("   Hangzhou refused it: " + refusal);
        expect(refusal.startsWith("E_"), "the tampered envelope is refused with an error code");

        step("4. Push flows: the province pulls Hangzhou over SOAP and Huzhou over REST, acknowledging each batch with a"
                + " signed receipt; both cities deliver licensing and penalty decisions to the nation (双公示, 7-day deadline)");
        for (String city : List.of("hangzhou", "huzhou")) {
            String binding = city.equals("hangzhou") ? "SOAP" : "REST";
            boolean pulled = awaitCounts(() -> delivered(city, "zhejiang", "ACKNOWLEDGED") == deliveries(city, "zhejiang")
                    && received("zhejiang", city) == deliveries(city, "zhejiang"));
            out.printf("   %-9s -> zhejiang  %4d records, %4d acknowledged, %4d held by the province%n", city,
                    deliveries(city, "zhejiang"), delivered(city, "zhejiang", "ACKNOWLEDGED"), received("zhejiang", city));
            expect(pulled && deliveries(city, "zhejiang") > 0, "the province pulled every record of " + city + " over "
                    + binding + ", each once, all acknowledged");
            boolean pushed = awaitCounts(() -> delivered(city, "national", "DELIVERED") == deliveries(city, "national")
                    && received("national", city) == deliveries(city, "national"));
            out.printf("   %-9s -> national  %4d records, %4d delivered,    %4d held by the nation%n", city,
                    deliveries(city, "national"), delivered(city, "national", "DELIVERED"), received("national", city));
            expect(pushed && deliveries(city, "national") > 0, "the nation received every double-publicity record of " + city
                    + ", each once");
        }
        JsonNode publicity = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/publicity");
        expect(publicity.path("late").isEmpty(), "no double-publicity delivery of Hangzhou is at risk or overdue");

        showClassesBAndC(uscc);
        showAuditTrail();
        showJointPunishment(uscc);
        showRecognitionRepairAndObjection();

        step("9. Shaoxing stops; Hangzhou asks again");
        nodes.remove("shaoxing").close();
        JsonNode withoutShaoxing = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/alliance/subjects/" + uscc + "/records");
        printMerged(withoutShaoxing);
        expect(outcome(withoutShaoxing, "shaoxing").equals("FAILED") || outcome(withoutShaoxing, "shaoxing").equals("TIMED_OUT"),
                "Shaoxing is reported as failed, the others still answer (" + cli("partners status") + ")");
        expect(outcome(withoutShaoxing, "huzhou").equals("ANSWERED"), "Huzhou still answers");

        out.println();
        out.println(failures == 0 ? "scenario passed: every step showed what it should"
                : "scenario FAILED: " + failures + " expectation(s) not met");
        return failures == 0;
    }

    /**
     * What to try next, as commands to paste: the console and how to sign in, a development token
     * for each role, the CLI on each member's data ({@code GATEWAY_CONFIG}), an evidence bundle
     * verified offline with the alliance CA.
     *
     * @param running whether the alliance stays up (else the CLI commands still read its data)
     */
    public void printExploration(boolean running) {
        Member hangzhou = DemoAlliance.member("hangzhou");
        String api = alliance.apiUrl(hangzhou);
        out.println();
        out.println(running ? "The alliance stays up; Ctrl-C stops it. Explore it:"
                : "The alliance has stopped; its data stays under " + shown(alliance.root()) + " until the next demo run. Explore it:");
        if (running) {
            out.println("  officer console   " + api + "/console  (Sign in: the development issuer's form; user any name,"
                    + " roles auditor)");
            out.println("  a token per role  token() { curl -s " + api + "/dev-issuer/protocol/openid-connect/token"
                    + " -d \"username=me&roles=$1${2:+&department=$2}\" | sed -n 's/.*\"access_token\" : \"\\([^\"]*\\)\".*/\\1/p'; }");
            out.println("                    roles: reader-public reader-authorised reader-shared importer (with a department)"
                    + " registrar operator auditor");
            out.println("  curl -H \"Authorization: Bearer $(token reader-public)\" '" + api
                    + "/api/v1/alliance/subjects/" + subject + "/records?partners=all'");
            out.println("  curl -H \"Authorization: Bearer $(token auditor)\" '" + api + "/api/v1/audit/events?limit=5'");
            out.println("  (who may use which endpoint: docs/SECURITY.md)");
        }
        out.println("  the CLI on Hangzhou's data (each member's configuration is " + shown(alliance.root()) + "/data/<member>/node.properties):");
        out.println("    export GATEWAY_CONFIG=" + shown(alliance.configFile(hangzhou)));
        out.println("    ./gatewayctl query --uscc " + subject);
        out.println("    ./gatewayctl partners status");
        out.println("    ./gatewayctl audit verify");
        java.time.temporal.ChronoUnit seconds = java.time.temporal.ChronoUnit.SECONDS;
        out.println("    ./gatewayctl audit export --from " + started.minusSeconds(60).truncatedTo(seconds) + " --to "
                + Instant.now().plusSeconds(60).truncatedTo(seconds) + " --out bundle.zip");
        out.println("    ./gatewayctl audit verify-bundle bundle.zip --trust " + shown(alliance.root().resolve("pki/gm-ca/ca.cert.pem"))
                + "," + shown(alliance.root().resolve("pki/intl-ca/ca.cert.pem")));
        for (Member m : DemoAlliance.MEMBERS) {
            out.printf("  %-9s API %s   exchange %s%s%n", m.id(), alliance.apiUrl(m), alliance.exchangeUrl(m),
                    running && !nodes.containsKey(m.id()) ? "   (stopped in step 9)" : "");
        }
        out.println("  the nodes' log: " + shown(alliance.root().resolve("demo.log")));
    }

    /** A command for the operator, run on Hangzhou's data as printed (the CLI reads the configuration Hangzhou left there). */
    private String cli(String command) {
        return "./gatewayctl " + command + " --data-dir " + shown(alliance.root().resolve("data"));
    }

    private static String shown(Path p) {
        Path here = Path.of("").toAbsolutePath();
        return p.startsWith(here) ? here.relativize(p).toString() : p.toString();
    }

    private void startAll() throws Exception {
        step("Starting the alliance on loopback (keys, databases and brokers under " + alliance.root() + ")");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Map<String, Future<Node>> starting = new LinkedHashMap<>();
            for (Member m : DemoAlliance.MEMBERS) {
                starting.put(m.id(), pool.submit(() -> alliance.start(m)));
            }
            for (Map.Entry<String, Future<Node>> e : starting.entrySet()) {
                nodes.put(e.getKey(), e.getValue().get());
                Member m = DemoAlliance.member(e.getKey());
                out.printf("   %-9s up: API %s, exchange %s%n", m.id(), alliance.apiUrl(m), alliance.exchangeUrl(m));
                HttpResponse<String> ready = LOCAL.send(HttpRequest.newBuilder(URI.create(alliance.apiUrl(m) + "/health/ready"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                expect(ready.statusCode() == 200, m.id() + " is ready (database and broker answer)");
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Seeds the stores on the first run; returns the demo's subject, an enterprise every seeded store knows. */
    private String seedOnFirstRun() throws Exception {
        Path seed = alliance.root().resolve("seed");
        if (!Files.exists(seed.resolve("licensing.csv"))) {
            new SeedGenerator(1, LocalDate.now()).writeDataSet(SEED_SUBJECTS, seed);
        }
        Path marker = alliance.root().resolve("seeded");
        if (!Files.exists(marker)) {
            step("Seeding the stores of " + String.join(", ", SEEDED.stream().sorted().toList()) + " with synthetic records");
            for (Member m : DemoAlliance.MEMBERS) {
                if (SEEDED.contains(m.id())) {
                    for (String type : List.of("licensing", "penalty")) {
                        JsonNode report = post(alliance.apiUrl(m) + "/api/v1/imports?type=" + type, "text/csv",
                                Files.readAllBytes(seed.resolve(type + ".csv")));
                        out.printf("   %-9s %-9s %s stored%n", m.id(), type, report.path("stored").asText("?"));
                    }
                }
            }
            Files.writeString(marker, "seeded\n");
        }
        return firstEnterprise(Files.readString(seed.resolve("licensing.csv"), StandardCharsets.UTF_8));
    }

    /**
     * Class B (a tax credit rating, 纳税信用) and class C (social-insurance payments, 社保缴纳) of the
     * demo's enterprise at Hangzhou, read by people with development tokens: nothing without the
     * subject's authorisation or a sharing agreement, exactly the configured fields with them.
     */
    private void showClassesBAndC(String uscc) throws Exception {
        step("5. Classes B and C at Hangzhou: the subject's authorisation (授权查询), a sharing agreement (保密协议),"
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
        expect(!seenByThePublic.contains("tax") && !seenByThePublic.contains("social-insurance"), "the public reads class A only");

        String loanOfficer = devToken(api, "loan-officer", "reader-public,reader-authorised", TAX_READER_DEPARTMENT);
        HttpResponse<String> refused = call("GET", records + "&datasets=tax", loanOfficer, null);
        out.println("   loan-officer, without the subject's authorisation: " + refused.statusCode() + " " + code(refused));
        expect(code(refused).equals("E_AUTHORIZATION_REQUIRED"), "class B without the subject's authorisation: refused, no data");

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
        expect(read.statusCode() == 200 && taxRecords.size() == 1 && !taxRecords.get(0).has("sourceDepartment"),
                "class B on the subject's authorisation, with the fields gateway.disclosure.tax names");
        call("DELETE", api + "/api/v1/authorisations/" + authorisation, operator, null);
        HttpResponse<String> revoked = call("GET", records + "&datasets=tax&authorisation=" + authorisation, loanOfficer, null);
        out.println("   after the subject revoked it: " + revoked.statusCode() + " " + code(revoked));
        expect(code(revoked).equals("E_AUTHORIZATION_REVOKED"), "a revoked authorisation is refused with its own code");

        String insuranceOfficer = devToken(api, "insurance-officer", "reader-shared,agreement-social-insurance", SHARED_READER_DEPARTMENT);
        HttpResponse<String> shared = call("GET", records + "&datasets=social-insurance", insuranceOfficer, null);
        JsonNode sharedRecords = Json.mapper().readTree(shared.body()).path("records");
        out.println("   insurance-officer, under a sharing agreement: " + shared.statusCode() + ", fields " + fields(sharedRecords));
        expect(shared.statusCode() == 200 && sharedRecords.size() == 1, "class C to a department under a sharing agreement");
        String planningOfficer = devToken(api, "planning-officer", "reader-shared", SHARED_READER_DEPARTMENT);
        HttpResponse<String> unsigned = call("GET", records + "&datasets=social-insurance", planningOfficer, null);
        out.println("   planning-officer, no agreement: " + unsigned.statusCode() + " " + code(unsigned));
        expect(code(unsigned).equals("E_SHARING_AGREEMENT_REQUIRED"), "class C without a sharing agreement: refused, no data");
    }

    /** One record of the enterprise in the list layout, as the tax bureau or the social-insurance office sends it. */
    private static String oneListRecord(String uscc, String dataset) {
        return "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_WSH,MD_LB,MD_YJ,MD_NR,MD_JDRQ,MD_YXQ,MD_GSJZQ,MD_RDJG,MD_RDJGDM,MD_SJLY,MD_SJLYDM,BZ\n"
                + "演示企业,法人及非法人组织," + uscc + ",杭演示〔2026〕" + dataset.length() + "号,"
                + (dataset.equals("tax") ? "A级纳税人,《纳税信用管理办法》,纳税信用评价为A级" : "正常缴纳,《社会保险法》,连续36个月正常缴纳")
                + ",2026-04-01,2027-03-31,2027-03-31,杭州市演示单位," + TAX_READER_DEPARTMENT + ",杭州市演示单位," + TAX_READER_DEPARTMENT
                + ",内部备注\n";
    }

    /** A development token from the node's own issuer (no password: the demo runs without a realm). */
    private static String devToken(String api, String user, String roles, String department) throws Exception {
        return DemoAlliance.devToken(api, user, roles, department);
    }

    private static HttpResponse<String> call(String method, String url, String authorization, String json) throws Exception {
        return LOCAL.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> answer) throws IOException {
        return Json.mapper().readTree(answer.body()).path("code").asText("HTTP " + answer.statusCode());
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
    private void showAuditTrail() throws Exception {
        step("6. Hangzhou's audit trail: hash-chained events, signed checkpoints countersigned by every partner");
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
            expect(v.intact() && v.result().verified() > 0, "the audit trail verifies: chain and signed checkpoints");
            expect(witnessed && v.countersignedBy().keySet().containsAll(partners), "every partner countersigned Hangzhou's checkpoints");
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
            expect(status.path("intact").asBoolean(), "the console's verification agrees");
            expect("E_ROLE_REQUIRED".equals(refused.path("code").asText()), "only the auditor role reads the trail");
        }
    }

    /**
     * Joint punishment (联合奖惩): Hangzhou black-lists the enterprise and notifies the alliance
     * cities (发起); each acknowledges; Huzhou responds with the measures it applied (响应); Hangzhou
     * tracks them (跟踪问效).
     */
    private void showJointPunishment(String uscc) throws Exception {
        step("7. Joint punishment: Hangzhou black-lists " + uscc + " and notifies the alliance cities; Huzhou responds");
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
        expect(listed.statusCode() == 201, "the black-list entry is recorded, published for one year (GENERAL)");
        HttpResponse<String> issued = call("POST", hangzhou + "/api/v1/sanctions", operator, """
                {"entryId": "%s", "measures": ["no public funding", "stricter inspection"], "respondWithin": "P7D"}""".formatted(entryId));
        String id = Json.mapper().readTree(issued.body()).path("notice").path("id").asText();
        expect(issued.statusCode() == 201, "the notice is issued to Huzhou, Jiaxing and Shaoxing");
        boolean acknowledged = awaitCounts(() -> sanction(hangzhou, operator, id).path("acknowledged").asInt() == 3);
        String huzhouOperator = devToken(huzhou, "node-operator", "operator", null);
        HttpResponse<String> responded = call("POST", huzhou + "/api/v1/sanctions/received/hangzhou/" + id + "/response", huzhouOperator,
                "{\"measuresApplied\": [\"excluded from public procurement\"]}");
        boolean tracked = responded.statusCode() == 201 && awaitCounts(() -> sanction(hangzhou, operator, id).path("responded").asInt() == 1);
        for (JsonNode p : sanction(hangzhou, operator, id).path("partners")) {
            out.printf("   %-9s %s%s%n", p.path("partner").asText(), p.path("delivery").asText().equals("ANSWERED") ? "acknowledged" : "pending",
                    p.has("respondedAt") ? ", responded: " + p.path("measuresApplied") : ", no response yet (due in 7 days)");
        }
        expect(acknowledged, "every alliance city acknowledged the notice");
        expect(tracked, "Huzhou's response and the measures it applied reach Hangzhou (" + cli("sanctions status " + id) + ")");

        HttpResponse<String> lifted = call("POST", hangzhou + "/api/v1/lists/" + entryId + "/lift", operator,
                "{\"status\": \"REPAIRED\", \"basis\": \"信用修复决定（演示）\"}");
        boolean liftConfirmed = lifted.statusCode() == 200 && awaitCounts(() -> {
            JsonNode partners = sanction(hangzhou, operator, id).path("partners");
            return partners.size() == 3 && partners.findValues("liftConfirmedAt").size() == 3;
        });
        out.println("   the entry repaired: " + sanction(hangzhou, operator, id).path("partners").findValues("liftConfirmedAt").size()
                + " of 3 cities confirmed the lift");
        expect(liftConfirmed, "the entry is repaired (信用修复) and every city the notice went to confirms the lift");
    }

    /**
     * Trusted-enterprise recognition (诚信企业互认), a filing (信用服务机构备案互认), credit repair (信用修复)
     * and an objection (异议处理): Hangzhou nominates an enterprise and files an institution, and each
     * city answers by its own rules; Hangzhou repairs a
     * record it handed the province and the nation, and both withdraw their copies and confirm; an
     * objection to another record is flagged at the province, then rejected and cleared there.
     */
    private void showRecognitionRepairAndObjection() throws Exception {
        step("8. Recognition, a service institution's filing, credit repair and an objection, propagated to every partner concerned");
        if (alliance.hasRealm()) {
            out.println("   skipped: the nodes accept the realm's tokens only; sign in with the operator role to try it");
            return;
        }
        String hangzhou = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String operator = devToken(hangzhou, "node-operator", "operator", null);
        List<String> records = new ArrayList<>();
        String nominee = null;
        try (CreditStoreConnection store = CreditStoreConnection.open(alliance.config(DemoAlliance.member("hangzhou")));
             var c = store.database().connection(); var st = c.createStatement(); var rs = st.executeQuery("""
                     select r.id, s.uscc from credit_record r join subject s on s.id = r.subject_id
                     where s.uscc is not null and r.status = 'ACTIVE' and r.category = 'licensing'
                       and exists (select 1 from outbox o where o.record_id = r.id and o.destination = 'zhejiang')
                       and exists (select 1 from outbox o where o.record_id = r.id and o.destination = 'national')
                       and not exists (select 1 from credit_list_entry e where e.uscc = s.uscc)
                     order by r.id limit 2""")) {
            while (rs.next()) {
                records.add(rs.getString(1));
                nominee = nominee == null ? rs.getString(2) : nominee;
            }
        }
        if (records.size() < 2) {
            expect(false, "two of Hangzhou's records handed to the province and the nation");
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
        expect(answered, "every alliance city answered the nomination by its own rules (recognised, or declined with reasons)");
        String huzhou = alliance.apiUrl(DemoAlliance.member("huzhou"));
        String huzhouOperator = devToken(huzhou, "node-operator", "operator", null);
        JsonNode kept = recognition(huzhou, huzhouOperator, nomineeUscc).path("nominations").path(0);
        expect(kept.path("by").asText().equals("hangzhou") && kept.path("statement").asText().length() > 100,
                "Huzhou keeps Hangzhou's signed recognition statement (basis, validity) with its answer");

        HttpResponse<String> filed = call("POST", hangzhou + "/api/v1/filings", operator, """
                {"uscc": "%s", "name": "演示信用服务机构", "services": ["credit rating"], "authority": "中国人民银行杭州中心支行",
                 "filedOn": "%s", "validUntil": "%s"}""".formatted(nomineeUscc, java.time.LocalDate.now(),
                java.time.LocalDate.now().plusYears(3)));
        boolean filingAnswered = filed.statusCode() == 201 && awaitCounts(() -> {
            JsonNode answers = getQuietlyWith(hangzhou + "/api/v1/filings/" + nomineeUscc, operator).path("filings").path(0).path("answers");
            return answers.size() == 3 && !answers.toString().contains("pending");
        });
        expect(filingAnswered, "a credit service institution's filing is visible at every alliance city, each answering by its rules");

        JsonNode imported = post(huzhou + "/api/v1/imports?type=blacklist", "text/csv", new SeedGenerator(1, java.time.LocalDate.now())
                .blackListEntry(nomineeUscc, "演示诚信企业", "湖市监黑字〔2026〕" + System.currentTimeMillis() / 1000 % 100000 + "号",
                        java.time.LocalDate.now().plusYears(1)).getBytes(StandardCharsets.UTF_8));
        boolean withdrawn = awaitCounts(() -> "WITHDRAWN".equals(recognition(hangzhou, operator, nomineeUscc).path("status").asText()));
        out.println("   Huzhou's market regulator imports a black-list record of " + nomineeUscc + " (" + imported.path("stored").asText("?")
                + " stored): at Hangzhou the recognition is " + recognition(hangzhou, operator, nomineeUscc).path("status").asText());
        expect(withdrawn, "a department's black-list record at Huzhou withdraws the recognition at every alliance city");

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
        expect(confirmed, "the province and the nation withdrew the repaired record and confirmed (" + cli("repair status " + repairId) + ")");

        HttpResponse<String> objected = call("POST", hangzhou + "/api/v1/records/" + records.get(1) + "/objection", operator,
                "{\"basis\": \"the subject disputes the licence's scope\"}");
        String objectionId = Json.mapper().readTree(objected.body()).path("id").asText();
        boolean flagged = objected.statusCode() == 201 && awaitCounts(() -> objectionAnswer(hangzhou, operator, objectionId, "flagged"));
        call("POST", hangzhou + "/api/v1/objections/" + objectionId + "/resolution", operator,
                "{\"outcome\": \"REJECTED\", \"note\": \"the record stands\"}");
        boolean cleared = awaitCounts(() -> objectionAnswer(hangzhou, operator, objectionId, "cleared"));
        expect(flagged && cleared, "an objection is flagged at the province and the nation, then cleared there when rejected");
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

    private static JsonNode getQuietlyWith(String url, String token) {
        try {
            return Json.mapper().readTree(call("GET", url, token, null).body());
        } catch (Exception e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static JsonNode sanction(String api, String token, String id) {
        try {
            return Json.mapper().readTree(call("GET", api + "/api/v1/sanctions/" + id, token, null).body());
        } catch (Exception e) {
            return Json.mapper().createObjectNode();
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

    /** The first enterprise (not a department) of a seed file: a subject the seeded stores know. */
    public static String firstEnterprise(String csv) {
        Set<String> departments = SeedGenerator.departments().stream().map(SeedGenerator.Department::uscc).collect(Collectors.toSet());
        Matcher m = Pattern.compile("\\b[0-9A-HJ-NPQRTUWXY]{18}\\b").matcher(csv);
        while (m.find()) {
            String candidate = m.group();
            if (Uscc.check(candidate).valid() && !departments.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the seed holds no enterprise");
    }

    /** Huzhou seals a real query to Hangzhou, one byte is altered on the way, and Hangzhou's answer is read. */
    private String sendTampered(String uscc) throws Exception {
        Member huzhou = DemoAlliance.member("huzhou");
        NodeIdentity identity = NodeIdentity.load(alliance.config(huzhou), Clock.systemUTC()).orElseThrow();
        NodeEnvelopes envelopes = identity.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
        byte[] payload = ("{\"uscc\":\"" + uscc + "\",\"requestedBy\":\"demo\",\"purpose\":\"tamper test\"}").getBytes(StandardCharsets.UTF_8);
        X509Certificate hangzhouCertificate = PemFiles.readCertificate(
                alliance.root().resolve("certs").resolve("hangzhou.gm.pem"));
        byte[] envelope = envelopes.seal(payload, new ExchangeHeaders(UUID.randomUUID().toString(), "huzhou", "hangzhou", "query",
                null, Clock.systemUTC().instant()), hangzhouCertificate);
        envelope[envelope.length / 2] ^= 0x01;
        HttpClient asHuzhou = HttpClient.newBuilder()
                .sslContext(MutualTls.client(identity.tlsCredential().orElseThrow(), identity.validator(), "hangzhou"))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> answer = asHuzhou.send(HttpRequest.newBuilder(URI.create(alliance.exchangeUrl(DemoAlliance.member("hangzhou"))))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", PartnerClient.ENVELOPE_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode error = Json.mapper().readTree(answer.body());
        return error.path("code").asText("HTTP " + answer.statusCode()) + " (HTTP " + answer.statusCode() + "): "
                + error.path("message").asText();
    }

    private void printMerged(JsonNode merged) {
        for (JsonNode p : merged.path("partners")) {
            out.printf("   %-9s %-9s %-22s %3d records  %s%s%n", p.path("node").asText(), p.path("outcome").asText(),
                    p.path("code").asText(""), p.path("records").asInt(),
                    p.has("latencyMs") ? p.path("latencyMs").asLong() + " ms" : "",
                    // why an answer holds fewer records than the partner keeps: counts per reason (Withheld)
                    p.path("withheld").isEmpty() ? "" : "  (" + p.path("message").asText() + ")");
        }
    }

    /** A node's deliveries to a destination, in a state or all. */
    private long delivered(String node, String destination, String state) {
        JsonNode states = getQuietly(node, "/api/v1/outbox").path("deliveries").path(destination);
        return states.path(state).asLong();
    }

    private long deliveries(String node, String destination) {
        long n = 0;
        for (JsonNode count : getQuietly(node, "/api/v1/outbox").path("deliveries").path(destination)) {
            n += count.asLong();
        }
        return n;
    }

    /** How many deliveries a node holds from a sender. */
    private long received(String node, String sender) {
        long n = 0;
        for (JsonNode count : getQuietly(node, "/api/v1/received").path("received").path(sender)) {
            n += count.asLong();
        }
        return n;
    }

    private JsonNode getQuietly(String node, String path) {
        try {
            return get(alliance.apiUrl(DemoAlliance.member(node)) + path);
        } catch (IOException | InterruptedException e) {
            return Json.mapper().createObjectNode();
        }
    }

    /** Waits up to a minute for the push flows to settle; true if they did. */
    private static boolean awaitCounts(java.util.function.BooleanSupplier settled) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!settled.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static String outcome(JsonNode merged, String node) {
        for (JsonNode p : merged.path("partners")) {
            if (p.path("node").asText().equals(node)) {
                return p.path("outcome").asText();
            }
        }
        return "MISSING";
    }

    private static int records(JsonNode merged, String node) {
        for (JsonNode p : merged.path("partners")) {
            if (p.path("node").asText().equals(node)) {
                return p.path("records").asInt();
            }
        }
        return 0;
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private void expect(boolean condition, String what) {
        out.println("   " + (condition ? "ok      " : "FAILED  ") + what);
        if (!condition) {
            failures++;
        }
    }

    /**
     * A GET as whom its door admits: local records as the anonymous public, the mutual query as a
     * class A reader, the operations views as the node's operator.
     */
    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (url.contains("/api/v1/alliance/")) {
            request.header("Authorization", signedIn(url, "public-reader", "reader-public"));
        } else if (!url.contains("/api/v1/records")) {
            request.header("Authorization", signedIn(url, "node-operator", "operator"));
        }
        HttpResponse<String> r = LOCAL.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    /** An upload of department files, by the node's operator (the seeded files name their departments row by row). */
    private static JsonNode post(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = LOCAL.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).header("Authorization", signedIn(url, "node-operator", "operator"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    /** A development token of the node serving this URL. */
    private static String signedIn(String url, String user, String roles) throws IOException, InterruptedException {
        URI u = URI.create(url);
        try {
            return devToken(u.getScheme() + "://" + u.getAuthority(), user, roles, null);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("no development token from " + u.getAuthority(), e);
        }
    }

    @Override
    /** Stops the members, all at once (each stop is its own; together they take as long as the slowest). */
    public void close() {
        List<Node> running = new ArrayList<>(nodes.values());
        nodes.clear();
        running.parallelStream().forEach(Node::close);
    }
}
