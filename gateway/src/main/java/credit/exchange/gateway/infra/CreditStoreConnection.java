package credit.exchange.gateway.infra;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.store.Database;
import java.io.IOException;
import java.util.Optional;

/**
 * The node's credit store, wherever it is: the external PostgreSQL the configuration names, the
 * embedded one of a node already running on this data directory, or a newly started embedded
 * one (stopped again on close). The node and every CLI command get their database here.
 */
public final class CreditStoreConnection implements AutoCloseable {

    private final Database database;
    private final EmbeddedDatabaseServer startedHere;

    private CreditStoreConnection(Database database, EmbeddedDatabaseServer startedHere) {
        this.database = database;
        this.startedHere = startedHere;
    }

    public static CreditStoreConnection open(NodeConfig config) throws IOException {
        int poolSize = config.getInt("gateway.database.pool-size");
        if (!config.embeddedDatabase()) {
            return new CreditStoreConnection(Database.open(config.get("gateway.database.url"),
                    config.get("gateway.database.user"), config.get("gateway.database.password"), poolSize), null);
        }
        Optional<EmbeddedDatabaseLogin> running = EmbeddedDatabaseServer.runningAt(config.nodeDir());
        if (running.isPresent()) {
            return new CreditStoreConnection(open(running.get(), poolSize), null);
        }
        EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(config.nodeDir(), config.getInt("gateway.database.embedded-port"));
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
