package credit.exchange.routes.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Chinese label of every field a reader is shown (字段中文名): a credit record's own fields,
 * and the national double-publicity data items its attributes keep under their GB column codes
 * (XK_XKLB, CF_NR_FK, MD_YZCD, ...). One catalogue for every place a person reads a record: the
 * credit report, CSV exports, the console. A code it does not know is shown as the code.
 */
public final class FieldLabels {

    /** A credit record's own fields, in the order a reader is shown them. */
    private static final Map<String, String> RECORD = new LinkedHashMap<>();
    /** Attribute columns, by their code without the layout's prefix (XK_, CF_, MD_). */
    private static final Map<String, String> ATTRIBUTES = Map.ofEntries(
            Map.entry("XKWS", "行政许可决定文书名称"), Map.entry("XKLB", "许可类别"), Map.entry("XKZS", "许可证书名称"),
            Map.entry("XKBH", "许可编号"), Map.entry("ZT", "当前状态"), Map.entry("BZ", "备注"),
            Map.entry("WFXW", "违法行为类型"), Map.entry("SY", "违法事实"), Map.entry("YJ", "依据"), Map.entry("CFLB", "处罚类别"),
            Map.entry("NR_FK", "罚款金额（万元）"), Map.entry("NR_WFFF", "没收违法所得、没收非法财物的金额（万元）"),
            Map.entry("NR_ZKDX", "暂扣或吊销证照名称及编号"), Map.entry("LB", "类别"), Map.entry("YZCD", "严重程度"),
            Map.entry("XDR_SWDJ", "税务登记号"), Map.entry("XDR_SYDW", "事业单位证书号"), Map.entry("XDR_SHZZ", "社会组织登记证号"),
            Map.entry("XDR_GSZC", "工商注册号"), Map.entry("XDR_ZZJG", "组织机构代码"), Map.entry("FRDB", "法定代表人"),
            Map.entry("FR_ZJLX", "法定代表人证件类型"), Map.entry("FR_ZJHM", "法定代表人证件号码"),
            Map.entry("XDR_ZJLX", "证件类型"), Map.entry("XDR_ZJHM", "证件号码"),
            Map.entry("XDR_LB", "行政相对人类别"), Map.entry("LYDW", "数据来源单位名称"), Map.entry("LYDWDM", "数据来源单位统一社会信用代码"));

    static {
        RECORD.put("id", "记录编号");
        RECORD.put("category", "信用信息类别");
        RECORD.put("classification", "公开类别");
        RECORD.put("subjectKind", "主体类型");
        RECORD.put("partyName", "主体名称");
        RECORD.put("uscc", "统一社会信用代码");
        RECORD.put("maskedPersonId", "身份证件号码（已脱敏）");
        RECORD.put("documentNumber", "决定文书号");
        RECORD.put("decisionDate", "决定日期");
        RECORD.put("validFrom", "有效期自");
        RECORD.put("validUntil", "有效期至");
        RECORD.put("publicationEnd", "公示截止期");
        RECORD.put("status", "状态");
        RECORD.put("authority", "决定机关");
        RECORD.put("authorityCode", "决定机关统一社会信用代码");
        RECORD.put("content", "内容");
        RECORD.put("sourceDepartment", "数据来源单位");
        RECORD.put("version", "版本");
        RECORD.put("legacyIdentifier", "使用旧代码");
        RECORD.put("ingestedAt", "入库时间");
    }

    private FieldLabels() {
    }

    /** The record's own fields (their JSON names) with their labels, in reading order. */
    public static Map<String, String> recordFields() {
        return java.util.Collections.unmodifiableMap(RECORD);
    }

    /** The label of a record field (its JSON name), or of an attribute column (with or without its layout prefix). */
    public static String label(String field) {
        String own = RECORD.get(field);
        if (own != null) {
            return own;
        }
        String code = field.toUpperCase(Locale.ROOT);
        String known = ATTRIBUTES.get(code);
        if (known == null && code.length() > 3 && code.charAt(2) == '_') {
            known = ATTRIBUTES.get(code.substring(3)); // XK_XKLB, CF_NR_FK, MD_YZCD
        }
        return known == null ? field : known;
    }

    /** A status as a reader is told it. */
    public static String status(RecordStatus status) {
        return status == null ? "" : switch (status) {
            case ACTIVE -> "有效";
            case REPAIRED -> "已信用修复";
            case WITHDRAWN -> "已撤回";
            case UNDER_OBJECTION -> "异议处理中";
        };
    }

    /** A class as a reader is told it: A 公开, B 授权查询, C 部门共享. */
    public static String classification(credit.exchange.security.Classification c) {
        return c == null ? "" : c.name() + " " + switch (c) {
            case A -> "公开";
            case B -> "授权查询";
            case C -> "部门共享";
        };
    }

    /** A subject's kind as a reader is told it. */
    public static String subjectKind(SubjectKind kind) {
        return kind == null ? "" : switch (kind) {
            case LEGAL_PERSON -> "法人及非法人组织";
            case NATURAL_PERSON -> "自然人";
        };
    }

    /** Where a record another node handed this one came from: its source's fields (JSON names) with their labels. */
    public static Map<String, String> sourceFields() {
        return SOURCE;
    }

    /**
     * An audit event's fields (their JSON names, as the console's API answers them) with their
     * labels, in reading order; {@code exchangeType} is the type of an exchange's event.
     */
    public static Map<String, String> auditFields() {
        return java.util.Collections.unmodifiableMap(AUDIT);
    }

    /** An access decision (ALLOW, DENY) as a reader is told it; anything else as it is. */
    public static String decision(String decision) {
        return decision == null ? "" : switch (decision) {
            case "ALLOW" -> "允许";
            case "DENY" -> "拒绝";
            default -> decision;
        };
    }

    /** A yes-or-no field (legacyIdentifier) as a reader is told it. */
    public static String yesNo(Boolean value) {
        return value == null ? "" : value ? "是" : "否";
    }

    private static final Map<String, String> SOURCE = Map.of("partner", "来源节点", "messageId", "消息编号");
    private static final Map<String, String> AUDIT = new LinkedHashMap<>();

    static {
        AUDIT.put("seq", "序号");
        AUDIT.put("at", "时间");
        AUDIT.put("actorKind", "操作者类型");
        AUDIT.put("actor", "操作者");
        AUDIT.put("partner", "伙伴节点");
        AUDIT.put("action", "操作");
        AUDIT.put("exchangeType", "交换类型");
        AUDIT.put("subjectKey", "主体");
        AUDIT.put("classification", "类别");
        AUDIT.put("dataset", "数据集");
        AUDIT.put("decisions", "各数据集决定");
        AUDIT.put("purpose", "目的");
        AUDIT.put("authorisationId", "授权编号");
        AUDIT.put("decision", "决定");
        AUDIT.put("reason", "原因");
        AUDIT.put("messageIds", "消息编号");
        AUDIT.put("outcome", "结果");
        AUDIT.put("latencyMs", "耗时（毫秒）");
        AUDIT.put("detail", "详情");
    }
}
