package credit.exchange.routes.store;

import credit.exchange.routes.model.RecordCategory;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Record versions and their subjects stored from a batch staged in a temporary table, in the caller's
 * transaction: one COPY and two set-based inserts (the ingest flow's bulk path). Both inserts skip what is
 * already there, so a batch replayed after a crash stores nothing twice, and a row whose content differs from the
 * stored latest version becomes the next version.
 */
public final class StagedRecords {

    /**
     * The staging table, one per connection. A batch is COPY text (PostgreSQL's text format) with these columns, in
     * this order.
     */
    private static final String STAGING = """
            create temp table if not exists ingest_staging (
                row_number int, subject_key text, kind text, uscc text, person_id_sealed bytea,
                person_id_masked text, party_name text, source_department text, document_number text,
                content_digest bytea, decision_date date, valid_from date, valid_until date,
                publication_end date, authority text, authority_code text, content text,
                representative_id_sealed bytea, personal_ids_sealed bytea, legacy boolean, attributes jsonb
            ) on commit delete rows""";

    /**
     * No conflict target: every unique index (subject_key and uscc) must be an arbiter, or two
     * partitions inserting the same new subject at once fail on the one that is not. Inserting in
     * subject_key order makes concurrent batches wait for each other in one order: no deadlock.
     */
    private static final String INSERT_SUBJECTS = """
            insert into subject (subject_key, kind, uscc, person_id_sealed, person_id_masked, name)
            select distinct on (subject_key) subject_key, kind, uscc, person_id_sealed, person_id_masked, party_name
            from ingest_staging order by subject_key, row_number
            on conflict do nothing""";

    /**
     * One index probe per row finds both the latest version number and whether any stored version
     * has the same content; the row becomes the next version only if none has. Each row's subject is
     * found by its key, one probe per row: joined instead, the planner hashes every subject of the store
     * for each batch (0.2 s at 333,333 subjects), a cost that grows with the store. The same statement
     * runs the caller's clause over the new versions (%s): a record and what it implies commit
     * together or not at all.
     */
    private static final String INSERT_RECORDS = """
            with inserted as (
            insert into credit_record (subject_id, category, classification, source_department, document_number,
                version, content_digest, party_name, decision_date, valid_from, valid_until, publication_end,
                authority, authority_code, content, representative_id_sealed, personal_ids_sealed, legacy_identifier,
                attributes, import_id)
            select (select s.id from subject s where s.subject_key = st.subject_key), ?, ?, st.source_department,
                st.document_number, coalesce(stored.latest, 0) + 1,
                st.content_digest, st.party_name, st.decision_date, st.valid_from, st.valid_until, st.publication_end,
                st.authority, st.authority_code, st.content, st.representative_id_sealed, st.personal_ids_sealed, st.legacy,
                st.attributes, ?
            from ingest_staging st
            cross join lateral (
                select max(r.version) as latest, coalesce(bool_or(r.content_digest = st.content_digest), false) as seen
                from credit_record r
                where r.category = ? and r.source_department = st.source_department
                  and r.document_number = st.document_number) stored
            where not stored.seen
            on conflict (category, source_department, document_number, version) do nothing
            returning id, subject_id, decision_date),
            also as (%s)
            select count(*) from inserted""";

    private StagedRecords() {
    }

    /** Creates the connection's staging table, if it has none yet, and commits. */
    public static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(STAGING);
        }
        connection.commit();
    }

    /**
     * Stores a staged batch in the caller's transaction: its subjects, then its new record versions (of
     * {@code category}, from import run {@code importId}); returns how many versions were new.
     *
     * @param alsoWithNewVersions a data-modifying statement run in the same statement over the new versions, named
     *        {@code inserted} (columns id, subject_id, decision_date), taking one parameter: the category's code
     */
    public static int store(Connection connection, String copyText, RecordCategory category, long importId,
                            String alsoWithNewVersions) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("copy ingest_staging from stdin", new StringReader(copyText));
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(INSERT_SUBJECTS);
        }
        try (PreparedStatement ps = connection.prepareStatement(INSERT_RECORDS.formatted(alsoWithNewVersions))) {
            ps.setString(1, category.code());
            ps.setString(2, category.classification().name());
            ps.setLong(3, importId);
            ps.setString(4, category.code());
            ps.setString(5, category.code());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
