package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Large files from the seed generator: every row stored exactly once, across many batches. */
@ExtendWith(CleanCreditStore.class)
class GeneratedFilesImportTest {

    private static final int ROWS = 100_000;
    private static final int SUBJECTS = 30_000;

    private final TestNode node;

    @TempDir
    Path dir;

    GeneratedFilesImportTest(TestNode node) {
        this.node = node;
    }

    @Test
    void generatedPenaltyFile_100kRows_storesEveryRow_andSecondImportStoresNothing() {
        Path file = Seeds.writeRows(Seeds.SEED, "penalty", ROWS, SUBJECTS, dir.resolve("penalty.csv"));

        ImportSummary first = node.importFile(file, "penalty");

        assertEquals(ROWS, first.rowsRead());
        assertEquals(ROWS, first.stored());
        assertEquals(0, first.duplicates());
        assertEquals(0, first.rejected());
        assertNull(first.fileProblem());
        assertEquals(ROWS, node.rowCount("credit_record"));
        assertEquals(SUBJECTS, node.rowCount("subject"), "every generated subject has at least one of the rows");

        ImportSummary second = node.importFile(file, "penalty");

        assertEquals(0, second.stored());
        assertEquals(ROWS, second.duplicates());
        assertEquals(ROWS, node.rowCount("credit_record"));
        assertEquals(SUBJECTS, node.rowCount("subject"));
    }
}
