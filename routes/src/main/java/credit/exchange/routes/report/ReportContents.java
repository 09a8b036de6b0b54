package credit.exchange.routes.report;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.mutualquery.MergedAnswer;
import credit.exchange.routes.query.ReceivedRecord;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.query.Withheld;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Classification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Builds a credit report's content from what the caller may read: this node's records (the pages of
 * the local query, with the records partners handed this node), the alliance partners' answers, and
 * the enterprise's mutual recognition. Sections follow the city credit plan's record types: basic
 * information (登记信息), then one per dataset of the catalogue in the plan's order, the objections in
 * progress and the mutual recognition status. Pure: no database, no clock.
 */
final class ReportContents {

    /** The plan's order of record types; datasets the catalogue adds later follow, by code. */
    private static final List<String> PLAN_ORDER = List.of("licensing", "penalty", "redlist", "blacklist", "commitment",
            "judgment-debtor", "tax", "social-insurance");

    /** Who issues the report, and what it says of itself. */
    record Heading(String number, String node, String nodeName, Instant issuedAt, String purpose, String issuedTo, String verificationUrl) {
    }

    /** Who the report is about: a USCC, or a person's masked ID number. */
    record Subject(String uscc, String maskedPersonId) {
    }

    private final CategoryCatalogue catalogue;
    /** A partner's node id → its name as readers are told it (the Chinese name of its partner file). */
    private final UnaryOperator<String> partnerNames;

    ReportContents(CategoryCatalogue catalogue, UnaryOperator<String> partnerNames) {
        this.catalogue = catalogue;
        this.partnerNames = partnerNames;
    }

    CreditReport build(Heading heading, Subject subject, RecordPage local, Optional<MergedAnswer> alliance,
                       Optional<JsonNode> recognition) {
        Map<String, List<CreditReport.Entry>> byDataset = new LinkedHashMap<>();
        List<CreditRecord> all = new ArrayList<>();
        TreeSet<String> readable = new TreeSet<>();
        CreditReport.Source here = CreditReport.Source.local(heading.node(), heading.nodeName());
        readable.addAll(local.datasets());
        for (CreditRecord r : local.records()) {
            add(byDataset, r, here, all);
        }
        for (ReceivedRecord r : local.received()) {
            ReceivedRecord.Source s = r.source();
            add(byDataset, r.record(), new CreditReport.Source(s.partner(), partnerNames.apply(s.partner()), false, s.messageId(),
                    s.receivedAt(), true), all);
        }
        List<CreditReport.PartnerOutcome> partners = new ArrayList<>();
        alliance.ifPresent(answer -> {
            for (MergedAnswer.PartnerResult p : answer.partners()) {
                partners.add(new CreditReport.PartnerOutcome(p.node(), partnerNames.apply(p.node()), p.outcome().name(), p.code(),
                        p.message(), p.answerMessageId(), p.answeredAt(), p.records()));
            }
            for (MergedAnswer.ReceivedRecord r : answer.records()) {
                add(byDataset, r.record(), new CreditReport.Source(r.node(), partnerNames.apply(r.node()), false, r.answerMessageId(),
                        r.answeredAt(), r.signatureVerified()), all);
            }
        });

        List<CreditReport.Section> sections = new ArrayList<>();
        sections.add(basics(subject, all, readable, here));
        for (RecordCategory category : inPlanOrder()) {
            List<CreditReport.Entry> entries = byDataset.getOrDefault(category.code(), List.of());
            sections.add(new CreditReport.Section(category.code(), category.nameZh(), category.nameEn(), entries,
                    readable.contains(category.code()) ? "无记录" : "未显示：查询人无权查看此类信息"));
        }
        sections.add(objections(all, here));
        if (subject.uscc() != null) {
            sections.add(recognition(recognition, here));
        }
        List<String> notes = new ArrayList<>();
        for (Withheld w : local.withheld()) {
            notes.add("本节点另有 " + w.records() + " 条记录未在本报告中显示：" + w.reason() + "（" + w.code() + "）");
        }
        notes.add("已修复、已撤回或公示期满的记录不在本报告中展示。");
        notes.add("本报告由 " + heading.nodeName() + "（" + heading.node() + "）出具并以其节点证书签名；报告编号 " + heading.number()
                + "，可扫码或访问 " + heading.verificationUrl() + " 核验，或运行 gatewayctl report verify。");
        String kind = subject.uscc() != null ? "法人及非法人组织" : "自然人";
        String name = all.stream().map(CreditRecord::partyName).filter(n -> n != null && !n.isBlank()).findFirst().orElse("");
        return new CreditReport(heading.number(), heading.node(), heading.nodeName(), heading.issuedAt(), heading.purpose(),
                heading.issuedTo(), new CreditReport.Subject(kind, name, subject.uscc(), subject.maskedPersonId()),
                classes(readable), sections, partners, notes, heading.verificationUrl());
    }

    /** The classes of the datasets the report covers, e.g. "A,B". */
    String classes(java.util.Collection<String> datasets) {
        TreeSet<String> classes = new TreeSet<>();
        for (String d : datasets) {
            catalogue.find(d).map(RecordCategory::classification).map(Classification::name).ifPresent(classes::add);
        }
        return String.join(",", classes);
    }

    private List<RecordCategory> inPlanOrder() {
        List<RecordCategory> ordered = new ArrayList<>();
        PLAN_ORDER.forEach(code -> catalogue.find(code).ifPresent(ordered::add));
        catalogue.all().stream().filter(c -> !PLAN_ORDER.contains(c.code())).sorted(java.util.Comparator.comparing(RecordCategory::code))
                .forEach(ordered::add);
        return ordered;
    }

