package credit.exchange.routes.store;

import credit.exchange.routes.model.RecordStatus;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The document a credit record is a version of — category, source department, document number —
 * with its subject's USCC (null for a natural person) and the document's latest version: what
 * credit repair and objections act on, since every version of a document shares its fate. Its
 * operations join the caller's transaction.
 */
public record RecordDocument(String category, String department, String document, String uscc, int latestVersion) {

    /** The document of record {@code recordId}; E_NOT_FOUND when there is no such record. */
    public static RecordDocument of(Connection c, long recordId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select r.category, r.source_department, r.document_number, s.uscc,
                       (select max(v.version) from credit_record v where v.category = r.category
                          and v.source_department = r.source_department and v.document_number = r.document_number)
                from credit_record r join subject s on s.id = r.subject_id where r.id = ?""")) {
            ps.setLong(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CodedException(ErrorCode.E_NOT_FOUND, "no credit record " + recordId);
                }
                return new RecordDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5));
            }
        }
    }

    /**
     * One record of each document whose publication ended before {@code today} and that is still
     * ACTIVE (its latest version), at most {@code limit}: the same rule as reads
     * ({@link RecordStatus#pastPublicationEndSql}), so what is past its end is served by no read already.
     */
    public static List<Long> pastPublicationEnd(Connection c, LocalDate today, int limit) throws SQLException {
        List<Long> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct on (category, source_department, document_number) id from credit_record
                where {past} and status = 'ACTIVE' order by category, source_department, document_number, version desc
                limit ?""".replace("{past}", RecordStatus.pastPublicationEndSql("")))) {
            ps.setObject(1, today);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(rs.getLong(1));
                }
            }
        }
        return due;
    }

    /** How the document names itself in events: "licensing 杭市监许〔2026〕1号 of 11330100…". */
    public String describe() {
        return category + " " + document + " of " + department;
    }

    /** Sets every version still served (ACTIVE or UNDER_OBJECTION) to {@code status}; false when none was. */
    public boolean close(Connection c, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update credit_record set status = ? where category = ? and source_department = ? and document_number = ?
                and status in ('ACTIVE', 'UNDER_OBJECTION')""")) {
            ps.setString(1, status);
            ps.setString(2, category);
            ps.setString(3, department);
            ps.setString(4, document);
            return ps.executeUpdate() > 0;
        }
    }

    /** Moves the versions up to the latest known here from status {@code from} to {@code to}; returns how many. */
    public int setStatus(Connection c, String from, String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update credit_record set status = ? where category = ? and source_department = ? and document_number = ? and status = ?
                and version <= ?""")) {
            ps.setString(1, to);
            ps.setString(2, category);
            ps.setString(3, department);
            ps.setString(4, document);
            ps.setString(5, from);
            ps.setInt(6, latestVersion);
            return ps.executeUpdate();
        }
    }

    /** Whether a version newer than the latest known here was stored since (a correction). */
    public boolean hasNewerVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*) from credit_record where category = ? and source_department = ? and document_number = ? and version > ?""")) {
            ps.setString(1, category);
            ps.setString(2, department);
            ps.setString(3, document);
            ps.setInt(4, latestVersion);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** The record ids of the document's versions up to {@code maxVersion}. */
    public List<Long> versionIds(Connection c, int maxVersion) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select r.id from credit_record r
                where r.category = ? and r.source_department = ? and r.document_number = ? and r.version <= ? order by r.id""")) {
            ps.setString(1, category);
            ps.setString(2, department);
            ps.setString(3, document);
            ps.setInt(4, maxVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
