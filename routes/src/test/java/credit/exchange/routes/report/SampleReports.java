package credit.exchange.routes.report;

import credit.exchange.routes.model.FieldLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Credit reports for the rendering and signature tests: Chinese sections, a local and a partner entry, values that wrap. */
final class SampleReports {

    static final String NUMBER = "HZ-20261207-000042";
    static final String USCC = "91330100716105852F";
    static final String DOCUMENT_NUMBER = "杭市监罚处〔2026〕1234号";
    static final String HUZHOU = "湖州市公共信用信息平台";
    static final String HUZHOU_MESSAGE = "5f0c2d1e-7a3b-4c5d-9e8f-0123456789ab";
    static final Instant ISSUED = Instant.parse("2026-12-07T07:04:05Z");
    static final String LONG_LATIN = "The licence covers the import, storage and wholesale distribution of pharmaceutical products "
            + "across the Yangtze River Delta, under reference ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ";
    static final String LONG_CHINESE = "当事人在经营过程中未按规定履行信息公示义务，经责令改正后仍未改正，违反了《企业信息公示暂行条例》"
            + "第十条的规定，依据第十八条对其作出警告并处罚款的行政处罚决定，当事人已于规定期限内缴纳罚款并完成整改。";

    private SampleReports() {
    }

    /** A report of three pages or more: every section of the plan, penalties from here and from Huzhou. */
    static CreditReport threePages() {
        CreditReport.Source local = CreditReport.Source.local("hangzhou", "杭州市公共信用信息平台");
        CreditReport.Source huzhou = new CreditReport.Source("huzhou", HUZHOU, false, HUZHOU_MESSAGE,
                Instant.parse("2026-12-07T07:04:03Z"), true);
        List<CreditReport.Section> sections = new ArrayList<>();
        sections.add(new CreditReport.Section("registration", "基本信息", "Registration", List.of(new CreditReport.Entry(local, List.of(
                field("partyName", "杭州示例医药有限公司"), field("uscc", USCC), field("FRDB", "王小明"),
                field("authority", "杭州市市场监督管理局"), field("status", "存续（在营、开业、在册）")))), ""));
        List<CreditReport.Entry> licences = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            licences.add(new CreditReport.Entry(i % 2 == 0 ? huzhou : local, List.of(field("documentNumber", "浙药许〔2026〕" + (100 + i) + "号"),
                    field("XK_XKLB", "普通"), field("XK_XKZS", "药品经营许可证"), field("decisionDate", "2026-0" + (i % 9 + 1) + "-15"),
                    field("content", i == 1 ? LONG_LATIN : LONG_CHINESE), field("authority", "浙江省药品监督管理局"))));
        }
        sections.add(new CreditReport.Section("licensing", "行政许可", "Licensing", licences, ""));
        List<CreditReport.Entry> penalties = new ArrayList<>();
        penalties.add(new CreditReport.Entry(local, List.of(field("documentNumber", DOCUMENT_NUMBER), field("CF_CFLB", "警告；罚款"),
                field("CF_NR_FK", "2.5"), field("CF_SY", LONG_CHINESE + LONG_CHINESE), field("decisionDate", "2026-03-02"))));
        penalties.add(new CreditReport.Entry(huzhou, List.of(field("documentNumber", "湖市监罚〔2026〕77号"), field("CF_CFLB", "罚款"),
                field("CF_SY", LONG_CHINESE), field("authority", "湖州市市场监督管理局"))));
        sections.add(new CreditReport.Section("penalty", "行政处罚", "Penalties", penalties, ""));
        sections.add(new CreditReport.Section("red-list", "红名单", "Red list", List.of(), "无记录"));
        sections.add(new CreditReport.Section("black-list", "黑名单", "Black list", List.of(), "无记录"));
        sections.add(new CreditReport.Section("commitment", "信用承诺", "Commitments", List.of(), "查询人无权查看此类信息（需数据主体授权）"));
        return new CreditReport(NUMBER, "hangzhou", "杭州市公共信用信息平台", ISSUED, "政府采购资格审查", "officer-zhang（杭州市发展和改革委员会）",
                new CreditReport.Subject("法人及非法人组织", "杭州示例医药有限公司", USCC, null), "A,B",
                sections, List.of(new CreditReport.PartnerOutcome("huzhou", HUZHOU, "ANSWERED", null, null, HUZHOU_MESSAGE,
                        Instant.parse("2026-12-07T07:04:03Z"), 4),
                        new CreditReport.PartnerOutcome("jiaxing", "嘉兴市公共信用信息平台", "TIMED_OUT", "E_TIMEOUT",
                                "the partner did not answer within 5000 ms", "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6", null, 0)),
                List.of("本报告仅反映出具时联盟各节点所存公共信用信息，不构成对主体的信用评价。", "扫描右上角二维码或访问核验地址，可核验本报告的真实性与完整性。"),
                "https://hangzhou.credit.example/verify/reports/" + NUMBER);
    }

    private static CreditReport.Field field(String name, String value) {
        return new CreditReport.Field(FieldLabels.label(name), value);
    }
}
