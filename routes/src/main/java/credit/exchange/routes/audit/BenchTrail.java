package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The audit bench's trail (docs/PERFORMANCE.md): emptied before the append bench fills it, and
 * analyzed before the console bench reads it, as autovacuum would have on a trail that grew over days.
 * Only a bench's own database is given here; a node's trail is never emptied but by retention.
 */
public final class BenchTrail {

    private BenchTrail() {
    }

    /** Drops every event and the chain's head: the next append starts the chain again. */
    public static void empty(Database db) throws SQLException {
        execute(db, "truncate audit_event, audit_chain_head");
    }

    /** Refreshes the planner's statistics of the trail. */
    public static void analyze(Database db) throws SQLException {
        execute(db, "analyze audit_event");
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
