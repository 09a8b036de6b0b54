package credit.exchange.routes.ingest;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.store.StagedRecords;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Persistence of the ingest flow: its runs, rejects and quality figures. A batch of drafts is
 * stored by the store's {@link StagedRecords} (one COPY, subjects, then record versions) together
 * with the new versions' outbox rows ({@link PushSubscriptions#ENQUEUE_NEW_VERSIONS}), in one transaction.
 */
final class IngestStore {

    /**
     * Serialises the batches of one key partition across concurrent imports, so that two imports
     * never give the same record the same version number.
     */
    private static final int INGEST_LOCK = 0x63726564;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final RecordCategory category;
    private final int partition;

    IngestStore(Connection connection, RecordCategory category, int partition) throws SQLException {
        this.connection = connection;
        this.category = category;
        this.partition = partition;
        connection.setAutoCommit(false);
        StagedRecords.prepare(connection);
    }

    long startRun(String fileName, byte[] fileDigest, String department) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into import_run (file_name, file_digest, category, department) values (?, ?, ?, ?) returning id")) {
            ps.setString(1, fileName);
            ps.setBytes(2, fileDigest);
            ps.setString(3, category.code());
            ps.setString(4, department);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                connection.commit();
                return id;
            }
        }
    }

    /**
     * A batch ready for the database: its drafts already rendered in COPY format, the columns of
     * {@link StagedRecords}' staging table in their order (done on the
     * reading thread, so that the writing thread only waits on the database) and its rejects.
     * No two drafts share source department and document number.
     */
    record StagedBatch(int drafts, String copyText, List<Defect> rejects) {
    }

    static StagedBatch stage(List<RecordDraft> drafts, List<Defect> rejects) {
        CopyRows rows = new CopyRows();
        for (RecordDraft d : drafts) {
            rows.number(d.rowNumber()).text(d.subjectKey()).text(d.subjectKind().name()).text(d.uscc())
                    .bytes(d.personIdSealed()).text(d.personIdMasked()).text(d.partyName())
                    .text(d.sourceDepartment()).text(d.documentNumber()).bytes(d.contentDigest())
                    .date(d.decisionDate()).date(d.validFrom()).date(d.validUntil()).date(d.publicationEnd())
                    .text(d.authority()).text(d.authorityCode()).text(d.content())
                    .bytes(d.representativeIdSealed()).bytes(d.personalIdsSealed()).bool(d.legacyIdentifier())
                    .text(json(d.attributes()));
            rows.endRow();
        }
        return new StagedBatch(drafts.size(), rows.drain(), List.copyOf(rejects));
    }

    /** Stores a staged batch in one transaction; returns how many record versions were new. */
    int store(long importId, StagedBatch batch, byte[] fileDigest) throws SQLException {
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + INGEST_LOCK + ", " + partition + ")");
                // Batches need not wait for their own WAL flush: the run's closing commit
                // (finishRun) is synchronous and flushes every earlier commit record with it, and
                // the summary is only reported after it. A crash before then loses at most
                // batches that a re-run of the idempotent import stores again.
                s.execute("set local synchronous_commit = off");
            }
            int stored = 0;
            if (batch.drafts() > 0) {
                stored = StagedRecords.store(connection, batch.copyText(), category, importId, PushSubscriptions.ENQUEUE_NEW_VERSIONS);
            }
            storeRejects(importId, batch.rejects(), fileDigest);
            connection.commit();
            return stored;
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("batch could not be stored: " + e.getMessage(), e);
        }
    }

    private void storeRejects(long importId, List<Defect> rejects, byte[] fileDigest) throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into import_reject (file_digest, row_number, field, code, reason, import_id)
                values (?, ?, ?, ?, ?, ?)
                on conflict (file_digest, row_number, field) do update set import_id = excluded.import_id""")) {
            for (Defect d : rejects) {
                ps.setBytes(1, fileDigest);
                ps.setInt(2, d.rowNumber());
                ps.setString(3, d.field());
                ps.setString(4, d.code().name());
                ps.setString(5, d.reason());
                ps.setLong(6, importId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void finishRun(long importId, ImportSummary summary, byte[] fileDigest, Map<String, DepartmentQuality> quality,
                   ImportRequest.Sender sender) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                update import_run set finished_at = now(), rows_read = ?, stored = ?, duplicates = ?, rejected = ?
                where id = ?""")) {
            ps.setInt(1, summary.rowsRead());
            ps.setInt(2, summary.stored());
            ps.setInt(3, summary.duplicates());
            ps.setInt(4, summary.rejected());
            ps.setLong(5, importId);
            ps.executeUpdate();
        }
        // the import's audit event, in the import's own closing transaction (the chainer links it)
        try (PreparedStatement ps = connection.prepareStatement("""
                select category, department, rows_read, stored, duplicates, rejected from import_run where id = ?""")) {
            ps.setLong(1, importId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String department = rs.getString(2);
                AuditTrail.pending(connection, AuditEvent.by(sender.kind(), sender.name(),
                        AuditEvent.Action.IMPORT).dataset(rs.getString(1)).outcome(AuditEvent.Outcome.COMPLETED)
                        .detail("import " + importId + " for " + (department == null ? "the departments named in the rows" : "department "
                                + department) + ": " + rs.getInt(3) + " rows read, " + rs.getInt(4) + " stored, " + rs.getInt(5)
                                + " duplicates, " + rs.getInt(6) + " rejected").build());
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into import_quality (file_digest, department, rows_read, rows_valid, fields_expected, fields_filled,
                                            double_publicity, late)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (file_digest, department) do update set rows_read = excluded.rows_read,
                    rows_valid = excluded.rows_valid, fields_expected = excluded.fields_expected,
                    fields_filled = excluded.fields_filled, double_publicity = excluded.double_publicity,
                    late = excluded.late, measured_at = now()""")) {
            for (DepartmentQuality q : quality.values()) {
                ps.setBytes(1, fileDigest);
                ps.setString(2, q.department());
                ps.setInt(3, q.rowsRead());
                ps.setInt(4, q.rowsValid());
                ps.setLong(5, q.fieldsExpected());
                ps.setLong(6, q.fieldsFilled());
                ps.setInt(7, q.doublePublicity());
                ps.setInt(8, q.late());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        connection.commit();
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the caller reports the original failure
        }
    }

    private static String json(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
