package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Reject;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that cannot be read to their end: the rows before the break are kept, the break is
 * reported in the summary's fileProblem and as an E_MALFORMED reject, and the import returns
 * instead of throwing.
 */
@ExtendWith(CleanCreditStore.class)
class FileProblemsImportTest {

    private static final int ROWS = 10;

    private final TestNode node;
    private CsvTable penalties;

    @TempDir
    Path dir;

    FileProblemsImportTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void tenPenalties() {
        penalties = Seeds.rows(Seeds.SEED, "penalty", ROWS, ROWS, dir);
    }

    @Test
    void csv_unterminatedQuoteInTheMiddle_keepsTheRowsBefore_andReportsE_MALFORMED() throws IOException {
        Path broken = withUnterminatedQuoteInRow(6);

        ImportSummary summary = node.importFile(broken, "penalty");

        assertEquals(5, summary.rowsRead());
        assertEquals(5, summary.stored());
        assertEquals(5, node.rowCount("credit_record"));
        assertNotNull(summary.fileProblem());
        assertEquals(List.of(new Reject(6, "-", "E_MALFORMED", summary.fileProblem())), Reject.fromTable(node));
        assertEquals(ErrorCode.E_MALFORMED, summary.firstDefects().get(0).code());
    }

    @Test
    void csv_unterminatedQuote_importedAgain_storesNothingMore() throws IOException {
        Path broken = withUnterminatedQuoteInRow(6);
        node.importFile(broken, "penalty");

        ImportSummary again = node.importFile(broken, "penalty");

        assertEquals(0, again.stored());
        assertEquals(5, again.duplicates());
        assertEquals(1, node.rowCount("import_reject"));
    }

    @Test
    void csv_rowWithTooManyFields_isRejectedAlone() {
        List<String> longer = new ArrayList<>(penalties.cells(4));
        longer.add("one field too many");
        penalties.replace(4, longer);

        ImportSummary summary = node.importFile(penalties.write(dir.resolve("penalty.csv")), "penalty");

        assertEquals(ROWS, summary.rowsRead());
        assertEquals(ROWS - 1, summary.stored());
        assertEquals(1, summary.rejected());
        assertNull(summary.fileProblem());
        assertEquals(List.of("4 - E_MALFORMED"), Reject.fromTable(node).stream().map(Reject::whereAndCode).toList());
    }

    @Test
    void csv_notUtf8AndNoCharsetNamed_isReadAsGb18030() {
        Path gbk = penalties.write(dir.resolve("penalty-gbk.csv"), Charset.forName("GBK"));

        ImportSummary summary = node.importFile(gbk, "penalty");

        assertEquals("GB18030", summary.charset());
        assertEquals(ROWS, summary.stored());
        assertEquals(1, node.number("select count(*) from credit_record where party_name = ?", penalties.get(1, "CF_XDR_MC")));
    }

    @Test
    void csv_gbkBytesImportedAsUtf8_rejectsEveryRow_namingTheCharsetOption_andStoresNoMojibake() {
        Path gbk = penalties.write(dir.resolve("penalty-gbk.csv"), Charset.forName("GBK"));

        ImportSummary summary = node.importFile(gbk, "penalty", StandardCharsets.UTF_8);

        assertEquals(0, summary.stored());
        assertEquals(ROWS, summary.rejected());
        Defect first = summary.firstDefects().get(0);
        assertEquals(ErrorCode.E_MALFORMED, first.code());
        assertTrue(first.reason().contains("--charset"), first.reason());
        assertEquals(0, node.rowCount("credit_record"), "no mojibake stored");
    }

    @Test
    void csv_invalidByteInRow500_rejectsRow500Only_andStoresEveryOtherRow() throws IOException {
        Path file = fileWithInvalidByteInRow(500, 1_000);

        ImportSummary summary = node.importFile(file, "penalty", StandardCharsets.UTF_8);

        assertNull(summary.fileProblem());
        assertEquals(1, summary.rejected());
        assertEquals(500, summary.firstDefects().get(0).rowNumber());
        assertEquals(ErrorCode.E_MALFORMED, summary.firstDefects().get(0).code());
        assertEquals(999, summary.stored());
    }

