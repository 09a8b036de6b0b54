package credit.exchange.gateway.infra;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The node's credit store, wherever it is: the external PostgreSQL the configuration names, the
 * embedded one of a node already running on this data directory, or the embedded one of a
 * stopped node started for the command (stopped again on close). The node and every CLI command
 * get their database here. Only the node itself and imports make a new store
 * ({@link #openOrCreate}); every other command refuses a data directory that holds none, naming
 * it, instead of creating an empty cluster as a side effect of a read.
 */
public final class CreditStoreConnection implements AutoCloseable {

    private final Database database;
    private final EmbeddedDatabaseServer startedHere;

    private CreditStoreConnection(Database database, EmbeddedDatabaseServer startedHere) {
        this.database = database;
        this.startedHere = startedHere;
    }

    /** The store of an existing node; {@code E_NOT_FOUND} naming the data directory if it holds none. */
    public static CreditStoreConnection open(NodeConfig config) throws IOException {
        if (config.embeddedDatabase() && !Files.exists(config.nodeDir().resolve("postgres").resolve("PG_VERSION"))) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no node's data at " + config.nodeDir() + " (node " + config.nodeId()
                    + "): give the node's configuration (--config FILE, or GATEWAY_CONFIG; the demo prints its nodes') or --data-dir,"
                    + " or start the node first with ./gatewayctl run");
        }
        return openOrCreate(config);
    }

    /** The node's store, made on first use (the node's start, an import). */
    public static CreditStoreConnection openOrCreate(NodeConfig config) throws IOException {
        int poolSize = config.whole("gateway.database.pool-size", 1);
        if (!config.embeddedDatabase()) {
            return new CreditStoreConnection(Database.open(config.get("gateway.database.url"),
                    config.get("gateway.database.user"), config.get("gateway.database.password"), poolSize), null);
        }
        Optional<EmbeddedDatabaseLogin> running = EmbeddedDatabaseServer.runningAt(config.nodeDir());
        if (running.isPresent()) {
            return new CreditStoreConnection(open(running.get(), poolSize), null);
        }
        EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(config.nodeDir(), config.port("gateway.database.embedded-port"));
        try {
            return new CreditStoreConnection(open(server.login(), poolSize), server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Database open(EmbeddedDatabaseLogin login, int poolSize) {
        return Database.open(login.jdbcUrl(), login.user(), login.password(), poolSize);
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() throws IOException {
        database.close();
        if (startedHere != null) {
            startedHere.close();
        }
    }
}
