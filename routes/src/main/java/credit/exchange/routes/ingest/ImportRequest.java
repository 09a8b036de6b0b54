package credit.exchange.routes.ingest;

import credit.exchange.security.audit.AuditEvent;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * What to import: a file of one record category, optionally the department that sent it (used
 * when rows lack their data source unit code) and its charset (detected when absent: UTF-8, or
 * GB18030, the superset of GBK, when the bytes are not UTF-8), and who hands it in.
 *
 * @param rejectsFile where to write the rejects CSV, or null for none
 * @param sender who hands the file in, as the import's audit event names them
 */
public record ImportRequest(Path file, String category, String department, Charset charset, Path rejectsFile, Sender sender) {

    /** An import handed in by the node's operator on its host (the CLI, benchmarks). */
    public ImportRequest(Path file, String category, String department, Charset charset, Path rejectsFile) {
        this(file, category, department, charset, rejectsFile, Sender.OPERATOR);
    }

    /**
     * Who hands a file in.
     *
     * @param kind the audit trail's actor kind (OPERATOR, PERSON, INBOX)
     * @param name the audit trail's actor
     * @param ownDepartmentOnly whether every row must be the named department's own: a department's
     *        staff file only their department's records, and an operator importing for a named
     *        department is held to it too
     */
    public record Sender(AuditEvent.ActorKind kind, String name, boolean ownDepartmentOnly) {

        public static final Sender OPERATOR = new Sender(AuditEvent.ActorKind.OPERATOR, "operator", false);
        /** Files dropped into the inbox folder, which only the node's account can write to. */
        public static final Sender INBOX = new Sender(AuditEvent.ActorKind.INBOX, "department inbox", false);
    }
}
