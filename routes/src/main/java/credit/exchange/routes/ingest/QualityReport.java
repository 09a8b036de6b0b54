package credit.exchange.routes.ingest;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Data quality per source department over every file imported (each file counted once). */
public final class QualityReport {

    private final Database database;

    public QualityReport(Database database) {
        this.database = database;
    }

    public List<DepartmentQuality> byDepartment(String department) {
        String sql = """
                select department, sum(rows_read), sum(rows_valid), sum(fields_expected), sum(fields_filled),
                       sum(double_publicity), sum(late)
                from import_quality where (?::text is null or department = ?)
                group by department order by department""";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, department);
            ps.setString(2, department);
            List<DepartmentQuality> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new DepartmentQuality(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4),
                            rs.getLong(5), rs.getInt(6), rs.getInt(7)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the credit store does not answer; retry later", e);
        }
    }
}
