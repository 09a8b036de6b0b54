package credit.exchange.routes.store;

/**
 * The store's part of another owner's statement that reads credit records with its own rows in
 * one statement (a delivery with the record it carries; a recognition's black-list check): one
 * round trip and one plan where two statements would cost push's hot paths. Only these pieces,
 * and the store, name the store's tables.
 */
public final class RecordJoins {

    /**
     * A record as partners receive it, rendered by PostgreSQL from the record ({@code r}) and its
     * subject ({@code s}) that {@link #recordAndSubject} joins: natural persons only with their
     * masked ID number, as everywhere.
     */
    public static final String RECORD_JSON = """
            json_build_object('category', r.category, 'classification', r.classification,
                'subject', json_build_object('kind', s.kind, 'uscc', s.uscc, 'personIdMasked', s.person_id_masked),
                'partyName', r.party_name, 'sourceDepartment', r.source_department, 'documentNumber', r.document_number,
                'version', r.version, 'decisionDate', r.decision_date, 'validFrom', r.valid_from, 'validUntil', r.valid_until,
                'publicationEnd', r.publication_end, 'status', r.status, 'authority', r.authority,
                'authorityCode', r.authority_code, 'content', r.content, 'attributes', r.attributes)::text""";

    private RecordJoins() {
    }

    /** Joins the record whose id is in {@code recordIdColumn}, as {@code r} (columns category, document_number, decision_date …). */
    public static String record(String recordIdColumn) {
        return "join credit_record r on r.id = " + recordIdColumn;
    }

    /** As {@link #record}, a left join: rows whose {@code recordIdColumn} is null (or names no record) keep null columns. */
    public static String recordIfAny(String recordIdColumn) {
        return "left " + record(recordIdColumn);
    }

    /** Joins the record whose id is in {@code recordIdColumn} as {@code r}, and its subject as {@code s}. */
    public static String recordAndSubject(String recordIdColumn) {
        return record(recordIdColumn) + " join subject s on s.id = r.subject_id";
    }

    /** The records, as {@code r}, of the legal person whose USCC is in {@code usccColumn}, joined with it as {@code s}. */
    public static String recordsOfUscc(String usccColumn) {
        return "join subject s on s.uscc = " + usccColumn + " join credit_record r on r.subject_id = s.id";
    }

    /** Every record, as {@code r}, with its subject as {@code s}: a from-item. */
    public static String recordsWithSubject() {
        return "credit_record r join subject s on s.id = r.subject_id";
    }
}
