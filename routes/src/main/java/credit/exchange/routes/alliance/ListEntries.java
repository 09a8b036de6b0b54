package credit.exchange.routes.alliance;

import credit.exchange.routes.alliance.JointSanctions.Lifted;
import credit.exchange.routes.alliance.JointSanctions.ListEntry;
import credit.exchange.routes.alliance.JointSanctions.Severity;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The red and black list entries this node recorded (credit_list_entry): kept, read, lifted, and found past their publication end. */
final class ListEntries {

    private final Database database;

    ListEntries(Database database) {
        this.database = database;
    }

    /** Keeps a checked entry in the caller's transaction; a decision its authority listed before breaks the unique key (23505). */
    static void insert(Connection c, String id, SanctionDecisions.Listing entry, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into credit_list_entry (id, list_type, uscc, party_name, legal_basis, authority, document_number, listed_on,
                                               publication_end, severity, recorded_by)
                values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, entry.listType());
            ps.setString(3, entry.uscc());
            ps.setString(4, entry.partyName());
            ps.setString(5, entry.legalBasis());
            ps.setString(6, entry.authority());
            ps.setString(7, entry.documentNumber());
            ps.setDate(8, Date.valueOf(entry.listedOn()));
            ps.setDate(9, Date.valueOf(entry.publicationEnd()));
            ps.setString(10, entry.severity().name());
            ps.setString(11, by);
            ps.executeUpdate();
        }
    }

    Optional<ListEntry> find(String id) {
        if (!AllianceNotices.isUuid(id)) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, list_type, uscc, party_name, legal_basis, authority, document_number, listed_on, publication_end,
                       severity, status from credit_list_entry where id = ?::uuid""")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ListEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getDate(8).toLocalDate(), rs.getDate(9).toLocalDate(),
                        Severity.valueOf(rs.getString(10)), rs.getString(11)));
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * Sets an ACTIVE entry's status to how it was lifted, in the caller's transaction; returns its
     * USCC, or nothing if the entry is not ACTIVE (any more).
     */
    static Optional<String> lift(Connection c, String id, Lifted how) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update credit_list_entry set status = ? where id = ?::uuid and status = 'ACTIVE' returning uscc")) {
            ps.setString(1, how.name());
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The ACTIVE entries whose publication ended before {@code today}, the earliest first, at most {@code limit}. */
    List<ListEntry> endedBefore(LocalDate today, int limit) {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select id::text from credit_list_entry where status = 'ACTIVE' and publication_end < ? order by publication_end limit ?")) {
            ps.setDate(1, Date.valueOf(today));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
        List<ListEntry> ended = new ArrayList<>();
        ids.forEach(id -> find(id).ifPresent(ended::add));
        return ended;
    }

    private static CodedException unreadable(SQLException e) {
        return new CodedException(ErrorCode.E_UNAVAILABLE, "the lists cannot be read; retry later", e);
    }
}
