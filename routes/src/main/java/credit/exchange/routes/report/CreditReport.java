package credit.exchange.routes.report;

import java.time.Instant;
import java.util.List;

/**
 * The alliance credit report (信用报告) of one subject, as issued: what a partner city or a
 * department hands on to decide an approval, a tender, an award or a loan. It holds this node's
 * records and, when asked for, the alliance partners' answers (the mutual query), each entry
 * labelled with its source; filtered by the caller's classes exactly as the records API is.
 * Sections follow the city credit plan's record types; every field carries its Chinese label
 * ({@link credit.exchange.routes.model.FieldLabels}). The PDF ({@link ReportPdf}) and the JSON answer
 * render this one value.
 *
 * @param number the report number (报告编号) the verification endpoint knows it by
 * @param node the issuing node
 * @param nodeName the issuing node's name as readers are told it
 * @param issuedAt when it was issued
 * @param purpose the purpose the caller gave (查询用途)
 * @param issuedTo who asked for it, as the audit trail names them
 * @param classesShown the classes of record the caller may read, which the report shows (e.g. "A", "A,B")
 * @param verificationUrl where anyone checks the report by its number (the QR code's content)
 */
public record CreditReport(String number, String node, String nodeName, Instant issuedAt, String purpose, String issuedTo,
                           Subject subject, String classesShown, List<Section> sections, List<PartnerOutcome> partners,
                           List<String> notes, String verificationUrl) {

    public CreditReport {
        sections = List.copyOf(sections);
        partners = List.copyOf(partners);
        notes = List.copyOf(notes);
    }

    /** Who the report is about: a legal person by USCC, or a natural person shown by masked ID number only. */
    public record Subject(String kindZh, String name, String uscc, String maskedPersonId) {
    }

    /**
     * One section (报告章节): a record type of the plan, with its entries; {@code emptyNote} says
     * why a section without entries is empty (no record, or not readable by the caller).
     */
    public record Section(String code, String titleZh, String titleEn, List<Entry> entries, String emptyNote) {
        public Section {
            entries = List.copyOf(entries);
        }
    }

    /** One record (or status line) of a section, with where it came from and its labelled fields in reading order. */
    public record Entry(Source source, List<Field> fields) {
        public Entry {
            fields = List.copyOf(fields);
        }
    }

    /**
     * Where an entry came from: this node's store, or a partner's signed answer to the mutual query
     * (its message id, the time it was signed, and that its signature verified).
     */
    public record Source(String node, String nameZh, boolean local, String messageId, Instant answeredAt, boolean signatureVerified) {
        public static Source local(String node, String nameZh) {
            return new Source(node, nameZh, true, null, null, true);
        }
    }

    /** A field as a reader sees it: its Chinese label and its value as text. */
    public record Field(String labelZh, String value) {
    }

    /** How one partner's part of the mutual query ended (答复情况): answered, denied, failed, timed out, and why. */
    public record PartnerOutcome(String node, String nameZh, String outcome, String code, String message, String messageId,
                                 Instant answeredAt, int records) {
    }
}
