package credit.exchange.routes.access;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.SubjectAuthorisation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Every access decision, allow or deny, as an event (table access_event): who asked, about which
 * subject (its store key), which class and dataset, for what purpose, on which authorisation, and
 * the decision with its reason. The audit trail's hash chain builds on these rows.
 */
public final class AccessEvents {

    private final Database database;

    public AccessEvents(Database database) {
        this.database = database;
    }

    /** Records the decisions of one query, one per dataset, in one statement on the query's connection. */
    public void recordAll(Connection connection, Caller caller, AccessContext context,
                          java.util.Map<String, java.util.Map.Entry<Classification, AccessDecision>> byDataset) throws SQLException {
        if (byDataset.isEmpty()) {
            return;
        }
        java.util.List<String> datasets = new java.util.ArrayList<>(byDataset.keySet());
        String[] classes = new String[datasets.size()];
        String[] decisions = new String[datasets.size()];
        String[] reasons = new String[datasets.size()];
        for (int i = 0; i < datasets.size(); i++) {
            var entry = byDataset.get(datasets.get(i));
            classes[i] = entry.getKey().name();
            AccessDecision d = entry.getValue();
            decisions[i] = d.allowed() ? "ALLOW" : "DENY";
            reasons[i] = d instanceof AccessDecision.Allow allow ? allow.disclosure().name() : ((AccessDecision.Deny) d).code().name();
        }
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into access_event (at, actor_kind, actor, subject_key, classification, dataset, purpose, authorisation_id,
                                          decision, reason)
                select ?, ?, ?, ?, c, ds, ?, ?::uuid, d, r from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as t (ds, c, d, r)""")) {
            ps.setTimestamp(1, Timestamp.from(context.at()));
            ps.setString(2, caller.kind().name());
            ps.setString(3, caller.name());
            ps.setString(4, context.subject());
            ps.setString(5, context.purpose());
            ps.setString(6, context.authorisation().map(SubjectAuthorisation::id).orElse(null));
            ps.setArray(7, connection.createArrayOf("text", datasets.toArray()));
            ps.setArray(8, connection.createArrayOf("text", classes));
            ps.setArray(9, connection.createArrayOf("text", decisions));
            ps.setArray(10, connection.createArrayOf("text", reasons));
            ps.executeUpdate();
        }
    }

    /** The same in a transaction of its own: for a query refused before it reads. */
    public void recordAll(Caller caller, AccessContext context,
                          java.util.Map<String, java.util.Map.Entry<Classification, AccessDecision>> byDataset) {
        try (Connection c = database.connection()) {
            recordAll(c, caller, context, byDataset);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the access decision cannot be recorded; nothing is read without it", e);
        }
    }
}
