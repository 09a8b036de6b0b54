package credit.exchange.routes.alliance;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The document a credit record is a version of — category, source department, document number —
 * with its subject's USCC (null for a natural person) and the document's latest version: what
 * credit repair and objections act on, since every version of a document shares its fate.
 */
record RecordDocument(String category, String department, String document, String uscc, int latestVersion) {

    /** The document of record {@code recordId}; E_NOT_FOUND when there is no such record. */
    static RecordDocument of(Connection c, long recordId) throws SQLException {
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

    /** How the document names itself in events: "licensing 杭市监许〔2026〕1号 of 11330100…". */
    String describe() {
        return category + " " + document + " of " + department;
    }
}
