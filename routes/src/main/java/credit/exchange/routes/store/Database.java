package credit.exchange.routes.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The node's PostgreSQL: a connection pool and the schema migrations. Every durable fact lives
 * here; the process itself holds nothing a restart would miss.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects, then brings the schema up to date with the Flyway migrations in db/migration. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("credit-store");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Work on one connection that commits or rolls back as a whole. */
    @FunctionalInterface
    public interface Transactional<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Transactional<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Binds the parameters of one statement. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs one update in a transaction that commits without waiting for its WAL flush: for writes
     * whose loss in a crash within the next fraction of a second costs nothing that matters
     * (bookkeeping, answers kept for duplicates). Returns the update count.
     */
    public int updateWithoutFlushWait(String sql, Binder binder) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement relaxed = c.prepareStatement("set local synchronous_commit = off");
                 PreparedStatement ps = c.prepareStatement(sql)) {
                relaxed.execute();
                binder.bind(ps);
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** True when the database answers a trivial query within a second. */
    public boolean answers() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
