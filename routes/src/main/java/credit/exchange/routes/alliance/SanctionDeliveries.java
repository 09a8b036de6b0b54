package credit.exchange.routes.alliance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where this node's sanction notices went (their deliveries are the delivery engine's, read
 * through {@link AllianceNotices#recipients}). Both run in the caller's transaction.
 */
final class SanctionDeliveries {

    private SanctionDeliveries() {
    }

    /** Every partner a sanction notice of this list entry went to, delivered or still trying, in order. */
    static List<String> partnersNoticedOf(Connection c, String entryId) throws SQLException {
        List<String> notices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select n.id::text from alliance_notice n where n.kind = 'sanction' and n.body->>'entryId' = ?""")) {
            ps.setString(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notices.add(rs.getString(1));
                }
            }
        }
        return notices.isEmpty() ? List.of() : AllianceNotices.recipients(c, notices);
    }

    /** The enterprise of sanction notice {@code noticeId}, if this node sent it to {@code partner}. */
    static Optional<String> subjectSentTo(Connection c, String partner, String noticeId) throws SQLException {
        Optional<String> subject = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("select n.subject from alliance_notice n where n.id = ?::uuid and n.kind = 'sanction'")) {
            ps.setString(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    subject = Optional.of(rs.getString(1));
                }
            }
        }
        return subject.isPresent() && AllianceNotices.recipients(c, List.of(noticeId)).contains(partner) ? subject : Optional.empty();
    }
}
