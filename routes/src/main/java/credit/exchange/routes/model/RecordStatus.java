package credit.exchange.routes.model;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** Where a credit record stands. Repair and withdrawal are final for that version. */
public enum RecordStatus {
    ACTIVE,
    /** 信用修复: repaired; no longer served to partners. */
    REPAIRED,
    /** Withdrawn by its source department, or past its publication end (the publication-expiry job). */
    WITHDRAWN,
    /** 异议处理: a subject's objection is being handled. */
    UNDER_OBJECTION;

    /** Publication ends are dates of China Standard Time, as department files give them (docs/import-format.md). */
    public static final ZoneId PUBLICATION_ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * The one rule of which stored versions are served (local queries, the API, partners' answers):
     * a version neither repaired nor withdrawn, and not past its publication end (公示期). A version
     * past its end is withdrawn as EXPIRED by the publication-expiry job (CreditRepairs#expire,
     * which selects with {@link #pastPublicationEndSql}); until the job runs it is not served either,
     * so that a read never depends on when the job last ran. SQL over a credit_record row whose
     * columns are prefixed with {@code alias} (e.g. {@code "l."}, or {@code ""}), with one parameter:
     * {@link #today}.
     */
    public static String servedSql(String alias) {
        return alias + "status not in ('REPAIRED', 'WITHDRAWN') and not " + pastPublicationEndSql(alias);
    }

    /** A version whose publication ended before the day given as its one parameter ({@link #today}): no longer published. */
    public static String pastPublicationEndSql(String alias) {
        return "coalesce(" + alias + "publication_end < ?, false)";
    }

    /** Today, the day publication ends are compared with. */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(PUBLICATION_ZONE));
    }

    /** The same rule for a record a partner sent: past its publication end on {@code today}. */
    public static boolean pastPublicationEnd(LocalDate publicationEnd, LocalDate today) {
        return publicationEnd != null && publicationEnd.isBefore(today);
    }
}
