package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command that reads a node's data, pointed at a directory that holds none (a newcomer's
 * {@code ./data} before any node ran there), says so with a code and the directory, and leaves
 * the directory as it found it: no PostgreSQL cluster made as a side effect of a read.
 */
class ReadsCreateNothingTest {

    @ParameterizedTest
    @ValueSource(strings = {"repair status 7fee1e77-d6ae-43a3-afe6-caf571e36d55", "sanctions status 1c2cfa81-6971-4e59-bb7a-b176fe3e0238",
            "query --uscc 913301133LY8LTP007", "audit verify", "outbox list", "publicity status", "partners status"})
    void aReadOfAMissingNodeIsRefusedAndCreatesNoStore(String command, @TempDir Path dir) {
        Path dataDir = dir.resolve("data");
        String[] words = (command + " --data-dir " + dataDir).split(" ");
        CliRun run = CliRun.of(words);
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.err().startsWith("error E_NOT_FOUND: no node's data at " + dataDir.resolve("hangzhou")), run.err());
        assertFalse(Files.exists(dataDir), "a read made a database, or keys");
    }
}
