package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every main class of the three modules stays under 400 lines: past that a class has more than one
 * responsibility, and is split by responsibility (issue 21). There are no exceptions.
 */
class MainClassSizeTest {

    private static final int LIMIT = 400;

    @Test
    void everyMainClassIsUnderFourHundredLines() {
        Map<String, Long> tooLong = new TreeMap<>();
        for (String module : List.of("security", "routes", "gateway")) {
            for (Path source : ProjectSources.files(ProjectSources.ROOT.resolve(module).resolve("src/main/java"), ".java")) {
                long lines = ProjectSources.read(source).lines().count();
                if (lines > LIMIT) {
                    tooLong.put(ProjectSources.relative(source), lines);
                }
            }
        }
        assertTrue(tooLong.isEmpty(), "main classes over " + LIMIT + " lines; split them by responsibility:\n"
                + tooLong.entrySet().stream().map(f -> f.getKey() + " (" + f.getValue() + " lines)").collect(Collectors.joining("\n")));
    }
}
