package credit.exchange.routes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The active records of one category held about legal persons, oldest first, with their USCC: what
 * the demo picks its examples from (a record to repair, one to object to, an enterprise to nominate).
 * It reads every such record; nothing on a request's path calls it.
 */
public final class ActiveRecords {

    /** An active record and the USCC of the legal person it is about. */
    public record OfLegalPerson(long id, String uscc) {
    }

    private ActiveRecords() {
    }

    /** In the caller's transaction, in record id order. */
    public static List<OfLegalPerson> ofLegalPersons(Connection c, String category) throws SQLException {
        List<OfLegalPerson> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select r.id, s.uscc from credit_record r join subject s on s.id = r.subject_id
                where s.uscc is not null and r.status = 'ACTIVE' and r.category = ?
                order by r.id""")) {
            ps.setString(1, category);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OfLegalPerson(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        return out;
    }
}