    /** One corrupt byte must not make the whole UTF-8 file read as GB18030 mojibake. */
    @Test
    void csv_utf8WithOneInvalidByte_andNoCharsetNamed_storesNoMojibake() throws IOException {
        Path file = fileWithInvalidByteInRow(500, 1_000);
        CsvTable thousand = Seeds.rows(Seeds.SEED, "penalty", 1_000, 300, dir);

        node.importFile(file, "penalty");

        Set<String> names = new HashSet<>();
        for (int row = 1; row <= thousand.size(); row++) {
            names.add(thousand.get(row, "CF_XDR_MC"));
        }
        for (Map<String, Object> stored : node.rows("select distinct party_name from credit_record")) {
            assertTrue(names.contains((String) stored.get("party_name")), "mojibake stored: " + stored.get("party_name"));
        }
    }

    @Test
    void csv_utf8WithByteOrderMark_readsTheFirstHeaderColumn() throws IOException {
        Path plain = penalties.write(dir.resolve("plain.csv"));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path withBom = dir.resolve("bom.csv");
        Files.write(withBom, bom);
        Files.write(withBom, Files.readAllBytes(plain), StandardOpenOption.APPEND);

        ImportSummary summary = node.importFile(withBom, "penalty");

        assertEquals(ROWS, summary.stored());
        assertEquals(List.of(), summary.ignoredColumns());
    }

