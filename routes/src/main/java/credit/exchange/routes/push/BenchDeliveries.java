package credit.exchange.routes.push;

import credit.exchange.routes.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The push bench's database bound (docs/PERFORMANCE.md) runs the same pulls again on the same
 * stores: the receiver's copies dropped (the sender's deliveries are made READY again by
 * {@code PublicityDeliveries.readyAgainForBench}). Only a bench's own databases are given here.
 */
public final class BenchDeliveries {

    private BenchDeliveries() {
    }

    /** Drops every delivery the receiver keeps, from any sender. */
    public static void dropReceived(Database receiver) throws SQLException {
        try (Connection c = receiver.connection(); Statement s = c.createStatement()) {
            s.execute("truncate received_delivery");
        }
    }
}
