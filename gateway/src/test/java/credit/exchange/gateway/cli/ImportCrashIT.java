package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.seed.SeedGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during an import, run it again: every row stored exactly once. The import runs as its
 * own JVM against a PostgreSQL the test owns, so the kill takes the importer down mid-batch
 * while the database survives, as it would on a real host.
 */
class ImportCrashIT {

    private static final int ROWS = 150_000;

    @Test
    void importKilledMidway_thenRunAgain_storesEveryRowExactlyOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("penalties.csv");
        new SeedGenerator(42, LocalDate.now()).writeRows("penalty", ROWS, 50_000, file);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            List<String> importCommand = List.of("import", "--file", file.toString(), "--type", "penalty",
                    "--data-dir", dir.resolve("data").toString(), "--json");

            Process first = gatewayctl(jdbcUrl, importCommand, dir.resolve("first.out"));
            long atKill = waitForSomeRows(postgres, first);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertTrue(atKill > 0 && atKill < ROWS, "the kill must land mid-import, found " + atKill + " rows");

            JsonNode second = runToEnd(jdbcUrl, importCommand, dir.resolve("second.out"));
            assertEquals(ROWS, count(postgres, "select count(*) from credit_record"));
            assertEquals(0, count(postgres, """
                    select count(*) from (select source_department, document_number from credit_record
                                          group by 1, 2 having count(*) > 1) twice"""));
            assertEquals(ROWS - second.get("stored").asInt(), second.get("duplicates").asInt(),
                    "rows committed before the kill count as duplicates on the second run");

            JsonNode third = runToEnd(jdbcUrl, importCommand, dir.resolve("third.out"));
            assertEquals(0, third.get("stored").asInt());
            assertEquals(ROWS, third.get("duplicates").asInt());
            assertEquals(ROWS, count(postgres, "select count(*) from credit_record"));
        }
    }

    private static Process gatewayctl(String jdbcUrl, List<String> args, Path output) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GatewayCtl.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("GATEWAY_DATABASE_URL", jdbcUrl);
        builder.environment().put("GATEWAY_DATABASE_USER", "postgres");
        return builder.start();
    }

    private static JsonNode runToEnd(String jdbcUrl, List<String> args, Path output) throws Exception {
        Process p = gatewayctl(jdbcUrl, args, output);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "import did not finish");
        String out = java.nio.file.Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    }

    private static long waitForSomeRows(EmbeddedPostgres postgres, Process importer) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline) && importer.isAlive()) {
            long n = count(postgres, "select count(*) from credit_record");
            if (n > 0) {
                return n;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the importer stored nothing before it ended");
    }

    private static long count(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (sql.contains("credit_record") && e.getMessage().contains("does not exist")) {
                return 0; // the importer has not run its migrations yet
            }
            throw e;
        }
    }
}