    @Test
    void csv_headerNamingNoColumnOfTheLayout_readsNothing_andSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("other.csv"), "name,code\nx,y\n");

        ImportSummary summary = node.importFile(file, "penalty");

        assertEquals(0, summary.rowsRead());
        assertNotNull(summary.fileProblem());
        assertEquals(List.of("0 - E_MALFORMED"), Reject.fromTable(node).stream().map(Reject::whereAndCode).toList());
    }

    @Test
    void csv_emptyFile_readsNothing_andSaysSo() throws IOException {
        ImportSummary summary = node.importFile(Files.createFile(dir.resolve("empty.csv")), "penalty");

        assertEquals(0, summary.rowsRead());
        assertNotNull(summary.fileProblem());
    }

    @Test
    void csv_unknownColumns_areReportedAsIgnored() {
        CsvTable withExtra = CsvTable.withHeader(append(penalties.header(), "CF_EXTRA"));
        for (int row = 1; row <= ROWS; row++) {
            withExtra.add(append(penalties.cells(row), "ignored"));
        }

        ImportSummary summary = node.importFile(withExtra.write(dir.resolve("extra.csv")), "penalty");

        assertEquals(ROWS, summary.stored());
        assertEquals(List.of("CF_EXTRA"), summary.ignoredColumns());
    }

    @Test
    void json_objectInsteadOfArray_isE_MALFORMED() throws IOException {
        Path file = Files.writeString(dir.resolve("object.json"), "{\n  \"cf_xdr_mc\": \"杭州钱塘食品有限公司\"\n}\n");

        ImportSummary summary = node.importFile(file, "penalty");

        assertEquals(0, summary.rowsRead());
        assertNotNull(summary.fileProblem());
        assertEquals(ErrorCode.E_MALFORMED, summary.firstDefects().get(0).code());
    }

    /** The clerk sent JSON; telling them about CSV header columns sends them the wrong way. */
    @Test
    void json_objectInsteadOfArray_saysAJsonFileMustBeAnArray() throws IOException {
        Path file = Files.writeString(dir.resolve("object.json"), "{\n  \"cf_xdr_mc\": \"杭州钱塘食品有限公司\"\n}\n");

        ImportSummary summary = node.importFile(file, "penalty");

        assertTrue(summary.fileProblem().contains("array"), summary.fileProblem());
    }

    @Test
    void json_arrayCutOffMidway_keepsTheCompleteRowsBefore() throws IOException {
        Path file = Files.writeString(dir.resolve("cut.json"), jsonOfTwoPenaltiesThenCut());

        ImportSummary summary = node.importFile(file, "penalty");

        assertEquals(2, summary.stored());
        assertNotNull(summary.fileProblem());
        assertEquals(ErrorCode.E_MALFORMED, summary.firstDefects().get(0).code());
        assertEquals(3, summary.firstDefects().get(0).rowNumber());
    }

    @Test
    void json_elementNotAnObject_orFieldNotAValue_isRejectedAlone() throws IOException {
        String json = "[" + jsonObject(1) + ", 42, " + jsonObject(2).replace("\"cf_nr\": ", "\"cf_nr\": {\"nested\": true}, \"ignored\": ")
                + ", " + jsonObject(3) + "]";
        Path file = Files.writeString(dir.resolve("mixed.json"), json);

        ImportSummary summary = node.importFile(file, "penalty");

        assertEquals(4, summary.rowsRead());
        assertEquals(2, summary.stored());
        assertEquals(2, summary.rejected());
        assertNull(summary.fileProblem());
        assertEquals(List.of("2 - E_MALFORMED", "3 - E_MALFORMED"),
                Reject.fromTable(node).stream().map(Reject::whereAndCode).toList());
    }

    @Test
    void import_unknownCategory_isRefusedWithE_UNKNOWN_TYPE() {
        Path file = penalties.write(dir.resolve("penalty.csv"));

        CodedException e = assertThrows(CodedException.class, () -> node.importFile(file, "parking-tickets"));

        assertEquals(ErrorCode.E_UNKNOWN_TYPE, e.code());
        assertEquals(0, node.rowCount("import_run"));
    }

    @Test
    void import_missingFile_isRefusedWithE_NOT_FOUND() {
        CodedException e = assertThrows(CodedException.class, () -> node.importFile(dir.resolve("absent.csv"), "penalty"));

        assertEquals(ErrorCode.E_NOT_FOUND, e.code());
    }

    /** The ten penalties with an opening quote in the given row that never closes: it swallows the rest of the file. */
    private Path withUnterminatedQuoteInRow(int row) throws IOException {
        List<String> lines = Files.readAllLines(penalties.write(dir.resolve("clean.csv")), StandardCharsets.UTF_8);
        lines.set(row, lines.get(row).replaceFirst(",", ",\"unterminated ")); // line 0 is the header
        return Files.write(dir.resolve("broken.csv"), lines, StandardCharsets.UTF_8);
    }

    /** Generated penalty rows in UTF-8 with one byte that is valid in neither UTF-8 nor GB18030 in the given row. */
    private Path fileWithInvalidByteInRow(int row, int rows) throws IOException {
        CsvTable table = Seeds.rows(Seeds.SEED, "penalty", rows, 300, dir);
        table.set(row, "CF_NR", "罚款BADBYTE");
        byte[] bytes = Files.readAllBytes(table.write(dir.resolve("with-bad-byte.csv")));
        byte[] marker = "BADBYTE".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
                bytes[i] = (byte) 0xFF;
            }
        }
        return Files.write(dir.resolve("with-bad-byte.csv"), bytes);
    }

    private String jsonOfTwoPenaltiesThenCut() {
        return "[" + jsonObject(1) + ", " + jsonObject(2) + ", {\"cf_xdr_mc\": \"杭州";
    }

    /** A generated penalty row as a JSON object with lower-case keys, as Credit China answers carry them. */
    private String jsonObject(int row) {
        StringBuilder json = new StringBuilder("{");
        List<String> header = penalties.header();
        for (int i = 0; i < header.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(header.get(i).toLowerCase()).append("\": \"")
                    .append(penalties.cells(row).get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append('}').toString();
    }

    private static List<String> append(List<String> list, String value) {
        List<String> result = new ArrayList<>(list);
        result.add(value);
        return result;
    }
}
