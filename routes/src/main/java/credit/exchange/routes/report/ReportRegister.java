package credit.exchange.routes.report;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The register of the credit reports this node issued (table {@code credit_report}, owned here):
 * numbers, and each report's digest with the node's signed statement of it, which the public
 * verification endpoint answers. Never a resident ID number in the clear: a person's report is
 * registered under the subject's keyed hash.
 */
public final class ReportRegister {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** One issued report, as registered. */
    public record Registered(String number, Instant issuedAt, String subjectKey, String issuedToKind, String issuedTo, String purpose,
                             String classes, boolean alliance, String format, byte[] statement) {
    }

    private final Database database;

    public ReportRegister(Database database) {
        this.database = database;
    }

    /** The next report number of this node: {@code <node>-<yyyyMMdd>-<serial>}, the day in China Standard Time. */
    static String nextNumber(Connection c, String node, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select nextval('credit_report_serial')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return node + "-" + DAY.format(day) + "-" + String.format("%06d", rs.getLong(1));
        }
    }

    /** Registers an issued report, in the caller's transaction (with its audit event). */
    static void record(Connection c, Registered r, ReportStatement statement) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into credit_report (number, issued_at, subject_key, issued_to_kind, issued_to, purpose, classes, alliance, format,
                                           digest_algorithm, digest, statement)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, r.number());
            ps.setTimestamp(2, Timestamp.from(r.issuedAt()));
            ps.setString(3, r.subjectKey());
            ps.setString(4, r.issuedToKind());
            ps.setString(5, r.issuedTo());
            ps.setString(6, r.purpose());
            ps.setString(7, r.classes());
            ps.setBoolean(8, r.alliance());
            ps.setString(9, r.format());
            ps.setString(10, statement.digestAlgorithm());
            ps.setBytes(11, statement.digest());
            ps.setBytes(12, r.statement());
            ps.executeUpdate();
        }
    }

    /** The report registered under this number, if this node issued one. */
    public Optional<Registered> find(String number) {
        if (number == null || number.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select number, issued_at, subject_key, issued_to_kind, issued_to, purpose, classes, alliance, format, statement
                from credit_report where number = ?""")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Registered(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9),
                        rs.getBytes(10))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the report register does not answer; retry later", e);
        }
    }
}
