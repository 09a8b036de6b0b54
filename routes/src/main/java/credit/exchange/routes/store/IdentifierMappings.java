package credit.exchange.routes.store;

import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.IdentifierKind;
import credit.exchange.routes.identifier.Identifiers;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The mapping of old registration numbers (工商注册号), organisation codes and mis-issued USCCs
 * to the USCCs in use (统一代码与旧注册登记码映射). Imported from CSV; looked up by either side.
 */
public final class IdentifierMappings {

    /** One mapping row. */
    public record Mapping(String legacyCode, String kind, String uscc, boolean legacyCheckFailed, String source) {
    }

    /** Result of a mapping import: rows stored, and rows refused with their line and reason. */
    public record ImportResult(int stored, List<String> refused) {
    }

    private final Database database;

    public IdentifierMappings(Database database) {
        this.database = database;
    }

    /**
     * Reads CSV with a header {@code legacy_code,uscc[,source]}. The legacy code's kind is read off
     * its shape; a legacy code failing its own check is stored and marked, which is what lets
     * such real codes through the ingest checks. The target must be a valid USCC.
     */
    public ImportResult importCsv(Reader csv, String defaultSource) throws IOException {
        List<Mapping> rows = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(csv)
                .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get()).get()) {
            if (!parser.getHeaderNames().containsAll(List.of("legacy_code", "uscc"))) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the mapping file needs a header legacy_code,uscc[,source]");
            }
            for (CSVRecord r : parser) {
                String legacy = r.get("legacy_code").strip().toUpperCase(Locale.ROOT).replace("-", "");
                String uscc = r.get("uscc").strip().toUpperCase(Locale.ROOT);
                String source = r.isMapped("source") && !r.get("source").isBlank() ? r.get("source").strip() : defaultSource;
                IdentifierKind kind = kindOf(legacy);
                if (kind == null) {
                    refused.add("line " + (r.getRecordNumber() + 1) + ": '" + legacy + "' is not shaped like a registration number (15 digits), organisation code (9 characters) or USCC (18)");
                    continue;
                }
                IdentifierCheck target = Uscc.check(uscc);
                if (!target.valid()) {
                    refused.add("line " + (r.getRecordNumber() + 1) + ": target USCC " + target.reason());
                    continue;
                }
                boolean failed = !Identifiers.check(legacy).valid();
                rows.add(new Mapping(legacy, kind.name(), uscc, failed, source));
            }
        }
        store(rows);
        return new ImportResult(rows.size(), refused);
    }

    private static IdentifierKind kindOf(String code) {
        return switch (code.length()) {
            case 15 -> code.chars().allMatch(Character::isDigit) ? IdentifierKind.REGISTRATION_NUMBER : null;
            case 9 -> IdentifierKind.ORGANIZATION_CODE;
            case 18 -> IdentifierKind.USCC;
            default -> null;
        };
    }

    private void store(List<Mapping> rows) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                insert into identifier_mapping (legacy_code, kind, uscc, legacy_check_failed, source) values (?, ?, ?, ?, ?)
                on conflict (legacy_code) do update set kind = excluded.kind, uscc = excluded.uscc,
                    legacy_check_failed = excluded.legacy_check_failed, source = excluded.source""")) {
            for (Mapping m : rows) {
                ps.setString(1, m.legacyCode());
                ps.setString(2, m.kind());
                ps.setString(3, m.uscc());
                ps.setBoolean(4, m.legacyCheckFailed());
                ps.setString(5, m.source());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the credit store refused the mappings: " + e.getMessage(), e);
        }
    }

    /** Mappings whose legacy code or USCC is the given code. */
    public List<Mapping> lookup(String code) {
        String c = code.strip().toUpperCase(Locale.ROOT).replace("-", "");
        try (Connection conn = database.connection(); PreparedStatement ps = conn.prepareStatement(
                "select legacy_code, kind, uscc, legacy_check_failed, source from identifier_mapping where legacy_code = ? or uscc = ? order by legacy_code")) {
            ps.setString(1, c);
            ps.setString(2, c);
            List<Mapping> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Mapping(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the credit store does not answer; retry later", e);
        }
    }

    /** Every mapping, in the caller's transaction (an import's legacy codes); their sources are not read (null). */
    public static List<Mapping> all(Connection connection) throws SQLException {
        List<Mapping> all = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select legacy_code, kind, uscc, legacy_check_failed from identifier_mapping")) {
            while (rs.next()) {
                all.add(new Mapping(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), null));
            }
        }
        return all;
    }
}
