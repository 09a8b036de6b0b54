package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Reject;
import credit.exchange.routes.support.Samples;
import credit.exchange.routes.support.Samples.PlantedDefect;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.ErrorCode;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The departments' sample files import exactly as their defects.json promises: every planted
 * defect is rejected at its row and column with a reason containing the promised words, the
 * planted duplicate is stored once, and every other row is stored.
 */
@ExtendWith(CleanCreditStore.class)
class SampleFilesImportTest {

    /** The stable code each planted defect must be reported with, by row (defects.json gives the words, not the codes). */
    private static final Map<Integer, ErrorCode> LICENSING_CODES = Map.of(
            7, ErrorCode.E_IDENTIFIER_INVALID,
            13, ErrorCode.E_FIELD_MISSING,
            21, ErrorCode.E_DATE_INVALID);
    private static final Map<Integer, ErrorCode> PENALTY_CODES = Map.of(
            5, ErrorCode.E_IDENTIFIER_INVALID,
            12, ErrorCode.E_IDENTIFIER_INVALID,
            18, ErrorCode.E_NUMBER_INVALID,
            26, ErrorCode.E_FIELD_MISSING,
            31, ErrorCode.E_DATE_INVALID);

    private final TestNode node;

    @TempDir
    Path dir;

    SampleFilesImportTest(TestNode node) {
        this.node = node;
    }

    @Test
    void licensingSample_storesEveryValidRowOnce_andRejectsThePlantedDefects() {
        Path rejectsFile = dir.resolve("licensing-rejects.csv");

        ImportSummary summary = node.importFile(new ImportRequest(Samples.LICENSING_CSV, "licensing", null, null, rejectsFile));

        assertEquals(40, summary.rowsRead());
        assertEquals(36, summary.stored());
        assertEquals(1, summary.duplicates(), "row 34 repeats row 33");
        assertEquals(3, summary.rejected());
        assertEquals("UTF-8", summary.charset());
        assertNull(summary.fileProblem());
        assertEquals(36, node.rowCount("credit_record"));
        assertRejectsAreThePlantedOnes("licensing", LICENSING_CODES, Reject.fromFile(rejectsFile));
        assertRejectsAreThePlantedOnes("licensing", LICENSING_CODES, Reject.fromTable(node));
    }

    @Test
    void licensingSample_counts_matchDefectsJson() {
        ImportSummary summary = node.importFile(Samples.LICENSING_CSV, "licensing");

        int rejected = Samples.plantedRejects("licensing").size();
        int duplicates = Samples.plantedDuplicates("licensing").size();
        assertEquals(rejected, summary.rejected());
        assertEquals(duplicates, summary.duplicates());
        assertEquals(Samples.ROWS_PER_CSV - rejected - duplicates, summary.stored());
    }

    @Test
    void import_secondTimeSameFile_storesNothing_andCountsEveryValidRowAsDuplicate() {
        node.importFile(Samples.LICENSING_CSV, "licensing");
        long records = node.rowCount("credit_record");
        long subjects = node.rowCount("subject");

        ImportSummary again = node.importFile(Samples.LICENSING_CSV, "licensing");

        assertEquals(40, again.rowsRead());
        assertEquals(0, again.stored());
        assertEquals(37, again.duplicates(), "36 stored the first time, and the planted duplicate");
        assertEquals(3, again.rejected());
        assertEquals(records, node.rowCount("credit_record"));
        assertEquals(subjects, node.rowCount("subject"));
        assertEquals(3, node.rowCount("import_reject"), "the same rejects, not a second set");
        assertEquals(2, node.rowCount("import_run"), "each import is a run of its own");
    }

    @Test
    void licensingSample_plantedDuplicate_isStoredOnceAsVersion1() {
        node.importFile(Samples.LICENSING_CSV, "licensing");

        assertEquals(1, node.number("select count(*) from credit_record where document_number = ?", "杭生态许字〔2016〕1032号"));
        assertEquals(1, node.number("select max(version) from credit_record"));
    }