    private static void add(Map<String, List<CreditReport.Entry>> byDataset, CreditRecord r, CreditReport.Source source,
                            List<CreditRecord> all) {
        all.add(r);
        byDataset.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(new CreditReport.Entry(source, fields(r)));
    }

    /** A record's fields as a reader is shown them: labelled in Chinese, in reading order, empty ones left out. */
    static List<CreditReport.Field> fields(CreditRecord r) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("partyName", r.partyName());
        values.put("uscc", r.uscc());
        values.put("maskedPersonId", r.maskedPersonId());
        values.put("documentNumber", r.documentNumber());
        values.put("decisionDate", text(r.decisionDate()));
        values.put("validFrom", text(r.validFrom()));
        values.put("validUntil", text(r.validUntil()));
        values.put("publicationEnd", text(r.publicationEnd()));
        values.put("status", r.status() == null ? null : FieldLabels.status(r.status()));
        values.put("authority", r.authority());
        values.put("authorityCode", r.authorityCode());
        values.put("content", r.content());
        values.put("sourceDepartment", r.sourceDepartment());
        values.put("classification", r.classification() == null ? null : FieldLabels.classification(r.classification()));
        values.put("version", r.version() > 0 ? Integer.toString(r.version()) : null);
        values.put("id", r.id() > 0 ? Long.toString(r.id()) : null);
        List<CreditReport.Field> fields = new ArrayList<>();
        values.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                fields.add(new CreditReport.Field(FieldLabels.label(name), value));
            }
        });
        if (r.attributes() != null) {
            r.attributes().forEach((code, value) -> {
                if (value != null && !value.isBlank()) {
                    fields.add(new CreditReport.Field(FieldLabels.label(code), value));
                }
            });
        }
        return fields;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private CreditReport.Section basics(Subject subject, List<CreditRecord> all, TreeSet<String> readable, CreditReport.Source here) {
        List<CreditReport.Field> fields = new ArrayList<>();
        all.stream().map(CreditRecord::partyName).filter(n -> n != null && !n.isBlank()).findFirst()
                .ifPresent(n -> fields.add(new CreditReport.Field(FieldLabels.label("partyName"), n)));
        if (subject.uscc() != null) {
            fields.add(new CreditReport.Field(FieldLabels.label("uscc"), subject.uscc()));
            fields.add(new CreditReport.Field(FieldLabels.label("subjectKind"), "法人及非法人组织"));
        } else {
            fields.add(new CreditReport.Field(FieldLabels.label("maskedPersonId"), subject.maskedPersonId()));
            fields.add(new CreditReport.Field(FieldLabels.label("subjectKind"), "自然人"));
        }
        fields.add(new CreditReport.Field("本报告涵盖的信息类别", readable.stream()
                .map(d -> catalogue.find(d).map(c -> c.nameZh() + "（" + FieldLabels.classification(c.classification()) + "）").orElse(d))
                .reduce((a, b) -> a + "、" + b).orElse("无")));
        fields.add(new CreditReport.Field("记录条数", Integer.toString(all.size())));
        return new CreditReport.Section("basic", "主体基本信息", "Subject", List.of(new CreditReport.Entry(here, fields)), "");
    }

    /** Records whose subject's objection is being handled (异议处理中): the rest of a repair leaves no record to show. */
    private CreditReport.Section objections(List<CreditRecord> all, CreditReport.Source here) {
        List<CreditReport.Entry> entries = new ArrayList<>();
        for (CreditRecord r : all) {
            if (r.status() == RecordStatus.UNDER_OBJECTION) {
                entries.add(new CreditReport.Entry(here, List.of(
                        new CreditReport.Field(FieldLabels.label("category"), catalogue.find(r.category()).map(RecordCategory::nameZh)
                                .orElse(r.category())),
                        new CreditReport.Field(FieldLabels.label("documentNumber"), r.documentNumber() == null ? "" : r.documentNumber()),
                        new CreditReport.Field(FieldLabels.label("status"), FieldLabels.status(r.status())))));
            }
        }
        return new CreditReport.Section("objections", "异议与信用修复", "Objections and credit repair", entries,
                "无正在处理的异议或信用修复");
    }

    private static CreditReport.Section recognition(Optional<JsonNode> status, CreditReport.Source here) {
        if (status.isEmpty()) {
            return new CreditReport.Section("recognition", "守信激励互认状态", "Mutual recognition", List.of(), "本节点未记录互认情况");
        }
        JsonNode s = status.get();
        String standing = switch (s.path("status").asText("NONE")) {
            case "IN_FORCE" -> "互认有效";
            case "WITHDRAWN" -> "已撤销";
            case "EXPIRED" -> "已过期";
            default -> "未获推荐";
        };
        List<CreditReport.Field> fields = new ArrayList<>(List.of(new CreditReport.Field("互认状态", standing)));
        int nominations = s.path("nominations").size();
        if (nominations > 0) {
            fields.add(new CreditReport.Field("推荐次数", Integer.toString(nominations)));
            String until = "";
            for (JsonNode n : s.path("nominations")) {
                until = n.path("validUntil").asText("").compareTo(until) > 0 ? n.path("validUntil").asText() : until;
            }
            if (!until.isEmpty()) {
                fields.add(new CreditReport.Field("有效期至", until));
            }
        }
        if (s.has("withdrawn")) {
            fields.add(new CreditReport.Field("撤销原因", s.path("withdrawn").path("reason").asText("")));
        }
        return new CreditReport.Section("recognition", "守信激励互认状态", "Mutual recognition", List.of(new CreditReport.Entry(here, fields)), "");
    }
}
