package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/import-format.md is the departments' contract: it must name every column each layout reads. */
class ImportFormatDocTest {

    @ParameterizedTest
    @EnumSource(ImportLayout.class)
    void everyColumnOfTheLayout_isDocumented(ImportLayout layout) throws IOException {
        String doc = Files.readString(Path.of("../docs/import-format.md"));
        for (ImportLayout.Column column : layout.columns()) {
            String header = layout.headerOf(column);
            assertTrue(doc.contains("`" + header + "`"), header + " of " + layout + " is missing from docs/import-format.md");
        }
    }
}
