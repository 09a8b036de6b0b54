package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of {@code gatewayctl} is one line {@code error CODE: message} on standard error with
 * the documented exit status (docs/operations.md, "Exit statuses"), never a Java exception, a stack
 * trace or a usage page: a walk through the bad inputs an operator meets.
 */
class CliErrorsTest {

    @TempDir
    static Path dir;

    /** Runs the command and checks the error form; returns the run. */
    private static CliRun refused(int exit, String code, String... args) {
        CliRun run = CliRun.of(args);
        String command = String.join(" ", args);
        assertEquals(exit, run.exit(), command + "\n" + run.out() + run.err());
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("error " + code + ": ")),
                command + ": no 'error " + code + ":' line in\n" + run.err());
        assertNoJavaInternals(command, run);
        return run;
    }

    private static void assertNoJavaInternals(String command, CliRun run) {
        for (String text : List.of(run.out(), run.err())) {
            assertFalse(text.contains("Exception"), command + " printed a Java exception:\n" + text);
            assertFalse(text.contains("\tat "), command + " printed a stack trace:\n" + text);
            assertFalse(text.contains("Usage:"), command + " printed the usage page instead of an error:\n" + text);
        }
    }

    private static String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void commandLinesThatDoNotParse_areE_FIELD_INVALIDorE_FIELD_MISSING_exit2() {
        refused(2, "E_FIELD_INVALID", "no-such-command");
        refused(2, "E_FIELD_MISSING");
        refused(2, "E_FIELD_MISSING", "audit");
        refused(2, "E_FIELD_MISSING", "import");
        refused(2, "E_FIELD_INVALID", "import", "--file", "x.csv", "--type", "licensing", "--bogus");
        refused(2, "E_FIELD_INVALID", "import", "--file", "x.csv", "--type", "licensing", "--charset", "NO-SUCH-CHARSET");
        refused(2, "E_FIELD_INVALID", "query", "--uscc", "91330100716105852F", "--page", "first");
        refused(2, "E_FIELD_INVALID", "outbox", "replay", "not-a-number");
    }

    @Test
    void badValuesAndMissingFiles_carryTheirCode_exit2() throws Exception {
        refused(2, "E_CONFIG_INVALID", "query", "--uscc", "91330100716105852F", "--config", dir.resolve("none.properties").toString());
        refused(2, "E_FIELD_INVALID", "seed", "--subjects", "0");
        refused(2, "E_FIELD_INVALID", "partners", "validate", dir.resolve("no-such-dir").toString());
        refused(2, "E_FIELD_MISSING", "audit", "verify-bundle", dir.resolve("missing.zip").toString());
        refused(2, "E_NOT_FOUND", "id", "map", "--file", dir.resolve("missing.csv").toString(), "--data-dir", data());
        refused(2, "E_IDENTIFIER_INVALID", "query", "--uscc", "123", "--data-dir", data());
        refused(2, "E_IDENTIFIER_INVALID", "query", "--id", "110105194912310021", "--data-dir", data());
        refused(2, "E_NOT_FOUND", "repair", "status", "not-a-uuid", "--data-dir", data());
    }

    @Test
    void configurationWithAnUnknownKey_isRefusedByTheKeysName_exit2() throws Exception {
        Path config = Files.writeString(dir.resolve("typo.properties"), "gateway.partners.reload-secs=5\n");
        CliRun run = refused(2, "E_CONFIG_INVALID", "partners", "status", "--config", config.toString(), "--data-dir", data());
        assertTrue(run.err().contains("gateway.partners.reload-secs"), run.err());
    }

    @Test
    void import_ofAMissingFile_isE_NOT_FOUND_andCreatesNoStore() {
        Path fresh = dir.resolve("fresh-data");
        refused(2, "E_NOT_FOUND", "import", "--file", dir.resolve("missing.csv").toString(), "--type", "licensing",
                "--data-dir", fresh.toString());
        assertFalse(Files.exists(fresh), "a refused import created a store");
    }

    @Test
    void import_ofAnUnknownType_isE_UNKNOWN_TYPE() throws Exception {
        Path file = Files.writeString(dir.resolve("any.csv"), "a,b\n1,2\n");
        refused(2, "E_UNKNOWN_TYPE", "import", "--file", file.toString(), "--type", "no-such-type", "--data-dir", data());
    }

    @Test
    void import_ofABinaryFile_exits2_E_MALFORMED() throws Exception {
        Path binary = Files.write(dir.resolve("binary.csv"), new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 0, 3, 10, 7});
        refused(2, "E_MALFORMED", "import", "--file", binary.toString(), "--type", "licensing", "--data-dir", data());
    }

    @Test
    void import_ofAHeaderWithoutRows_exits2_E_FIELD_MISSING() throws Exception {
        List<String> sample = Files.readAllLines(TestNodes.samples().resolve("licensing-sample.csv"), StandardCharsets.UTF_8);
        Path empty = Files.write(dir.resolve("header-only.csv"), List.of(sample.get(0)), StandardCharsets.UTF_8);
        refused(2, "E_FIELD_MISSING", "import", "--file", empty.toString(), "--type", "licensing", "--data-dir", data());
    }

    /**
     * The planted-defect sample (test-data/samples/defects.json: licensing rows 7, 13 and 21 are
     * rejected): the defective rows alone exit 2, the whole file 1, the file without them 0.
     */
    @Test
    void import_exitStatus_followsTheOutcome_withThePlantedDefectSample() throws Exception {
        List<String> sample = Files.readAllLines(TestNodes.samples().resolve("licensing-sample.csv"), StandardCharsets.UTF_8);
        Set<Integer> defective = Set.of(7, 13, 21);
        List<String> bad = new ArrayList<>(List.of(sample.get(0)));
        List<String> good = new ArrayList<>(List.of(sample.get(0)));
        for (int row = 1; row < sample.size(); row++) {
            (defective.contains(row) ? bad : good).add(sample.get(row));
        }
        Path allRejected = Files.write(dir.resolve("all-rejected.csv"), bad, StandardCharsets.UTF_8);
        Path allGood = Files.write(dir.resolve("all-good.csv"), good, StandardCharsets.UTF_8);
        String d = dir.resolve("import-data").toString();

        CliRun rejected = refused(2, "E_IDENTIFIER_INVALID", "import", "--file", allRejected.toString(), "--type", "licensing",
                "--data-dir", d);
        assertTrue(rejected.out().contains("rejected    3"), rejected.out());
        assertTrue(rejected.err().contains("every one of the 3 rows"), rejected.err());

        CliRun partly = CliRun.of("import", "--file", TestNodes.samples().resolve("licensing-sample.csv").toString(),
                "--type", "licensing", "--data-dir", d, "--json");
        assertEquals(1, partly.exit(), partly.out() + partly.err());
        assertTrue(partly.out().contains("\"outcome\" : \"PARTLY_REJECTED\""), partly.out());
        assertFalse(partly.err().contains("error "), partly.err());

        CliRun stored = CliRun.of("import", "--file", allGood.toString(), "--type", "licensing", "--data-dir", d);
        assertEquals(0, stored.exit(), stored.out() + stored.err());
        CliRun dryRun = CliRun.of("import", "--file", allRejected.toString(), "--type", "licensing", "--data-dir", d, "--dry-run");
        assertEquals(2, dryRun.exit(), dryRun.out() + dryRun.err());
        assertNoJavaInternals("import --dry-run", dryRun);
    }

    @Test
    void anUnexpectedFault_isE_INTERNAL_withoutItsStackTrace() {
        var coded = CliErrors.coded(new IllegalStateException("boom", new NullPointerException()));
        assertEquals("E_INTERNAL", coded.code().name());
        var wrapped = CliErrors.coded(new RuntimeException(new credit.exchange.security.CodedException(
                credit.exchange.security.ErrorCode.E_UNAVAILABLE, "the store does not answer")));
        assertEquals("E_UNAVAILABLE", wrapped.code().name());
        assertEquals("E_NOT_FOUND", CliErrors.coded(new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/x"))).code().name());
    }
}
