package credit.exchange.routes.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.EmbeddedCreditStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ingest flow's bulk store: what a batch costs must not grow with the store it goes into. */
@ExtendWith(CleanCreditStore.class)
class StagedRecordsTest {

    private static final int SUBJECTS = 333_333;
    private static final int BATCH = 10_000;

    @Test
    void aBatchFindsItsSubjectsByKey_withoutScanningEverySubjectOfTheStore() throws Exception {
        Database database = EmbeddedCreditStore.database();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("""
                        insert into subject (subject_key, kind, uscc, name)
                        select 'U:' || u, 'LEGAL_PERSON', u, '企业' || i
                        from generate_series(1, %d) i, lateral (select '9' || lpad(i::text, 17, '0') u) k""".formatted(SUBJECTS));
                s.execute("analyze subject");
            }
            c.commit();
            StagedRecords.prepare(c);

            int stored = StagedRecords.store(c, batch(), CategoryCatalogue.load(database).find("penalty").orElseThrow(), 0,
                    PushSubscriptions.ENQUEUE_NEW_VERSIONS);

            assertEquals(BATCH, stored);
            assertEquals(0, subjectSeqScansInThisTransaction(c),
                    "a batch of " + BATCH + " rows read all " + SUBJECTS + " subjects: its cost grows with the store");
            c.rollback();
        }
    }

    /** A batch in COPY text, one new penalty decision for each of {@link #BATCH} stored subjects spread over the store. */
    private static String batch() {
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= BATCH; i++) {
            String uscc = "9" + String.format("%017d", SUBJECTS / BATCH * i);
            rows.append(String.join("\t", String.valueOf(i), "U:" + uscc, "LEGAL_PERSON", uscc, "\\N", "\\N", "企业", "11330100002487959W",
                    "杭市监罚〔2026〕" + i + "号", "\\\\x" + String.format("%064x", i), "2026-11-01", "\\N", "\\N", "\\N", "杭州市市场监督管理局",
                    "11330100002487959W", "罚款", "\\N", "\\N", "f", "{}")).append('\n');
        }
        return rows.toString();
    }

    private static long subjectSeqScansInThisTransaction(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select seq_scan from pg_stat_xact_user_tables where relname = 'subject'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
