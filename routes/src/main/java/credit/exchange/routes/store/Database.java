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
    /** Connections whose commits do not wait for their WAL flush ({@link #updateWithoutFlushWait}); opened when first needed. */
    private final HikariDataSource relaxed;

    private Database(HikariDataSource pool, HikariDataSource relaxed) {
        this.pool = pool;
        this.relaxed = relaxed;
    }

    /**
     * Connects, then brings the schema up to date with the Flyway migrations in db/migration.
     * Beside the pool of {@code poolSize}, up to half as many connections (at least one) for the
     * writes that need not wait for their flush.
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        HikariDataSource pool = new HikariDataSource(config(jdbcUrl, user, password, "credit-store", poolSize));
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        HikariConfig relaxed = config(jdbcUrl, user, password, "credit-store-relaxed", Math.max(1, poolSize / 2));
        relaxed.setConnectionInitSql("set synchronous_commit = off");
        relaxed.setMinimumIdle(0);
        try {
            return new Database(pool, new HikariDataSource(relaxed));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig config(String jdbcUrl, String user, String password, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(30_000);
        return config;
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
     * Runs one update, committed on its own without waiting for its WAL flush, in one round trip:
     * for writes whose loss in a crash within the next fraction of a second costs nothing that
     * matters (bookkeeping, answers kept for duplicates), or that a later durable commit makes
     * durable before anyone relies on them (the WAL is flushed in order). Returns the update count.
     */
    public int updateWithoutFlushWait(String sql, Binder binder) throws SQLException {
        try (Connection c = relaxed.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
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
        relaxed.close();
        pool.close();
    }
}
