package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Reject;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated penalty file with defects planted at known rows: each defective row is rejected
 * with the right column and code, at the right row number, in the summary, the rejects file and
 * table import_reject; every other row is stored; importing the file again stores nothing.
 */
@ExtendWith(CleanCreditStore.class)
class PlantedDefectsImportTest {

    private static final int ROWS = 1_000;
    private static final String LEGAL_PERSON = "法人及非法人组织";
    private static final String NATURAL_PERSON = "自然人";

    /** A defect planted at a row: where the importer must report it, and with which code. */
    private record Planted(int row, String field, ErrorCode code) {
        String where() {
            return row + " " + field;
        }
    }

    private final TestNode node;
    private final List<Planted> planted = new ArrayList<>();
    private CsvTable table;

    @TempDir
    Path dir;

    PlantedDefectsImportTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void plantDefects() {
        table = Seeds.rows(Seeds.SEED, "penalty", ROWS, 300, dir);

        int bad = legalPersonFrom(10);
        table.set(bad, "CF_XDR_SHXYM", wrongCheckCharacter(table.get(bad, "CF_XDR_SHXYM")));
        planted.add(new Planted(bad, "CF_XDR_SHXYM", ErrorCode.E_IDENTIFIER_INVALID));

        table.set(100, "CF_WSH", "");
        planted.add(new Planted(100, "CF_WSH", ErrorCode.E_FIELD_MISSING));

        table.set(250, "CF_JDRQ", "2021-02-30");
        planted.add(new Planted(250, "CF_JDRQ", ErrorCode.E_DATE_INVALID));

        table.set(400, "CF_NR_FK", "abc");
        planted.add(new Planted(400, "CF_NR_FK", ErrorCode.E_NUMBER_INVALID));

        table.set(401, "CF_NR_WFFF", "-3.5");
        planted.add(new Planted(401, "CF_NR_WFFF", ErrorCode.E_NUMBER_INVALID));

        table.set(555, "CF_XDR_LB", "外国人");
        planted.add(new Planted(555, "CF_XDR_LB", ErrorCode.E_FIELD_INVALID));

        int person = naturalPersonFrom(600);
        table.set(person, "CF_XDR_ZJHM", wrongCheckDigit(table.get(person, "CF_XDR_ZJHM")));
        planted.add(new Planted(person, "CF_XDR_ZJHM", ErrorCode.E_IDENTIFIER_INVALID));

        int passport = naturalPersonFrom(650);
        table.set(passport, "CF_XDR_ZJLX", "护照");
        planted.add(new Planted(passport, "CF_XDR_ZJLX", ErrorCode.E_FIELD_INVALID));

        int noCode = legalPersonFrom(680);
        table.set(noCode, "CF_XDR_SHXYM", "");
        planted.add(new Planted(noCode, "CF_XDR_SHXYM", ErrorCode.E_FIELD_MISSING));

        table.set(720, "CF_CFJGDM", wrongCheckCharacter(table.get(720, "CF_CFJGDM")));
        planted.add(new Planted(720, "CF_CFJGDM", ErrorCode.E_IDENTIFIER_INVALID));

        List<String> shortRow = new ArrayList<>(table.cells(800));
        shortRow.remove(shortRow.size() - 1);
        table.replace(800, shortRow);
        planted.add(new Planted(800, "-", ErrorCode.E_MALFORMED));

        // two defects in one row: both reported (in column order), the row counted once
        table.set(900, "CF_XDR_MC", "").set(900, "CF_JDRQ", "30/13/2021");
        planted.add(new Planted(900, "CF_XDR_MC", ErrorCode.E_FIELD_MISSING));
        planted.add(new Planted(900, "CF_JDRQ", ErrorCode.E_DATE_INVALID));

        table.set(ROWS, "CF_CFJG", "");
        planted.add(new Planted(ROWS, "CF_CFJG", ErrorCode.E_FIELD_MISSING));
    }

    @Test
    void import_plantedDefects_rejectsExactlyThoseRows_andStoresTheRest() {
        ImportSummary summary = node.importFile(new ImportRequest(table.write(dir.resolve("penalty.csv")), "penalty", null, null,
                dir.resolve("rejects.csv")));

        int rejectedRows = (int) planted.stream().mapToInt(Planted::row).distinct().count();
        assertEquals(ROWS, summary.rowsRead());
        assertEquals(rejectedRows, summary.rejected());
        assertEquals(ROWS - rejectedRows, summary.stored());
        assertEquals(0, summary.duplicates());
        assertNull(summary.fileProblem());
        assertEquals(ROWS - rejectedRows, node.rowCount("credit_record"));
    }

    @Test
    void import_plantedDefects_rejectsFileNamesEachRowFieldAndCode() {
        Path rejects = dir.resolve("rejects.csv");
        node.importFile(new ImportRequest(table.write(dir.resolve("penalty.csv")), "penalty", null, null, rejects));

        assertRejectsArePlanted(Reject.fromFile(rejects));
        assertEquals(planted.stream().map(Planted::where).toList(), Reject.fromFile(rejects).stream().map(Reject::where).toList(),
                "the rejects file lists defects in file order");
    }

