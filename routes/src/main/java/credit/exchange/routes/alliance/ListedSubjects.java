package credit.exchange.routes.alliance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Whether a legal person is on this node's red or black list, in any state. */
public final class ListedSubjects {

    private ListedSubjects() {
    }

    /** True if some list entry, red or black, active or lifted, names {@code uscc}; in the caller's transaction. */
    public static boolean onAnyList(Connection c, String uscc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from credit_list_entry where uscc = ?)")) {
            ps.setString(1, uscc);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
