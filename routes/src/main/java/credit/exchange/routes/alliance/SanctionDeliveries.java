package credit.exchange.routes.alliance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where this node's sanction notices went: the sanctions' only statements that read the notices'
 * deliveries (alliance_delivery), kept together so that the deliveries' move to the shared
 * delivery table changes them here and nowhere else. Both run in the caller's transaction.
 */
final class SanctionDeliveries {

    private SanctionDeliveries() {
    }

    /** Every partner a sanction notice of this list entry went to, delivered or still trying, in order. */
    static List<String> partnersNoticedOf(Connection c, String entryId) throws SQLException {
        List<String> noticed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct d.partner from alliance_delivery d join alliance_notice n on n.id = d.notice_id
                where n.kind = 'sanction' and n.body->>'entryId' = ? order by d.partner""")) {
            ps.setString(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    noticed.add(rs.getString(1));
                }
            }
        }
        return noticed;
    }

    /** The enterprise of sanction notice {@code noticeId}, if this node sent it to {@code partner}. */
    static Optional<String> subjectSentTo(Connection c, String partner, String noticeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select n.subject from alliance_notice n join alliance_delivery d on d.notice_id = n.id and d.partner = ?
                where n.id = ?::uuid and n.kind = 'sanction'""")) {
            ps.setString(1, partner);
            ps.setString(2, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
