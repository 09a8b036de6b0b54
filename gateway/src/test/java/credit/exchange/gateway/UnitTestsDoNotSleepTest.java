package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Unit tests prove behaviour by a condition, a latch or a clock the test moves, never by waiting
 * a fixed time: a sleep is either too short on a loaded machine (a flaky test) or too long on an
 * idle one (a slow suite), and as a negative proof it proves nothing. Integration tests wait on
 * conditions too (TestNodes.await, awaitRouteRuns); this rule holds the unit tests of every module.
 */
class UnitTestsDoNotSleepTest {

    private static final String SLEEP = "Thread" + ".sleep("; // spelled apart, so that this file is no match itself

    @Test
    void unitTests_ofEveryModule_neverSleep() throws IOException {
        List<Path> sources;
        try (Stream<Path> modules = Files.list(ProjectSources.ROOT)) {
            sources = modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory)
                    .flatMap(tests -> ProjectSources.files(tests, "Test.java").stream()).toList();
        }
        List<String> sleeping = sources.stream().filter(f -> ProjectSources.read(f).contains(SLEEP)).map(ProjectSources::relative).sorted()
                .toList();

        assertEquals(List.of(), sleeping, "unit tests that sleep: wait on a condition, a latch or an injected clock instead");
        assertEquals(true, sources.size() > 50, "the unit tests of security/, routes/ and gateway/ were found under " + ProjectSources.ROOT);
    }
}
