package credit.exchange.routes.query;

import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.SubjectAuthorisation;
import credit.exchange.security.audit.AuditEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A record query as a CSV file a person opens in a spreadsheet ({@link CsvExport}): every record
 * the caller may read for the query — the same access decisions and field filter as the JSON
 * answer ({@link LocalQueryService#all}), at most {@link #MAX_ROWS} — one row each. Columns, headed
 * in Chinese ({@link FieldLabels}): the record's own fields that any row shows (every one when there
 * is no row), in the catalogue's order; then each attribute any row shows, by its label; then, if any record came from another
 * node, 来源节点 and 消息编号. Category, class, subject kind and status are words (行政许可, B 授权查询,
 * 法人及非法人组织, 有效); times are Asia/Shanghai. Every export is an audit event (action
 * {@code export}) naming the caller, the query and the number of rows.
 */
public final class RecordExport {

    /** The most rows one export holds; a query that matches more is refused E_EXPORT_TOO_LARGE, never cut short. */
    public static final int MAX_ROWS = 5_000;

    /** The file: its name (for Content-Disposition, ASCII), its bytes, and how many records it holds. */
    public record Exported(String filename, byte[] csv, int rows) {
    }

    private final LocalQueryService queries;
    private final CategoryCatalogue catalogue;
    private final AuditWriter audit;
    private final Clock clock;

    public RecordExport(LocalQueryService queries, CategoryCatalogue catalogue, AuditWriter audit, Clock clock) {
        this.queries = queries;
        this.catalogue = catalogue;
        this.audit = audit;
        this.clock = clock;
    }

    /** Reads, writes and records the export; it is answered only once its audit event is durable. */
    public Exported export(Caller caller, RecordQuery query) {
        RecordPage all = queries.all(caller, query, MAX_ROWS);
        byte[] csv = csv(all);
        int rows = all.records().size() + all.received().size();
        audit.append(List.of(AuditEvent.by(caller, AuditEvent.Action.EXPORT)
                .partner(caller.kind() == Caller.Kind.PARTNER ? caller.name() : null)
                .subject(queries.subjectKey(caller, query).orElse(null)).purpose(query.basis().purpose())
                .authorisation(query.basis().authorisation().map(SubjectAuthorisation::id).orElse(null))
                .outcome(AuditEvent.Outcome.WRITTEN).detail("CSV of records, " + all.query() + ": " + rows + " rows").build()));
        String subject = switch (query.kind()) {
            case USCC -> all.query().substring("uscc ".length());
            case RESIDENT_ID -> "person";
            case NAME_PREFIX -> "name";
        };
        return new Exported("records-" + subject + "-" + CsvExport.fileTime(clock.instant()) + ".csv", csv, rows);
    }

    /** The file of these records (own, then received). */
    byte[] csv(RecordPage all) {
        List<Row> rows = new ArrayList<>();
        all.records().forEach(r -> rows.add(new Row(r, null)));
        all.received().forEach(r -> rows.add(new Row(r.record(), r.source())));
        List<String> header = new ArrayList<>();
        List<Function<Row, String>> cells = new ArrayList<>();
        FieldLabels.recordFields().forEach((field, label) -> {
            // no record at all: the header still says what the file would hold
            if (rows.isEmpty() || rows.stream().anyMatch(row -> own(row, field) != null)) {
                header.add(field.equals("ingestedAt") ? label + CsvExport.ZONE_SHOWN : label);
                cells.add(row -> own(row, field));
            }
        });
        // attribute columns by label (the layouts' prefixes XK_, CF_, MD_ name one item alike), in order of first appearance
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.record().attributes() != null) {
                row.record().attributes().forEach((code, value) -> {
                    if (value != null) {
                        attributes.computeIfAbsent(FieldLabels.label(code), l -> new ArrayList<>()).add(code);
                    }
                });
            }
        }
        attributes.forEach((label, codes) -> {
            header.add(label);
            cells.add(row -> attribute(row, codes));
        });
        if (rows.stream().anyMatch(row -> row.source() != null)) {
            header.add(FieldLabels.sourceFields().get("partner"));
            cells.add(row -> row.source() == null ? "" : row.source().partner());
            header.add(FieldLabels.sourceFields().get("messageId"));
            cells.add(row -> row.source() == null ? "" : row.source().messageId());
        }
        List<List<String>> lines = new ArrayList<>(rows.size());
        for (Row row : rows) {
            lines.add(cells.stream().map(cell -> Objects.toString(cell.apply(row), "")).toList());
        }
        return CsvExport.write(header, lines);
    }

    private record Row(CreditRecord record, ReceivedRecord.Source source) {
    }

    /** A record field as a reader reads it; null where the record (as the caller sees it) has none. */
    private String own(Row row, String field) {
        CreditRecord r = row.record();
        return switch (field) {
            case "id" -> row.source() != null || r.id() == 0 ? null : Long.toString(r.id()); // a received record has no id here
            case "category" -> r.category() == null ? null : catalogue.find(r.category()).map(RecordCategory::nameZh).orElse(r.category());
            case "classification" -> r.classification() == null ? null : FieldLabels.classification(r.classification());
            case "subjectKind" -> r.subjectKind() == null ? null : FieldLabels.subjectKind(r.subjectKind());
            case "partyName" -> r.partyName();
            case "uscc" -> r.uscc();
            case "maskedPersonId" -> r.maskedPersonId();
            case "documentNumber" -> r.documentNumber();
            case "decisionDate" -> Objects.toString(r.decisionDate(), null);
            case "validFrom" -> Objects.toString(r.validFrom(), null);
            case "validUntil" -> Objects.toString(r.validUntil(), null);
            case "publicationEnd" -> Objects.toString(r.publicationEnd(), null);
            case "status" -> r.status() == null ? null : FieldLabels.status(r.status());
            case "authority" -> r.authority();
            case "authorityCode" -> r.authorityCode();
            case "content" -> r.content();
            case "sourceDepartment" -> r.sourceDepartment();
            case "version" -> Integer.toString(r.version());
            case "legacyIdentifier" -> r.legacyIdentifier() == null ? null : FieldLabels.yesNo(r.legacyIdentifier());
            case "ingestedAt" -> r.ingestedAt() == null ? null : CsvExport.time(r.ingestedAt());
            default -> null;
        };
    }

    private static String attribute(Row row, List<String> codes) {
        Map<String, String> attributes = row.record().attributes();
        if (attributes == null) {
            return "";
        }
        return String.join("; ", codes.stream().distinct().map(attributes::get).filter(Objects::nonNull).toList());
    }
}
