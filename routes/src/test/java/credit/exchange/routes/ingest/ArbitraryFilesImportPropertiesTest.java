package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.EmbeddedCreditStore;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever a licensing file holds (quotes, commas, line breaks, backslashes, characters outside
 * the BMP, wrong field counts), the import answers with a summary that counts every data row
 * exactly once as stored, duplicate or rejected; it never throws.
 */
class ArbitraryFilesImportPropertiesTest {

    private static final int TRIES = 50;
    private static final int BASE_ROWS = 8;

    private static Path dir;
    private static CsvTable validRows;

    private final TestNode node = TestNode.onSharedStore();

    /** Under the module's target folder: jqwik has no temporary-directory support, and mvn clean removes it. */
    @BeforeContainer
    static void generateValidRows() throws IOException {
        dir = Files.createDirectories(Path.of("target", "import-properties"));
        validRows = Seeds.rows(Seeds.SEED, "licensing", BASE_ROWS, BASE_ROWS, dir);
    }

    @BeforeProperty
    void emptyStore() {
        EmbeddedCreditStore.clean();
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void import_arbitraryRows_neverThrows_andCountsEveryRowOnce(@ForAll("licensingFiles") List<List<String>> rows) {
        CsvTable table = CsvTable.withHeader(validRows.header());
        rows.forEach(table::add);
        Path file = table.write(dir.resolve("arbitrary.csv"));

        ImportSummary summary = node.importFile(file, "licensing");

        assertEquals(rows.size(), summary.rowsRead(), "every data row is read: " + summary.fileProblem());
        assertEquals(summary.rowsRead(), summary.stored() + summary.duplicates() + summary.rejected());
    }

    /** Rows of the generated valid file with a few cells replaced by arbitrary text, some with a cell too many or too few. */
    @Provide
    Arbitrary<List<List<String>>> licensingFiles() {
        return row().list().ofMinSize(1).ofMaxSize(6);
    }

    private Arbitrary<List<String>> row() {
        Arbitrary<Integer> base = Arbitraries.integers().between(1, BASE_ROWS);
        Arbitrary<List<Integer>> columns = Arbitraries.integers().between(0, validRows.header().size() - 1).list().ofMaxSize(4);
        Arbitrary<List<String>> texts = awkwardText().list().ofSize(4);
        Arbitrary<Integer> fieldCountChange = Arbitraries.frequency(List.of(
                Tuple.of(8, 0), Tuple.of(1, -1), Tuple.of(1, 1)));
        return Combinators.combine(base, columns, texts, fieldCountChange).as((b, cs, ts, change) -> {
            List<String> cells = new ArrayList<>(validRows.cells(b));
            for (int i = 0; i < cs.size(); i++) {
                cells.set(cs.get(i), ts.get(i));
            }
            if (change < 0) {
                cells.remove(cells.size() - 1);
            } else if (change > 0) {
                cells.add(ts.get(0));
            }
            return cells;
        });
    }

    /** Text a CSV or the COPY protocol must treat with care, mixed with any other characters. */
    private static Arbitrary<String> awkwardText() {
        Arbitrary<String> special = Arbitraries.of("\"", ",", "\n", "\r\n", "\r", "\\", "\t", "\\.", "\\N", "😀", "𠮷",
                "\uFEFF", "'", ";", "%", "_", "2021-02-30", "0000-01-01", "9133010", " ");
        // any character a UTF-8 file can hold: everything but lone surrogates (pairs come from the list above)
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMaxLength(20);
        return Arbitraries.oneOf(special, any, Arbitraries.just(""))
                .list().ofMaxSize(4).map(parts -> String.join("", parts));
    }
}
