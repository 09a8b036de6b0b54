package credit.exchange.routes.audit;

import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.security.Classification;
import credit.exchange.security.access.Caller;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An officer's search of the audit trail as a CSV file ({@link CsvExport}): every event matching
 * the criteria in the range, newest first as the console lists them, at most {@link #MAX_ROWS}
 * (more is refused E_EXPORT_TOO_LARGE: a shorter range or more criteria; the evidence bundle
 * carries any number). Columns headed in Chinese ({@link FieldLabels#auditFields}); times in
 * Asia/Shanghai, the zone named in the header; the decision and the class in words. The export is
 * an audit event (action {@code export}) naming the officer, the criteria and the number of rows.
 */
public final class AuditExport {

    /** The most events one CSV export holds. */
    public static final int MAX_ROWS = 10_000;

    /** The file: its name, its bytes, and how many events it holds. */
    public record Exported(String filename, byte[] csv, int rows) {
    }

    private final AuditSearch search;
    private final AuditWriter writer;
    private final String node;

    public AuditExport(AuditSearch search, AuditWriter writer, String node) {
        this.search = search;
        this.writer = writer;
        this.node = node;
    }

    /** Reads every matching event (a page at a time), writes the file and records the export before it is answered. */
    public Exported export(Caller officer, AuditSearch.Criteria criteria) {
        long total = search.count(criteria);
        if (total > MAX_ROWS) {
            throw CsvExport.tooLarge(total, MAX_ROWS, "a shorter time range, or a partner, subject, action or decision;"
                    + " the evidence bundle holds any number");
        }
        List<AuditRecord> events = new ArrayList<>();
        Optional<Long> before = Optional.empty();
        do {
            AuditSearch.Page page = search.search(criteria, before, AuditSearch.MAX_PAGE);
            events.addAll(page.events());
            before = Optional.ofNullable(page.nextBefore());
        } while (before.isPresent() && events.size() <= MAX_ROWS);
        if (events.size() > MAX_ROWS) {
            throw CsvExport.tooLarge(events.size(), MAX_ROWS, "events were added while it was read; a shorter time range");
        }
        byte[] csv = csv(events);
        writer.append(List.of(AuditEvent.by(officer, AuditEvent.Action.EXPORT).outcome(AuditEvent.Outcome.WRITTEN)
                .detail("CSV of audit events " + criteria + ": " + events.size() + " rows").build()));
        return new Exported("audit-" + node + "-" + CsvExport.fileTime(criteria.from()) + "-" + CsvExport.fileTime(criteria.to()) + ".csv",
                csv, events.size());
    }

    /** The file of these events. */
    static byte[] csv(List<AuditRecord> events) {
        List<String> header = new ArrayList<>();
        FieldLabels.auditFields().forEach((field, label) -> header.add(field.equals("at") ? label + CsvExport.ZONE_SHOWN : label));
        List<List<String>> rows = new ArrayList<>(events.size());
        for (AuditRecord e : events) {
            rows.add(row(e));
        }
        return CsvExport.write(header, rows);
    }

    /** An event's cells, in the order of {@link FieldLabels#auditFields}. */
    private static List<String> row(AuditRecord e) {
        List<String> cells = new ArrayList<>();
        for (String field : FieldLabels.auditFields().keySet()) {
            cells.add(switch (field) {
                case "seq" -> Long.toString(e.seq());
                case "at" -> CsvExport.time(e.at());
                case "actorKind" -> e.actorKind();
                case "actor" -> e.actor();
                case "partner" -> e.partner();
                case "action" -> e.action();
                case "exchangeType" -> AuditSearch.exchangeType(e);
                case "subjectKey" -> e.subjectKey();
                case "classification" -> classification(e.classification());
                case "dataset" -> e.dataset();
                case "decisions" -> String.join("; ", e.decisionTexts());
                case "purpose" -> e.purpose();
                case "authorisationId" -> e.authorisationId();
                case "decision" -> FieldLabels.decision(e.decision());
                case "reason" -> e.reason();
                case "messageIds" -> String.join(" ", e.messageIds());
                case "outcome" -> e.outcome();
                case "latencyMs" -> Objects.toString(e.latencyMs(), "");
                case "detail" -> e.detail();
                default -> "";
            });
        }
        return cells.stream().map(c -> c == null ? "" : c).toList();
    }

    private static String classification(String c) {
        try {
            return c == null ? "" : FieldLabels.classification(Classification.valueOf(c));
        } catch (IllegalArgumentException e) {
            return c;
        }
    }
}
