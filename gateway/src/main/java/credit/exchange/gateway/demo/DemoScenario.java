package credit.exchange.gateway.demo;

import static credit.exchange.gateway.demo.DemoHttp.awaitCounts;
import static credit.exchange.gateway.demo.DemoHttp.get;
import static credit.exchange.gateway.demo.DemoHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.seed.SeedGenerator;
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

    private final DemoAlliance alliance;
    private final PrintStream out;
    private final DemoNarration narration;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    /** The demo's subject (an enterprise every seeded store knows) and when the scenario started: for the exploration hints. */
    private String subject = "<USCC>";
    private final Instant started = Instant.now();
    private final ReportSteps reports;

    public DemoScenario(DemoAlliance alliance, PrintStream out) {
        this.alliance = alliance;
        this.out = out;
        this.narration = new DemoNarration(out, alliance.root());
        this.reports = new ReportSteps(alliance, narration, out);
    }

    /** Runs the scenario; true if every step showed what it should. */
    public boolean run() throws Exception {
        out.println("The nodes' log lines go to " + DemoNarration.shown(alliance.root().resolve("demo.log")) + "; this terminal tells the scenario.");
        startAll();
        String uscc = seedOnFirstRun();
        subject = uscc;

        narration.step("1. Hangzhou asks every partner about " + uscc + " (mutual query, 信用信息互查)");
        JsonNode merged = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/alliance/subjects/" + uscc + "/records");
        printMerged(merged);
        narration.expect(outcome(merged, "huzhou").equals("ANSWERED") && records(merged, "huzhou") > 0, "Huzhou answered with records");
        narration.expect(outcome(merged, "jiaxing").equals("ANSWERED"), "Jiaxing (INTL suite) answered");
        narration.expect(merged.path("records").size() > 0 && merged.path("records").get(0).path("signatureVerified").asBoolean(),
                "every record carries its provenance: node, time, verified signature");

        narration.step("2. Huzhou asks Hangzhou");
        JsonNode fromHangzhou = get(alliance.apiUrl(DemoAlliance.member("huzhou")) + "/api/v1/alliance/subjects/" + uscc
                + "/records?partners=hangzhou");
        printMerged(fromHangzhou);
        narration.expect(outcome(fromHangzhou, "hangzhou").equals("ANSWERED") && records(fromHangzhou, "hangzhou") > 0,
                "Hangzhou answered Huzhou with records");

        narration.step("3. A tampered envelope from Huzhou to Hangzhou");
        String refusal = sendTampered(uscc);
        out.println("   Hangzhou refused it: " + refusal);
        narration.expect(refusal.startsWith("E_"), "the tampered envelope is refused with an error code");

        narration.step("4. Push flows: the province pulls Hangzhou over SOAP and Huzhou over REST, acknowledging each batch with a"
                + " signed receipt; both cities deliver licensing and penalty decisions to the nation (双公示, 7-day deadline)");
        for (String city : List.of("hangzhou", "huzhou")) {
            String binding = city.equals("hangzhou") ? "SOAP" : "REST";
            boolean pulled = awaitCounts(() -> delivered(city, "zhejiang", "ACKNOWLEDGED") == deliveries(city, "zhejiang")
                    && received("zhejiang", city) == deliveries(city, "zhejiang"));
            out.printf("   %-9s -> zhejiang  %4d records, %4d acknowledged, %4d held by the province%n", city,
                    deliveries(city, "zhejiang"), delivered(city, "zhejiang", "ACKNOWLEDGED"), received("zhejiang", city));
            narration.expect(pulled && deliveries(city, "zhejiang") > 0, "the province pulled every record of " + city + " over "
                    + binding + ", each once, all acknowledged");
            boolean pushed = awaitCounts(() -> delivered(city, "national", "DELIVERED") == deliveries(city, "national")
                    && received("national", city) == deliveries(city, "national"));
            out.printf("   %-9s -> national  %4d records, %4d delivered,    %4d held by the nation%n", city,
                    deliveries(city, "national"), delivered(city, "national", "DELIVERED"), received("national", city));
            narration.expect(pushed && deliveries(city, "national") > 0, "the nation received every double-publicity record of " + city
                    + ", each once");
        }
        JsonNode publicity = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/publicity");
        narration.expect(publicity.path("late").isEmpty(), "no double-publicity delivery of Hangzhou is at risk or overdue");

        AccessAndAuditSteps accessAndAudit = new AccessAndAuditSteps(alliance, narration);
        accessAndAudit.showClassesBAndC(uscc);
        accessAndAudit.showAuditTrail();
        AllianceWorkflowSteps workflows = new AllianceWorkflowSteps(alliance, narration);
        workflows.showJointPunishment(uscc);
        workflows.showRecognitionRepairAndObjection();

        narration.step("9. Shaoxing stops; Hangzhou asks again");
        nodes.remove("shaoxing").close();
        JsonNode withoutShaoxing = get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/alliance/subjects/" + uscc + "/records");
        printMerged(withoutShaoxing);
        narration.expect(outcome(withoutShaoxing, "shaoxing").equals("FAILED") || outcome(withoutShaoxing, "shaoxing").equals("TIMED_OUT"),
                "Shaoxing is reported as failed, the others still answer (" + narration.cli("partners status") + ")");
        narration.expect(outcome(withoutShaoxing, "huzhou").equals("ANSWERED"), "Huzhou still answers");

        reports.showCreditReport(uscc);

        out.println();
        out.println(narration.failures() == 0 ? "scenario passed: every step showed what it should"
                : "scenario FAILED: " + narration.failures() + " expectation(s) not met");
        return narration.failures() == 0;
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
                : "The alliance has stopped; its data stays under " + DemoNarration.shown(alliance.root()) + " until the next demo run. Explore it:");
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
        out.println("  the CLI on Hangzhou's data (each member's configuration is " + DemoNarration.shown(alliance.root()) + "/data/<member>/node.properties):");
        out.println("    export GATEWAY_CONFIG=" + DemoNarration.shown(alliance.configFile(hangzhou)));
        out.println("    ./gatewayctl query --uscc " + subject);
        if (reports.issued() != null) {
            out.println("    ./gatewayctl report verify " + DemoNarration.shown(reports.issued()) + "      (the credit report of step 10)");
        }
        out.println("    ./gatewayctl report --uscc " + subject + " --purpose '招投标审查' --alliance   (信用报告: a signed PDF here)");
        out.println("    ./gatewayctl partners status");
        out.println("    ./gatewayctl audit verify");
        java.time.temporal.ChronoUnit seconds = java.time.temporal.ChronoUnit.SECONDS;
        out.println("    ./gatewayctl audit export --from " + started.minusSeconds(60).truncatedTo(seconds) + " --to "
                + Instant.now().plusSeconds(60).truncatedTo(seconds) + " --out bundle.zip");
        out.println("    ./gatewayctl audit verify-bundle bundle.zip --trust " + DemoNarration.shown(alliance.root().resolve("pki/gm-ca/ca.cert.pem"))
                + "," + DemoNarration.shown(alliance.root().resolve("pki/intl-ca/ca.cert.pem")));
        for (Member m : DemoAlliance.MEMBERS) {
            out.printf("  %-9s API %s   exchange %s%s%n", m.id(), alliance.apiUrl(m), alliance.exchangeUrl(m),
                    running && !nodes.containsKey(m.id()) ? "   (stopped in step 9)" : "");
        }
        out.println("  the nodes' log: " + DemoNarration.shown(alliance.root().resolve("demo.log")));
    }

    private void startAll() throws Exception {
        narration.step("Starting the alliance on loopback (keys, databases and brokers under " + alliance.root() + ")");
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
                HttpResponse<String> ready = DemoHttp.LOCAL.send(HttpRequest.newBuilder(URI.create(alliance.apiUrl(m) + "/health/ready"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                narration.expect(ready.statusCode() == 200, m.id() + " is ready (database and broker answer)");
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
            narration.step("Seeding the stores of " + String.join(", ", SEEDED.stream().sorted().toList()) + " with synthetic records");
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

    @Override
    /** Stops the members, all at once (each stop is its own; together they take as long as the slowest). */
    public void close() {
        List<Node> running = new ArrayList<>(nodes.values());
        nodes.clear();
        running.parallelStream().forEach(Node::close);
    }
}
