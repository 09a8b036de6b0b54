package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values a department's export tool can produce that are awkward for the store: characters
 * PostgreSQL's COPY format must escape, characters outside the BMP, NUL, extreme dates and very
 * long fields. Each row is stored verbatim or rejected on its own; one such row never costs the
 * rest of the file, and the import never throws.
 */
@ExtendWith(CleanCreditStore.class)
class HostileContentImportTest {

    private static final int ROWS = 10;
    private static final int ODD_ROW = 4;

    private final TestNode node;
    private CsvTable penalties;

    @TempDir
    Path dir;

    HostileContentImportTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void tenPenalties() {
        penalties = Seeds.companyRows(Seeds.SEED, "penalty", ROWS, dir);
    }

    @Test
    void import_copyFormatSpecialCharacters_areStoredVerbatim() {
        String content = "tab\there\\N back\\slash\nnew line\r\ncarriage \\. end \"quoted\", comma";
        penalties.set(ODD_ROW, "CF_NR", content).set(ODD_ROW, "CF_SY", "\\");

        ImportSummary summary = importPenalties();

        assertEquals(ROWS, summary.stored());
        assertEquals(List.of(Map.of("content", content)), node.rows("select content from credit_record where document_number = ?",
                penalties.get(ODD_ROW, "CF_WSH")));
        assertEquals("\\", node.rows("select attributes->>'CF_SY' as sy from credit_record where document_number = ?",
                penalties.get(ODD_ROW, "CF_WSH")).get(0).get("sy"));
    }

    @Test
    void import_charactersOutsideTheBmp_areStoredVerbatim() {
        String name = "杭州𠮷野家𩸽餐饮有限公司😀";
        penalties.set(ODD_ROW, "CF_XDR_MC", name);

        assertEquals(ROWS, importPenalties().stored());

        assertEquals(1, node.number("select count(*) from credit_record where party_name = ?", name));
        assertEquals(1, node.number("select count(*) from subject where name = ?", name));
    }

    @Test
    void import_nulCharacterInAField_costsAtMostThatRow() {
        penalties.set(ODD_ROW, "CF_NR", "before\u0000after");

        assertAtMostTheOddRowLost(assertDoesNotThrow(this::importPenalties));
    }

    @Test
    void import_yearZeroDecisionDate_costsAtMostThatRow() {
        penalties.set(ODD_ROW, "CF_JDRQ", "0000-01-01");

        assertAtMostTheOddRowLost(assertDoesNotThrow(this::importPenalties));
    }

    @Test
    void import_veryLongDocumentNumber_costsAtMostThatRow() {
        penalties.set(ODD_ROW, "CF_WSH", incompressibleText(10_000));

        assertAtMostTheOddRowLost(assertDoesNotThrow(this::importPenalties));
    }

    @Test
    void import_veryLongPartyName_costsAtMostThatRow() {
        penalties.set(ODD_ROW, "CF_XDR_MC", incompressibleText(10_000));

        assertAtMostTheOddRowLost(assertDoesNotThrow(this::importPenalties));
    }

    /** The odd row is stored or rejected on its own; every other row is stored. */
    private void assertAtMostTheOddRowLost(ImportSummary summary) {
        assertEquals(ROWS, summary.rowsRead());
        assertEquals(ROWS, summary.stored() + summary.rejected());
        assertTrue(summary.rejected() <= 1, "rejected " + summary.rejected());
        if (summary.rejected() == 1) {
            assertEquals(ODD_ROW, summary.firstDefects().get(0).rowNumber());
        }
        assertEquals(summary.stored(), node.rowCount("credit_record"));
    }

    private ImportSummary importPenalties() {
        return node.importFile(penalties.write(dir.resolve("penalty.csv")), "penalty");
    }

    /** Random CJK text: PostgreSQL cannot compress it to fit an index entry. */
    private static String incompressibleText(int length) {
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x4E00 + random.nextInt(0x5000)));
        }
        return text.toString();
    }
}
