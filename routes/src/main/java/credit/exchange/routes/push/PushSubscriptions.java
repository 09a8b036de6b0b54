package credit.exchange.routes.push;

import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partner receives which record categories (table push_subscription), written from the
 * partner configurations' {@code push} sections whenever they change. Imports route new record
 * versions into the outbox by this table, in the same statement that stores them, so that an
 * import by the CLI routes exactly as one by the node. Disabled partners receive nothing;
 * categories this node does not know are skipped with a warning.
 */
public final class PushSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(PushSubscriptions.class);

    private final Database database;
    private final CategoryCatalogue catalogue;

    /**
     * The publicity deliveries of new record versions, one per partner subscribed to their category:
     * the clause the statement storing them runs ({@code StagedRecords.store}), so that a record and
     * its deliveries commit together or not at all. Its one parameter is their category's code.
     */
    public static final String ENQUEUE_NEW_VERSIONS = credit.exchange.routes.delivery.Deliveries.enqueuePublicity(
            "select destination, mode, deadline_days from push_subscription where category = ?");

    public PushSubscriptions(Database database, CategoryCatalogue catalogue) {
        this.database = database;
        this.catalogue = catalogue;
    }

    /** Replaces the subscriptions with those of the partners in force, in one transaction; returns how many. */
    public int sync(Collection<Partner> partners) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (Statement clear = c.createStatement();
                 PreparedStatement insert = c.prepareStatement(
                         "insert into push_subscription (destination, category, mode, deadline_days) values (?, ?, ?, ?)")) {
                clear.execute("lock table push_subscription in exclusive mode");
                clear.execute("delete from push_subscription");
                int n = 0;
                for (Partner p : partners) {
                    if (!p.enabled() || p.push().isEmpty()) {
                        continue;
                    }
                    Partner.Push push = p.push().get();
                    for (String dataset : push.datasets()) {
                        if (catalogue.find(dataset).isEmpty()) {
                            LOG.warn("partner {} subscribes to dataset {}, which this node does not know; skipped", p.id(), dataset);
                            continue;
                        }
                        insert.setString(1, p.id());
                        insert.setString(2, dataset);
                        insert.setString(3, push.pull() ? "PULL" : "PUSH");
                        if (push.deadlineDays().isPresent()) {
                            insert.setInt(4, push.deadlineDays().get());
                        } else {
                            insert.setNull(4, Types.INTEGER);
                        }
                        insert.addBatch();
                        n++;
                    }
                }
                insert.executeBatch();
                c.commit();
                return n;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the push subscriptions cannot be written; retry later", e);
        }
    }
}
