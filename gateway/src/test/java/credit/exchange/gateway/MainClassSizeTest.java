package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main class of the three modules stays under 400 lines: past that a class has more than one
 * responsibility, and is split by responsibility (issue 21). There are no exceptions.
 */
class MainClassSizeTest {

    private static final Path ROOT = Path.of(System.getProperty("credit.project.root", ".."));
    private static final int LIMIT = 400;

    @Test
    void everyMainClassIsUnderFourHundredLines() {
        Map<String, Long> tooLong = new TreeMap<>();
        for (String module : Set.of("security", "routes", "gateway")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    long lines = lines(f);
                    if (lines > LIMIT) {
                        tooLong.put(ROOT.relativize(f).toString().replace('\\', '/'), lines);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(tooLong.isEmpty(), "main classes over " + LIMIT + " lines; split them by responsibility:\n"
                + tooLong.entrySet().stream().map(f -> f.getKey() + " (" + f.getValue() + " lines)").collect(Collectors.joining("\n")));
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