    @Test
    void penaltySampleGbk_withoutCharset_isReadAsGb18030_andRejectsThePlantedDefects() {
        Path rejectsFile = dir.resolve("penalty-rejects.csv");

        ImportSummary summary = node.importFile(new ImportRequest(Samples.PENALTY_GBK_CSV, "penalty", null, null, rejectsFile));

        assertEquals("GB18030", summary.charset());
        assertPenaltySampleImported(summary);
        assertRejectsAreThePlantedOnes("penalty", PENALTY_CODES, Reject.fromFile(rejectsFile));
        assertRejectsAreThePlantedOnes("penalty", PENALTY_CODES, Reject.fromTable(node));
    }

    @Test
    void penaltySampleGbk_withCharsetGbk_importsTheSame() {
        Path rejectsFile = dir.resolve("penalty-rejects.csv");

        ImportSummary summary = node.importFile(
                new ImportRequest(Samples.PENALTY_GBK_CSV, "penalty", null, Charset.forName("GBK"), rejectsFile));

        assertEquals("GBK", summary.charset());
        assertPenaltySampleImported(summary);
        assertRejectsAreThePlantedOnes("penalty", PENALTY_CODES, Reject.fromFile(rejectsFile));
    }

    @Test
    void penaltySampleGbk_chineseText_isStoredDecoded() {
        node.importFile(Samples.PENALTY_GBK_CSV, "penalty");

        assertEquals(1, node.number("select count(*) from credit_record where party_name = ? and authority = ?",
                "杭州钱塘食品有限公司", "杭州市市场监督管理局"));
        assertEquals(0, node.number("select count(*) from credit_record where party_name like '%\uFFFD%'"));
    }

    @Test
    void penaltyJson_afterTheGbkCsv_storesNothing_becauseItsRowsAreTheSame() {
        node.importFile(Samples.PENALTY_GBK_CSV, "penalty");
        long records = node.rowCount("credit_record");

        ImportSummary json = node.importFile(Samples.PENALTY_JSON, "penalty");

        assertEquals(10, json.rowsRead(), "the JSON sample holds the first 10 penalty rows");
        assertEquals(0, json.stored());
        assertEquals(9, json.duplicates());
        assertEquals(1, json.rejected(), "row 5 carries the planted bad USCC");
        assertEquals(List.of("5 CF_XDR_SHXYM"), json.firstDefects().stream().map(d -> d.rowNumber() + " " + d.field()).toList());
        assertEquals(records, node.rowCount("credit_record"));
    }

    @Test
    void penaltyJson_alone_storesItsNineValidRows() {
        ImportSummary json = node.importFile(Samples.PENALTY_JSON, "penalty");

        assertEquals(9, json.stored());
        assertEquals(1, json.rejected());
        assertNull(json.fileProblem());
    }

    @Test
    void summary_firstDefects_listTheRejectsInFileOrder() {
        ImportSummary summary = node.importFile(Samples.PENALTY_GBK_CSV, "penalty");

        assertEquals(Samples.plantedRejects("penalty").stream().map(d -> d.row() + " " + d.field()).toList(),
                summary.firstDefects().stream().map(d -> d.rowNumber() + " " + d.field()).toList());
    }

    private void assertPenaltySampleImported(ImportSummary summary) {
        assertEquals(40, summary.rowsRead());
        assertEquals(35, summary.stored());
        assertEquals(0, summary.duplicates());
        assertEquals(5, summary.rejected());
        assertNull(summary.fileProblem());
        assertEquals(35, node.rowCount("credit_record"));
    }

    private static void assertRejectsAreThePlantedOnes(String sample, Map<Integer, ErrorCode> codes, List<Reject> rejects) {
        List<PlantedDefect> planted = Samples.plantedRejects(sample);
        assertEquals(planted.stream().map(d -> d.row() + " " + d.field()).toList(), rejects.stream().map(Reject::where).toList());
        for (int i = 0; i < planted.size(); i++) {
            PlantedDefect expected = planted.get(i);
            Reject actual = rejects.get(i);
            assertEquals(codes.get(expected.row()).name(), actual.code(), "code of row " + expected.row());
            assertTrue(actual.reason().contains(expected.reason()),
                    "row " + expected.row() + ": '" + actual.reason() + "' should contain '" + expected.reason() + "'");
        }
    }
}
