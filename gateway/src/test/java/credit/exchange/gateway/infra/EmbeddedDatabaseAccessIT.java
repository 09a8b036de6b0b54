package credit.exchange.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deny by default on the node's embedded PostgreSQL: no sign-in without the password of
 * {@code postgres.password}, neither over JDBC nor with psql from another local account; the password
 * and port files are the node account's alone; a cluster of an earlier version, which trusted every
 * local connection, is moved to password sign-in on start and keeps its data.
 */
class EmbeddedDatabaseAccessIT {

    private static final String OWNER_ONLY = "rw-------";

    @TempDir
    Path nodeDir;

    @Test
    void aNewCluster_refusesNoPasswordAndAWrongOne_andAdmitsTheFilesPassword() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(nodeDir, 0)) {
            String url = server.login().jdbcUrl();

            // without a password the server asks for a SCRAM exchange the client cannot answer (08004): it trusts no one
            for (String nothing : new String[] {null, ""}) {
                SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", nothing).close());
                assertEquals("08004", none.getSQLState(), none.getMessage());
                assertTrue(none.getMessage().startsWith("The server requested SCRAM-based authentication"), none.getMessage());
            }
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, "postgres", "not-the-password").close());
            assertRefusedByTheServer(wrong);

            String password = passwordFile();
            assertTrue(password.length() >= 32, "a password of " + password.length() + " characters");
            try (Connection c = DriverManager.getConnection(url, "postgres", password)) {
                assertEquals("SCRAM-SHA-256", single(c, "select split_part(rolpassword, '$', 1) from pg_authid where rolname = 'postgres'"));
                assertEquals("scram-sha-256", single(c, "show password_encryption"));
                assertEquals("", single(c, "show unix_socket_directories"), "no socket file in a shared directory");
            }
            assertNoTrustRule();
        }
    }

    @Test
    void thePasswordAndPortFiles_areTheNodeAccountsAlone() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(nodeDir, 0)) {
            assertEquals(OWNER_ONLY, mode(nodeDir.resolve("postgres.password")));
            assertEquals(OWNER_ONLY, mode(nodeDir.resolve("postgres.port")));
            assertEquals(List.of("postgres.password", "postgres.port"), nodeFiles(), "no temporary file left beside them");
        }
    }

    @Test
    void anotherLocalAccount_cannotSignIn_withPsql() throws Exception {
        // switching to another account needs root: CI runs as root, and there the test must run, never skip
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") == null) {
            assumeTrue(root, "runs psql as another account: needs root");
        }
        assertTrue(root, "CI runs as root, which this test needs to run psql as another account");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/psql")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs psql and runuser: apt-get install postgresql-client (.ci/run installs it)");
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(nodeDir, 0)) {
            String port = Files.readString(nodeDir.resolve("postgres.port")).strip();
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                PsqlRun refused = psqlAsNobody(host, port, null);
                assertNotEquals(0, refused.exit(), refused.out());
                assertTrue(refused.out().contains("no password supplied"), refused.out());
                PsqlRun wrong = psqlAsNobody(host, port, "not-the-password");
                assertNotEquals(0, wrong.exit(), wrong.out());
                assertTrue(wrong.out().contains("password authentication failed"), wrong.out());
            }
            PsqlRun socket = psqlAsNobody("/tmp", port, null);
            assertNotEquals(0, socket.exit(), socket.out());
            assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + port)), "a Unix socket in /tmp");
            // the refusals above are the password's doing: with it, the same account and command get in
            PsqlRun admitted = psqlAsNobody("127.0.0.1", port, passwordFile());
            assertEquals(0, admitted.exit(), admitted.out());
        }
    }

    @Test
    void aClusterOfAnEarlierVersion_isMovedToPasswordSignIn_andKeepsItsData() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(nodeDir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept (v text); insert into kept values ('before')");
        }
        assertTrue(trustRules().size() > 0, "the library's cluster trusts every local connection");
        Files.writeString(nodeDir.resolve("postgres.port"), "1");
        Files.setPosixFilePermissions(nodeDir.resolve("postgres.port"), PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(nodeDir, 0)) {
            String url = server.login().jdbcUrl();
            assertNoTrustRule();
            assertEquals(OWNER_ONLY, mode(nodeDir.resolve("postgres.password")));
            assertEquals(OWNER_ONLY, mode(nodeDir.resolve("postgres.port")));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", null).close());
            assertRefusedByTheServer(assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, "postgres", "not-the-password").close()));
            try (Connection c = DriverManager.getConnection(url, "postgres", passwordFile())) {
                assertEquals("before", single(c, "select v from kept"));
                assertEquals("SCRAM-SHA-256", single(c, "select split_part(rolpassword, '$', 1) from pg_authid where rolname = 'postgres'"));
            }
        }
        // and it starts as any cluster of this version from then on
        try (EmbeddedDatabaseServer again = EmbeddedDatabaseServer.start(nodeDir, 0);
             Connection c = DriverManager.getConnection(again.login().jdbcUrl(), "postgres", passwordFile())) {
            assertEquals("before", single(c, "select v from kept"));
        }
    }

    @Test
    void aRunningNodesDatabase_isFoundWithItsPassword_whichNoTextShows() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(nodeDir, 0)) {
            EmbeddedDatabaseLogin login = EmbeddedDatabaseServer.runningAt(nodeDir).orElseThrow();
            assertEquals(server.login(), login);
            assertFalse(login.toString().contains(login.password()), login.toString());
            assertFalse(login.jdbcUrl().contains(login.password()), login.jdbcUrl());
        }
        assertTrue(EmbeddedDatabaseServer.runningAt(nodeDir).isEmpty(), "no node runs any more");
    }

    @Test
    void aClusterWhosePasswordFileIsLost_isNotGivenANewOne_butSaysWhatIsMissing() throws Exception {
        EmbeddedDatabaseServer.start(nodeDir, 0).close();
        Files.delete(nodeDir.resolve("postgres.password"));
        IOException missing = assertThrows(IOException.class, () -> EmbeddedDatabaseServer.start(nodeDir, 0).close());
        assertTrue(missing.getMessage().contains("postgres.password is missing"), missing.getMessage());
        assertFalse(Files.exists(nodeDir.resolve("postgres.password")));
    }

    private static void assertRefusedByTheServer(SQLException e) {
        assertTrue(List.of("28P01", "28000").contains(e.getSQLState()), e.getSQLState() + ": " + e.getMessage());
    }

    private void assertNoTrustRule() throws IOException {
        assertEquals(List.of(), trustRules(), "pg_hba.conf rules that trust a connection");
    }

    private List<String> trustRules() throws IOException {
        return Files.readAllLines(nodeDir.resolve("postgres/pg_hba.conf")).stream()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .filter(rule -> Arrays.asList(rule.split("\\s+")).contains("trust"))
                .toList();
    }

    private String passwordFile() throws IOException {
        return Files.readString(nodeDir.resolve("postgres.password"), StandardCharsets.UTF_8).strip();
    }

    private List<String> nodeFiles() throws IOException {
        try (var files = Files.list(nodeDir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private record PsqlRun(int exit, String out) {
    }

    /** psql as the account nobody, with the given password or none (never prompting), and no password file of anyone's. */
    private static PsqlRun psqlAsNobody(String host, String port, String password) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("runuser", "-u", "nobody", "--", "/usr/bin/psql", "--no-password",
                "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-c", "select 1")
                .directory(Path.of("/").toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PG"));
        env.put("PGPASSFILE", "/nonexistent/.pgpass");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        Process psql = builder.start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(psql.waitFor(30, TimeUnit.SECONDS), "psql ended");
        return new PsqlRun(psql.exitValue(), out);
    }
}
