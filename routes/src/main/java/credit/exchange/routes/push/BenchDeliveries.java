package credit.exchange.routes.push;

import credit.exchange.routes.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The push bench's database bound (docs/PERFORMANCE.md) runs the same pulls again on the same
 * stores: every delivery to the destination made READY again at the sender, and the receiver's
 * copies dropped. Only a bench's own databases are given here.
 */
public final class BenchDeliveries {

    private BenchDeliveries() {
    }

    /** Every delivery of the sender's outbox to {@code destination} READY again, as if never pulled. */
    public static void readyAgain(Database sender, String destination) throws SQLException {
        try (Connection c = sender.connection(); PreparedStatement ps = c.prepareStatement(
                "update outbox set state = 'READY', finished_at = null, visible_after = null, receipt_ref = null where destination = ?")) {
            ps.setString(1, destination);
            ps.executeUpdate();
        }
    }

    /** Drops every delivery the receiver keeps, from any sender. */
    public static void dropReceived(Database receiver) throws SQLException {
        try (Connection c = receiver.connection(); Statement s = c.createStatement()) {
            s.execute("truncate received_delivery");
        }
    }
}
