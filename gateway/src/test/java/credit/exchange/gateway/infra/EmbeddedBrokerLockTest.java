package credit.exchange.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node per data directory: a second broker on it fails at once, naming the directory, and starts once the first stopped. */
class EmbeddedBrokerLockTest {

    @TempDir
    Path nodeDir;

    @Test
    void aSecondNodeOnTheSameDataDirectory_failsAtOnce_namingIt() throws Exception {
        try (EmbeddedBroker first = EmbeddedBroker.start(nodeDir, 0)) {
            IllegalArgumentException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(IllegalArgumentException.class, () -> EmbeddedBroker.start(nodeDir, 0)));
            assertTrue(refused.getMessage().contains(nodeDir.toString()) && refused.getMessage().contains("--data-dir"),
                    refused.getMessage());
        }
        try (EmbeddedBroker again = EmbeddedBroker.start(nodeDir, 0)) {
            assertTrue(again.url().startsWith("vm://"), "the directory is free again once the first node stopped");
        }
    }
}
