package credit.exchange.routes.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo's seed data: reproducible, and every row of it passes the import rules. */
@ExtendWith(CleanCreditStore.class)
class SeedGeneratorTest {

    private static final LocalDate TODAY = TestNode.TODAY;

    private final TestNode node;

    @TempDir
    Path dir;

    SeedGeneratorTest(TestNode node) {
        this.node = node;
    }

    @Test
    void writeRows_sameSeed_writesTheSameFile() throws IOException {
        new SeedGenerator(7, TODAY).writeRows("penalty", 200, 50, dir.resolve("a.csv"));
        new SeedGenerator(7, TODAY).writeRows("penalty", 200, 50, dir.resolve("b.csv"));

        assertArrayEquals(Files.readAllBytes(dir.resolve("a.csv")), Files.readAllBytes(dir.resolve("b.csv")));
    }

    @Test
    void writeRows_differentSeeds_shareNoDocumentNumber() throws IOException {
        new SeedGenerator(7, TODAY).writeRows("licensing", 300, 100, dir.resolve("a.csv"));
        new SeedGenerator(8, TODAY).writeRows("licensing", 300, 100, dir.resolve("b.csv"));

        Set<String> numbers = documentNumbers(CsvTable.read(dir.resolve("a.csv")), "XK_WSH");
        numbers.retainAll(documentNumbers(CsvTable.read(dir.resolve("b.csv")), "XK_WSH"));
        assertEquals(Set.of(), numbers);
    }

    @Test
    void writeRows_writesExactlyTheRowsAsked_withDecisionsInTheLastThreeYears() throws IOException {
        int written = new SeedGenerator(7, TODAY).writeRows("redlist", 123, 40, dir.resolve("redlist.csv"));

        CsvTable table = CsvTable.read(dir.resolve("redlist.csv"));
        assertEquals(123, written);
        assertEquals(123, table.size());
        for (int row = 1; row <= table.size(); row++) {
            LocalDate decided = LocalDate.parse(table.get(row, "MD_JDRQ"));
            assertTrue(!decided.isAfter(TODAY) && decided.isAfter(TODAY.minusYears(3)), "row " + row + ": " + decided);
        }
    }

    @Test
    void writeRows_unknownType_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SeedGenerator(7, TODAY).writeRows("tax", 1, 1, dir.resolve("tax.csv")));
    }

    @Test
    void departments_haveValidDistinctCreditCodes() {
        Set<String> codes = new HashSet<>();
        for (SeedGenerator.Department d : SeedGenerator.departments()) {
            assertTrue(Uscc.isValid(d.uscc()), d.toString());
            codes.add(d.uscc());
        }
        assertEquals(SeedGenerator.departments().size(), codes.size());
    }

    @Test
    void writeDataSet_everyRowImportsWithoutReject() throws IOException {
        Map<String, Integer> counts = new SeedGenerator(11, TODAY).writeDataSet(300, dir);

        for (Map.Entry<String, Integer> file : counts.entrySet()) {
            ImportSummary summary = node.importFile(dir.resolve(file.getKey() + ".csv"), file.getKey());
            assertEquals(file.getValue(), summary.rowsRead(), file.getKey());
            assertEquals(0, summary.rejected(), file.getKey() + ": " + summary.firstDefects());
            assertEquals(file.getValue(), summary.stored(), file.getKey());
        }
        assertTrue(counts.get("licensing") > 0 && counts.get("penalty") > 0, counts.toString());
    }

    private static Set<String> documentNumbers(CsvTable table, String column) {
        Set<String> numbers = new HashSet<>();
        for (int row = 1; row <= table.size(); row++) {
            numbers.add(table.get(row, column));
        }
        return numbers;
    }
}
