package credit.exchange.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.report.CreditReport;
import credit.exchange.routes.report.ReportFont;
import credit.exchange.routes.report.ReportPdf;
import credit.exchange.routes.report.ReportSignature;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alliance credit report (信用报告) on real nodes: Hangzhou holds a licence and a tax rating of an
 * enterprise, Huzhou a red-list entry. A reader of class A at Hangzhou asks for the alliance report:
 * each entry says where it came from (Huzhou's with the message id of its signed answer), the tax
 * rating is not in it, the PDF reads in Chinese, anyone can check it at its verification link, and
 * {@code gatewayctl report verify} accepts it and refuses a changed byte, a number never issued and
 * a report signed with another node's key.
 */
class ReportIT {

    private static final String SUBJECT = "913301095GJ1CJ6U17";
    private static final String PURPOSE = "招投标审查 (tender review)";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path root;
    static DemoAlliance alliance;
    static final List<Node> nodes = new ArrayList<>();
    static String hangzhou;
    static Path hangzhouConfig;

    @BeforeAll
    static void start() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        for (String id : List.of("hangzhou", "huzhou", "jiaxing")) {
            nodes.add(alliance.start(DemoAlliance.member(id)));
        }
        hangzhou = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        hangzhouConfig = root.resolve("hangzhou.properties");
        alliance.config(DemoAlliance.member("hangzhou")).save(hangzhouConfig);
        Path samples = TestNodes.samples().resolve("licensing-sample.csv");
        HttpResponse<String> licences = TestNodes.operatorPost(hangzhou + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(samples));
        assertEquals(200, licences.statusCode(), licences.body()); // its planted defects are rejected, the rest stored
        SeedGenerator seed = new SeedGenerator(22, LocalDate.now());
        HttpResponse<String> tax = TestNodes.operatorPost(hangzhou + "/api/v1/imports?type=tax", "text/csv",
                seed.blackListEntry(SUBJECT, "杭州千岛网络有限公司", "杭税信〔2026〕22号", LocalDate.now().plusYears(1))
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, tax.statusCode(), tax.body());
        String huzhou = alliance.apiUrl(DemoAlliance.member("huzhou"));
        HttpResponse<String> red = TestNodes.operatorPost(huzhou + "/api/v1/imports?type=redlist", "text/csv",
                seed.blackListEntry(SUBJECT, "杭州千岛网络有限公司", "湖红〔2026〕5号", LocalDate.now().plusYears(1))
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, red.statusCode(), red.body());
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    void anAllianceReport_labelsEachEntryBySource_showsOnlyTheCallersClasses_andVerifies() throws Exception {
        String reader = TestNodes.devToken(hangzhou, "bid-officer", "reader-public", null);
        String url = hangzhou + "/api/v1/reports/" + SUBJECT + "?alliance=true&purpose=" + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8);

        HttpResponse<byte[]> json = get(url, reader, "application/json");
        assertEquals(200, json.statusCode(), new String(json.body(), StandardCharsets.UTF_8));
        JsonNode report = Json.mapper().readTree(json.body());
        assertEquals("A", report.path("classesShown").asText(), report.toString());
        assertEquals("bid-officer", report.path("issuedTo").asText());
        JsonNode licence = section(report, "licensing").path("entries").get(0);
        assertTrue(licence.path("source").path("local").asBoolean(), licence.toString());
        assertEquals("hangzhou", licence.path("source").path("node").asText());
        assertTrue(fields(licence).contains("决定文书号"), licence.toString());
        JsonNode red = section(report, "redlist").path("entries").get(0);
        assertEquals("huzhou", red.path("source").path("node").asText(), red.toString());
        assertEquals("湖州市公共信用信息平台", red.path("source").path("nameZh").asText());
        assertFalse(red.path("source").path("messageId").asText().isEmpty(), "the message id of Huzhou's signed answer");
        assertTrue(red.path("source").path("signatureVerified").asBoolean());
        assertEquals(0, section(report, "tax").path("entries").size(), "a class A reader sees no class B record: " + report);
        assertTrue(section(report, "tax").path("emptyNote").asText().contains("无权"), report.toString());
        assertTrue(report.path("notes").toString().contains("E_NOT_GRANTED"), "the withheld tax rating is counted: " + report.path("notes"));
        // the partners not running here (Shaoxing, the province, the nation) are reported as failed, not left out
        assertTrue(outcomes(report).containsAll(List.of("huzhou ANSWERED", "jiaxing ANSWERED", "shaoxing FAILED")), outcomes(report).toString());

        HttpResponse<byte[]> pdf = get(url, reader, "application/pdf");
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        String number = pdf.headers().firstValue("X-Report-Number").orElseThrow();
        assertNotEquals(report.path("number").asText(), number, "every report is issued under a number of its own");
        Path file = root.resolve("report.pdf");
        Files.write(file, pdf.body());
        String text = pdfText(file);
        for (String expected : List.of("信用报告", number, "行政许可", "红名单", "湖州市公共信用信息平台", "决定文书号", "第 1 页")) {
            assertTrue(text.contains(expected), "the PDF reads '" + expected + "':\n" + text);
        }
        assertFalse(text.contains("杭税信〔2026〕22号"), "no class B record in the PDF either");

        // anyone checks it at its verification link
        HttpResponse<String> verification = HTTP.send(HttpRequest.newBuilder(URI.create(hangzhou + "/api/v1/reports/" + number
                + "/verification")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, verification.statusCode(), verification.body());
        JsonNode stated = Json.mapper().readTree(verification.body());
        assertEquals("hangzhou", stated.path("node").asText());
        assertEquals("PDF", stated.path("format").asText());
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(hangzhou + "/api/v1/reports/hangzhou-20000101-000001"
                + "/verification")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("E_REPORT_UNKNOWN", Json.mapper().readTree(unknown.body()).path("code").asText());

        // issued reports are audit events naming the caller, the purpose and the classes shown
        String audited = String.join("\n", TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")),
                "select actor || ' | ' || purpose || ' | ' || detail from audit_event where action = 'report'"));
        assertTrue(audited.contains("bid-officer | " + PURPOSE + " | report " + number + " (PDF); classes shown A"), audited);

        // gatewayctl report verify: the report as issued verifies, with the register asked
        CliRun ok = CliRun.of("report", "verify", file.toString(), "--config", hangzhouConfig.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("registered by hangzhou"), ok.out());
        // and at a partner city, which asks Hangzhou's register at the report's verification link
        Path huzhouConfig = root.resolve("huzhou.properties");
        alliance.config(DemoAlliance.member("huzhou")).save(huzhouConfig);
        CliRun atHuzhou = CliRun.of("report", "verify", file.toString(), "--config", huzhouConfig.toString());
        assertEquals(0, atHuzhou.exit(), atHuzhou.out() + atHuzhou.err());
        assertTrue(atHuzhou.out().contains("registered by hangzhou"), atHuzhou.out());

        // a changed byte
        byte[] changed = pdf.body().clone();
        changed[changed.length / 3] ^= 0x01; // wherever it is: in the signed bytes, the signature or its padding
        Path tampered = root.resolve("tampered.pdf");
        Files.write(tampered, changed);
        CliRun refused = CliRun.of("report", "verify", tampered.toString(), "--config", hangzhouConfig.toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.out().contains("does NOT verify"), refused.out());

        // a number Hangzhou never issued, signed with its own key
        Clock clock = Clock.systemUTC();
        Envelopes hzKey = key("hangzhou", clock);
        Path forged = root.resolve("forged.pdf");
        Files.write(forged, signedReport("hangzhou-20261207-999999", "hangzhou", hzKey));
        CliRun neverIssued = CliRun.of("report", "verify", forged.toString(), "--config", hangzhouConfig.toString());
        assertEquals(1, neverIssued.exit(), neverIssued.out() + neverIssued.err());
        assertTrue(neverIssued.out().contains("E_REPORT_UNKNOWN"), neverIssued.out());

        // Hangzhou's name, Huzhou's key
        Path impostor = root.resolve("impostor.pdf");
        Files.write(impostor, signedReport(number, "hangzhou", key("huzhou", clock)));
        CliRun otherKey = CliRun.of("report", "verify", impostor.toString(), "--config", hangzhouConfig.toString());
        assertEquals(1, otherKey.exit(), otherKey.out() + otherKey.err());
        assertTrue(otherKey.out().contains("E_SIGNATURE_INVALID") && otherKey.out().contains("huzhou"), otherKey.out());
    }

    @Test
    void aReport_needsAReaderAndAPurpose() throws Exception {
        HttpResponse<byte[]> anonymous = get(hangzhou + "/api/v1/reports/" + SUBJECT + "?purpose=x", null, "application/pdf");
        assertEquals(401, anonymous.statusCode());
        String reader = TestNodes.devToken(hangzhou, "bid-officer", "reader-public", null);
        HttpResponse<byte[]> noPurpose = get(hangzhou + "/api/v1/reports/" + SUBJECT, reader, "application/json");
        assertEquals(400, noPurpose.statusCode());
        assertEquals("E_FIELD_MISSING", Json.mapper().readTree(noPurpose.body()).path("code").asText());
    }

    @Test
    void aPersonsReport_isAskedInTheBody_andNeverShowsTheNumber() throws Exception {
        String reader = TestNodes.devToken(hangzhou, "bid-officer", "reader-public", null);
        String id = "11010519491231002X";
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(hangzhou + "/api/v1/reports/by-person"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", reader).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"residentId\": \"" + id + "\", \"purpose\": \"贷款审查\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertEquals(200, answer.statusCode(), body);
        JsonNode report = Json.mapper().readTree(body);
        assertEquals("自然人", report.path("subject").path("kindZh").asText(), body);
        assertTrue(report.path("subject").path("maskedPersonId").asText().contains("*"), body);
        assertFalse(body.contains(id), "the report never shows the number in the clear");
        String registered = String.join("\n", TestNodes.rows(alliance.config(DemoAlliance.member("hangzhou")),
                "select subject_key from credit_report where number = '" + report.path("number").asText() + "'"));
        assertTrue(registered.startsWith("P:") && !registered.contains(id), "registered under the subject's key: " + registered);
        HttpResponse<byte[]> byFormat = HTTP.send(HttpRequest.newBuilder(URI.create(hangzhou + "/api/v1/reports/by-person"))
                .header("Authorization", reader).header("Content-Type", "application/json").header("Accept", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofString("{\"residentId\": \"" + id + "\", \"purpose\": \"x\", \"format\": \"json\"}"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("application/json; charset=utf-8", byFormat.headers().firstValue("Content-Type").orElse(""), "format in the body");
    }

    private static byte[] signedReport(String number, String issuer, Envelopes key) {
        CreditReport report = new CreditReport(number, issuer, "杭州市公共信用信息平台", Instant.now(), "test", "forger",
                new CreditReport.Subject("法人及非法人组织", "杭州千岛网络有限公司", SUBJECT, null), "A",
                List.of(new CreditReport.Section("basic", "主体基本信息", "Subject", List.of(), "无记录")), List.of(), List.of(),
                "http://127.0.0.1:1/api/v1/reports/" + number + "/verification");
        return ReportSignature.sign(ReportPdf.render(report, ReportFont.find(Optional.empty())), key::signDetached, issuer,
                "信用报告 " + number, Instant.now());
    }

    private static Envelopes key(String member, Clock clock) throws Exception {
        NodeConfig config = alliance.config(DemoAlliance.member(member));
        return NodeIdentity.load(config, clock).orElseThrow().envelopes(new InMemoryReplayGuard(clock), clock).signing(Suite.GM);
    }

    private static HttpResponse<byte[]> get(String url, String bearer, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Accept", accept);
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode section(JsonNode report, String code) {
        for (JsonNode s : report.path("sections")) {
            if (s.path("code").asText().equals(code)) {
                return s;
            }
        }
        throw new AssertionError("no section " + code + " in " + report);
    }

    private static List<String> fields(JsonNode entry) {
        List<String> labels = new ArrayList<>();
        entry.path("fields").forEach(f -> labels.add(f.path("labelZh").asText()));
        return labels;
    }

    private static List<String> outcomes(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("partners").forEach(p -> out.add(p.path("node").asText() + " " + p.path("outcome").asText()));
        return out;
    }

    /** The PDF's text as stock poppler's pdftotext reads it (Debian poppler-utils, which .ci/run installs). */
    static String pdfText(Path pdf) throws Exception {
        Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "pdftotext (Debian poppler-utils) reads the report: "
                + new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }
}
