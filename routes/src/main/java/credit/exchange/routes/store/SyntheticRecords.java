package credit.exchange.routes.store;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A large synthetic credit store, for the lookup bench: legal persons with the USCCs given, by
 * COPY, then penalty and licensing records generated inside PostgreSQL, spread over them. Millions
 * of rows in minutes, which no import of files could make as fast.
 */
public final class SyntheticRecords {

    private SyntheticRecords() {
    }

    /** Stores {@code subjects} legal persons, one per USCC drawn from {@code usccs}, then {@code records} records; analyzes both. */
    public static void fill(Connection c, Iterator<String> usccs, int subjects, int records) throws SQLException, IOException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder chunk = new StringBuilder(1 << 20);
        int made = 0;
        while (made < subjects) {
            String uscc = usccs.next();
            made++;
            chunk.append("U:").append(uscc).append("\tLEGAL_PERSON\t").append(uscc).append("\t杭州测试").append(made)
                    .append("有限公司\n");
            if (chunk.length() > (1 << 20) || made == subjects) {
                copy.copyIn("copy subject (subject_key, kind, uscc, name) from stdin", new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(("""
                    insert into credit_record (subject_id, category, classification, source_department, document_number,
                        version, content_digest, party_name, decision_date, valid_until, publication_end, authority,
                        authority_code, content, attributes)
                    select 1 + (g %% %d), case when g %% 2 = 0 then 'penalty' else 'licensing' end, 'A',
                        '11330100291957215D', '杭市场罚字〔2025〕' || g || '号', 1,
                        sha256(int8send(g)), '杭州测试' || (1 + (g %% %d)) || '有限公司',
                        date '2023-01-01' + (g %% 1000), date '2026-01-01' + (g %% 1000), date '2027-01-01' + (g %% 1000),
                        '杭州市市场监督管理局', '11330100291957215D', '当事人未按规定公示年度报告',
                        jsonb_build_object('CF_WFXW', '未按规定公示年度报告', 'CF_CFLB', '警告', 'CF_FRDB', '张伟')
                    from generate_series(1, %d) g""").formatted(subjects, subjects, records));
            s.execute("analyze subject");
            s.execute("analyze credit_record");
        }
    }

    /** How many records the store holds. */
    public static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from credit_record")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Up to {@code n} USCCs of stored subjects, a sample of about one in a hundred. */
    public static List<String> sampleUsccs(Connection c, int n) throws SQLException {
        List<String> keys = new ArrayList<>(n);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select uscc from subject tablesample bernoulli (1) where uscc is not null limit " + n)) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }
}
