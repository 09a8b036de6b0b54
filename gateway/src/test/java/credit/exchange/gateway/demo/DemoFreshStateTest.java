package credit.exchange.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every demo run starts from clean stores with the same keys, and one demo at a time runs on a directory. */
class DemoFreshStateTest {

    @Test
    void aRunClearsWhatTheLastLeftKeepsTheKeysAndHoldsTheDirectory(@TempDir Path dir) throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dir, DemoAlliance.DEFAULT_BASE_PORT + 7, null);
        Path caCert = dir.resolve("pki/gm-ca/ca.cert.pem");
        byte[] ca = Files.readAllBytes(caCert);
        Path leftDatabase = dir.resolve("data/hangzhou/postgres/PG_VERSION");
        Files.createDirectories(leftDatabase.getParent());
        Files.writeString(leftDatabase, "16\n");
        Files.writeString(dir.resolve("seeded"), "seeded\n");

        try (AutoCloseable first = alliance.claimFreshState()) {
            assertFalse(Files.exists(dir.resolve("data")), "the last run's stores are gone");
            assertFalse(Files.exists(dir.resolve("seeded")), "the stores are seeded again");
            assertTrue(java.util.Arrays.equals(ca, Files.readAllBytes(caCert)), "the alliance CA is kept");

            CodedException second = assertThrows(CodedException.class,
                    () -> DemoAlliance.prepare(dir, DemoAlliance.DEFAULT_BASE_PORT + 7, null).claimFreshState());
            assertEquals(ErrorCode.E_UNAVAILABLE, second.code());
            assertTrue(second.getMessage().contains("a demo is already running from " + dir.toAbsolutePath()), second.getMessage());
        }
        alliance.claimFreshState().close(); // free again once the first run ends
    }
}