    @Test
    void import_plantedDefects_importRejectTableNamesEachRowFieldAndCode() {
        node.importFile(table.write(dir.resolve("penalty.csv")), "penalty");

        assertRejectsArePlanted(Reject.fromTable(node));
    }

    @Test
    void import_plantedDefects_summaryListsTheFirstDefectsInFileOrder() {
        ImportSummary summary = node.importFile(table.write(dir.resolve("penalty.csv")), "penalty");

        assertEquals(planted.stream().map(Planted::where).toList(),
                summary.firstDefects().stream().map(d -> d.rowNumber() + " " + d.field()).toList());
    }

    @Test
    void import_rejectedRows_storeNoRecordForTheirDocumentNumbers() {
        List<String> rejectedDocuments = planted.stream().map(Planted::row).distinct()
                .map(row -> table.cells(row).get(table.header().indexOf("CF_WSH")))
                .filter(number -> !number.isEmpty()).toList();

        node.importFile(table.write(dir.resolve("penalty.csv")), "penalty");

        for (String number : rejectedDocuments) {
            assertEquals(0, node.number("select count(*) from credit_record where document_number = ?", number), number);
        }
    }

    @Test
    void reimport_plantedDefects_storesNothing_andKeepsOneRejectPerDefect() {
        Path file = table.write(dir.resolve("penalty.csv"));
        Path rejects = dir.resolve("rejects.csv");
        ImportSummary first = node.importFile(new ImportRequest(file, "penalty", null, null, rejects));
        long records = node.rowCount("credit_record");
        long subjects = node.rowCount("subject");

        ImportSummary second = node.importFile(new ImportRequest(file, "penalty", null, null, rejects));

        assertEquals(0, second.stored());
        assertEquals(first.stored(), second.duplicates());
        assertEquals(first.rejected(), second.rejected());
        assertEquals(records, node.rowCount("credit_record"));
        assertEquals(subjects, node.rowCount("subject"));
        assertRejectsArePlanted(Reject.fromTable(node));
        assertRejectsArePlanted(Reject.fromFile(rejects));
        assertEquals(second.importId(), node.number("select max(import_id) from import_reject"),
                "the rejects now belong to the latest run");
    }

    @Test
    void import_validFile_writesNoRejectsFile() {
        CsvTable valid = Seeds.rows(Seeds.SEED + 1, "penalty", 50, 20, dir);
        Path rejects = dir.resolve("none.csv");

        ImportSummary summary = node.importFile(new ImportRequest(valid.write(dir.resolve("valid.csv")), "penalty", null, null, rejects));

        assertEquals(50, summary.stored());
        assertNull(summary.rejectsFile());
        assertTrue(Files.notExists(rejects));
    }

    /**
     * The inbox writes rejects beside the department's file name; once the department sends the
     * file again corrected, the old rejects must not remain there as if they still applied.
     */
    @Test
    void reimport_correctedFileWithoutRejects_leavesNoStaleRejectsFile() {
        CsvTable penalties = Seeds.rows(Seeds.SEED + 2, "penalty", 20, 10, dir);
        Path file = dir.resolve("penalty-2016-11.csv");
        Path rejects = dir.resolve("penalty-2016-11.csv.rejects.csv");
        String documentNumber = penalties.get(5, "CF_WSH");
        node.importFile(new ImportRequest(penalties.set(5, "CF_WSH", "").write(file), "penalty", null, null, rejects));
        assertEquals(1, Reject.fromFile(rejects).size());

        ImportSummary corrected = node.importFile(new ImportRequest(penalties.set(5, "CF_WSH", documentNumber).write(file), "penalty",
                null, null, rejects));

        assertEquals(0, corrected.rejected());
        assertTrue(Files.notExists(rejects) || Reject.fromFile(rejects).isEmpty(), () -> "stale rejects: " + Reject.fromFile(rejects));
    }

    /** Compares row, field and code of every reject; the table orders a row's fields by name, the file by column. */
    private void assertRejectsArePlanted(List<Reject> rejects) {
        assertEquals(planted.stream().map(p -> p.where() + " " + p.code()).sorted().toList(),
                rejects.stream().map(Reject::whereAndCode).sorted().toList());
    }

    private int legalPersonFrom(int row) {
        return firstRowOfKind(row, LEGAL_PERSON);
    }

    private int naturalPersonFrom(int row) {
        return firstRowOfKind(row, NATURAL_PERSON);
    }

    private int firstRowOfKind(int from, String kind) {
        for (int row = from; row <= table.size(); row++) {
            if (table.get(row, "CF_XDR_LB").equals(kind)) {
                return row;
            }
        }
        throw new IllegalStateException("no " + kind + " row from " + from);
    }

    private static String wrongCheckCharacter(String uscc) {
        char right = uscc.charAt(17);
        char wrong = Uscc.ALPHABET.charAt((Uscc.ALPHABET.indexOf(right) + 1) % Uscc.ALPHABET.length());
        return uscc.substring(0, 17) + wrong;
    }

    private static String wrongCheckDigit(String residentId) {
        char right = residentId.charAt(17);
        return residentId.substring(0, 17) + (right == '0' ? '1' : '0');
    }
}
