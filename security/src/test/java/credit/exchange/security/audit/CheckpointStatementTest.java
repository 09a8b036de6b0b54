package credit.exchange.security.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A checkpoint statement (docs/protocol.md §12) is read strictly: a statement in another spelling,
 * with a hash of another length or no statement at all is E_MALFORMED, naming what is wrong, so
 * a partner never countersigns what it cannot check.
 */
class CheckpointStatementTest {

    /** Placeholders in the cases: H a 32-byte hash in lower-case hex, h16 a 16-byte one, HU a 32-byte one in upper case. */
    private static String expand(String text) {
        return text.replace("\\n", "\n").replace("<HU>", "A".repeat(64)).replace("<h16>", "b0".repeat(16)).replace("<H>", "a".repeat(64));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "the canonical statement|audit-checkpoint 1\\nnode hangzhou\\nalgorithm SHA-256\\nseq 12\\nhash <H>\\nat 2026-11-27T03:00:00Z\\n|",
            "SHA256 without its hyphen|audit-checkpoint 1\\nnode hangzhou\\nalgorithm SHA256\\nseq 12\\nhash <H>\\nat 2026-11-27T03:00:00Z\\n|spelled SM3 or SHA-256",
            "a 16-byte hash|audit-checkpoint 1\\nnode hangzhou\\nalgorithm SHA-256\\nseq 12\\nhash <h16>\\nat 2026-11-27T03:00:00Z\\n|16 bytes",
            "upper-case hex|audit-checkpoint 1\\nnode hangzhou\\nalgorithm SM3\\nseq 12\\nhash <HU>\\nat 2026-11-27T03:00:00Z\\n|canonical form",
            "no final newline|audit-checkpoint 1\\nnode hangzhou\\nalgorithm SM3\\nseq 12\\nhash <H>\\nat 2026-11-27T03:00:00Z|",
            "no statement at all|hello, partner|"})
    void aStatementIsReadStrictly(String what, String text, String complaint) {
        byte[] statement = expand(text).getBytes(StandardCharsets.UTF_8);
        if (what.equals("the canonical statement")) {
            Checkpoint c = Checkpoint.parse(statement);
            assertEquals(12, c.seq());
            assertEquals(32, c.headHash().length);
            return;
        }
        CodedException refused = assertThrows(CodedException.class, () -> Checkpoint.parse(statement), what);
        assertEquals(ErrorCode.E_MALFORMED, refused.code(), what + ": " + refused.getMessage());
        if (complaint != null && !complaint.isEmpty()) {
            assertTrue(refused.getMessage().contains(complaint), what + ": " + refused.getMessage());
        }
    }
}
