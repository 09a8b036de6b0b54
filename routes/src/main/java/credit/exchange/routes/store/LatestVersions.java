package credit.exchange.routes.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.security.Classification;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The latest version of each of a subject's documents, as the local queries read them: only those
 * served ({@link RecordStatus#servedSql}: not repaired or withdrawn, not past their publication end
 * on the day given). Records come back as stored; what a caller may see of them is the caller's
 * to apply. Each operation runs on the caller's connection.
 */
public final class LatestVersions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };

    /** The latest version of each of the subject's documents in the datasets given. */
    private static final String LATEST = """
            with latest as (
                select distinct on (r.category, r.source_department, r.document_number) r.*
                from credit_record r join subject s on s.id = r.subject_id
                where %s and r.category = any (?)
                order by r.category, r.source_department, r.document_number, r.version desc)
            """;

    /** Those served, a page of them. */
    private static final String LATEST_VERSIONS = LATEST + """
            select l.id, l.category, l.classification, s.kind, s.uscc, s.person_id_masked, l.party_name,
                   l.source_department, l.document_number, l.version, l.decision_date, l.valid_from, l.valid_until,
                   l.publication_end, l.status, l.authority, l.authority_code, l.content, l.legacy_identifier,
                   l.attributes::text, l.ingested_at
            from latest l join subject s on s.id = l.subject_id
            where {served}
            order by %s
            limit ? offset ?""".replace("{served}", RecordStatus.servedSql("l."));

    /** How many would be served, per dataset. */
    private static final String SERVED_PER_DATASET = LATEST + """
            select l.category, count(*) from latest l
            where {served}
            group by l.category""".replace("{served}", RecordStatus.servedSql("l."));

    /** Whose records a query reads, by the one argument it is given, and in which order. */
    public static final class Match {
        private static final String NEWEST_FIRST = "l.decision_date desc, l.id desc";

        private final String condition;
        private final String order;

        private Match(String condition, String order) {
            this.condition = condition;
            this.order = order;
        }

        /** The subject with this USCC, newest decisions first. */
        public static Match uscc() {
            return new Match("s.uscc = ?", NEWEST_FIRST);
        }

        /** The subject with this subject key (a natural person's: P: and the keyed hash of the ID number). */
        public static Match subjectKey() {
            return new Match("s.subject_key = ?", NEWEST_FIRST);
        }

        /**
         * Subjects whose name matches a LIKE pattern, by name: legal persons in every dataset, natural
         * persons only in {@code namesShown} (a match on a name shown masked would confirm the full name it
         * was searched by). Datasets not shaped as catalogue codes are left out.
         */
        public static Match namePrefix(Set<String> namesShown) {
            Set<String> codes = new TreeSet<>();
            namesShown.stream().filter(d -> d.matches("[a-z0-9-]+")).forEach(codes::add); // written into the SQL
            return new Match("s.name like ? and (s.kind = 'LEGAL_PERSON' or r.category = any ('{" + String.join(",", codes)
                    + "}'::text[]))", "s.name, " + NEWEST_FIRST);
        }
    }

    private LatestVersions() {
    }

    /** Up to {@code limit} of the served latest versions matched in {@code datasets}, skipping {@code offset}. */
    public static List<CreditRecord> page(Connection c, Match match, String argument, Collection<String> datasets, LocalDate today,
                                          int limit, long offset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LATEST_VERSIONS.formatted(match.condition, match.order))) {
            bind(c, ps, argument, datasets, today, limit, offset);
            List<CreditRecord> records = new ArrayList<>(Math.min(limit, 256));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(read(rs));
                }
            }
            return records;
        }
    }

    /** A page of served latest versions, and how many are served per dataset of another set (the datasets that have any). */
    public record Page(List<CreditRecord> records, Map<String, Integer> servedPerDataset) {
    }

    /**
     * As {@link #page(Connection, Match, String, Collection, LocalDate, int, long)}, with how many served latest versions are
     * matched per dataset of {@code counted} (those that have any), in the same round trip: two statements sent together,
     * one exchange of messages with the database. Without {@code counted}, the page alone.
     */
    public static Page page(Connection c, Match match, String argument, Collection<String> datasets, LocalDate today, int limit,
                            long offset, Collection<String> counted) throws SQLException {
        if (counted.isEmpty()) {
            return new Page(page(c, match, argument, datasets, today, limit, offset), Map.of());
        }
        try (PreparedStatement ps = c.prepareStatement(LATEST_VERSIONS.formatted(match.condition, match.order) + ";\n"
                + SERVED_PER_DATASET.formatted(match.condition))) {
            bind(c, ps, argument, datasets, today, limit, offset);
            ps.setString(6, argument);
            ps.setArray(7, c.createArrayOf("text", counted.toArray()));
            ps.setObject(8, today);
            ps.execute();
            List<CreditRecord> records = new ArrayList<>(Math.min(limit, 256));
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    records.add(read(rs));
                }
            }
            if (!ps.getMoreResults()) {
                throw new SQLException("the served counts did not come with the page");
            }
            return new Page(records, servedCounts(ps.getResultSet()));
        }
    }

    /** How many served latest versions are matched in {@code datasets} in all. */
    public static long count(Connection c, Match match, String argument, Collection<String> datasets, LocalDate today)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from ("
                + LATEST_VERSIONS.formatted(match.condition, match.order) + ") q")) {
            bind(c, ps, argument, datasets, today, Integer.MAX_VALUE, 0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Integer> servedCounts(ResultSet result) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (ResultSet rs = result) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private static void bind(Connection c, PreparedStatement ps, String argument, Collection<String> datasets, LocalDate today,
                             int limit, long offset) throws SQLException {
        ps.setString(1, argument);
        ps.setArray(2, c.createArrayOf("text", datasets.toArray()));
        ps.setObject(3, today);
        ps.setInt(4, limit);
        ps.setLong(5, offset);
    }

    private static CreditRecord read(ResultSet rs) throws SQLException {
        Map<String, String> attributes;
        try {
            attributes = JSON.readValue(rs.getString(20), ATTRIBUTES);
        } catch (IOException e) {
            throw new SQLException("stored attributes of record " + rs.getLong(1) + " are not JSON", e);
        }
        return new CreditRecord(
                rs.getLong(1), rs.getString(2), Classification.valueOf(rs.getString(3)), SubjectKind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getInt(10), date(rs, 11), date(rs, 12), date(rs, 13), date(rs, 14), RecordStatus.valueOf(rs.getString(15)),
                rs.getString(16), rs.getString(17), rs.getString(18), rs.getBoolean(19), attributes,
                rs.getTimestamp(21).toInstant());
    }

    private static LocalDate date(ResultSet rs, int column) throws SQLException {
        Date d = rs.getDate(column);
        return d == null ? null : d.toLocalDate();
    }
}
