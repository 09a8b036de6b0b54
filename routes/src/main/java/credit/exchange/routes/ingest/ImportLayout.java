package credit.exchange.routes.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The column layout of an import file: the national double-publicity data items for licensing
 * (行政许可, prefix XK_) and penalties (行政处罚, prefix CF_), and one generic layout for every
 * other category (lists, commitments, ...; prefix MD_ or none). Column codes are matched
 * without their prefix and case-insensitively, so CSV headers (XK_WSH) and the lower-case JSON
 * keys of public answers (xk_wsh) read the same. docs/import-format.md documents the columns.
 */
public enum ImportLayout {

    LICENSING("XK_", List.of(
            partyColumns(),
            List.of(
                    Column.expected("XKWS", Role.ATTRIBUTE, Kind.TEXT, "decision document name"),
                    Column.mandatory("WSH", Role.DOCUMENT_NUMBER, Kind.TEXT, "document number"),
                    Column.expected("XKLB", Role.ATTRIBUTE, Kind.TEXT, "licence category"),
                    Column.optional("XKZS", Role.ATTRIBUTE, Kind.TEXT, "certificate name"),
                    Column.optional("XKBH", Role.ATTRIBUTE, Kind.TEXT, "licence number"),
                    Column.expected("NR", Role.CONTENT, Kind.TEXT, "content"),
                    Column.mandatory("JDRQ", Role.DECISION_DATE, Kind.DATE, "decision date"),
                    Column.expected("YXQZ", Role.VALID_FROM, Kind.DATE, "valid from"),
                    Column.expected("YXQZI", Role.VALID_UNTIL, Kind.DATE, "valid until"),
                    Column.mandatory("XKJG", Role.AUTHORITY, Kind.TEXT, "licensing authority"),
                    Column.expected("XKJGDM", Role.AUTHORITY_CODE, Kind.USCC, "licensing authority's USCC"),
                    Column.optional("ZT", Role.ATTRIBUTE, Kind.TEXT, "status"),
                    Column.expected("LYDW", Role.SOURCE_UNIT, Kind.TEXT, "data source unit"),
                    Column.expected("LYDWDM", Role.SOURCE_UNIT_CODE, Kind.USCC, "data source unit's USCC"),
                    Column.optional("BZ", Role.ATTRIBUTE, Kind.TEXT, "remarks")))),

    PENALTY("CF_", List.of(
            partyColumns(),
            List.of(
                    Column.mandatory("WSH", Role.DOCUMENT_NUMBER, Kind.TEXT, "document number"),
                    Column.expected("WFXW", Role.ATTRIBUTE, Kind.TEXT, "kind of violation"),
                    Column.expected("SY", Role.ATTRIBUTE, Kind.TEXT, "facts"),
                    Column.expected("YJ", Role.ATTRIBUTE, Kind.TEXT, "legal basis"),
                    Column.expected("CFLB", Role.ATTRIBUTE, Kind.TEXT, "penalty category"),
                    Column.expected("NR", Role.CONTENT, Kind.TEXT, "content"),
                    Column.optional("NR_FK", Role.ATTRIBUTE, Kind.AMOUNT, "fine (10,000 yuan)"),
                    Column.optional("NR_WFFF", Role.ATTRIBUTE, Kind.AMOUNT, "confiscated amount (10,000 yuan)"),
                    Column.optional("NR_ZKDX", Role.ATTRIBUTE, Kind.TEXT, "licence suspended or revoked"),
                    Column.mandatory("JDRQ", Role.DECISION_DATE, Kind.DATE, "decision date"),
                    Column.expected("YXQ", Role.VALID_UNTIL, Kind.DATE, "penalty valid until"),
                    Column.expected("GSJZQ", Role.PUBLICATION_END, Kind.DATE, "publication end date"),
                    Column.mandatory("CFJG", Role.AUTHORITY, Kind.TEXT, "penalising authority"),
                    Column.expected("CFJGDM", Role.AUTHORITY_CODE, Kind.USCC, "penalising authority's USCC"),
                    Column.expected("SJLY", Role.SOURCE_UNIT, Kind.TEXT, "data source unit"),
                    Column.expected("SJLYDM", Role.SOURCE_UNIT_CODE, Kind.USCC, "data source unit's USCC"),
                    Column.optional("BZ", Role.ATTRIBUTE, Kind.TEXT, "remarks")))),

    GENERIC("MD_", List.of(
            partyColumns(),
            List.of(
                    Column.mandatory("WSH", Role.DOCUMENT_NUMBER, Kind.TEXT, "document number"),
                    Column.expected("LB", Role.ATTRIBUTE, Kind.TEXT, "list or measure type"),
                    Column.expected("YJ", Role.ATTRIBUTE, Kind.TEXT, "legal basis"),
                    Column.expected("NR", Role.CONTENT, Kind.TEXT, "content"),
                    Column.optional("YZCD", Role.ATTRIBUTE, Kind.TEXT, "severity (minor, general, serious)"),
                    Column.mandatory("JDRQ", Role.DECISION_DATE, Kind.DATE, "decision or listing date"),
                    Column.optional("YXQ", Role.VALID_UNTIL, Kind.DATE, "valid until"),
                    Column.expected("GSJZQ", Role.PUBLICATION_END, Kind.DATE, "publication end date"),
                    Column.mandatory("RDJG", Role.AUTHORITY, Kind.TEXT, "deciding authority"),
                    Column.expected("RDJGDM", Role.AUTHORITY_CODE, Kind.USCC, "deciding authority's USCC"),
                    Column.expected("SJLY", Role.SOURCE_UNIT, Kind.TEXT, "data source unit"),
                    Column.expected("SJLYDM", Role.SOURCE_UNIT_CODE, Kind.USCC, "data source unit's USCC"),
                    Column.optional("BZ", Role.ATTRIBUTE, Kind.TEXT, "remarks"))));

    /** How strongly a column is asked for: mandatory rejects the row; expected counts toward completeness. */
    enum Need { MANDATORY, EXPECTED, OPTIONAL }

    /** The value shape a column must have. */
    enum Kind { TEXT, DATE, AMOUNT, USCC }

    /** A column of the layout; {@code index} is its position in {@link #columns()}, which rows are indexed by. */
    record Column(String code, Role role, Need need, Kind kind, String meaning, int index) {
        static Column mandatory(String code, Role role, Kind kind, String meaning) {
            return new Column(code, role, Need.MANDATORY, kind, meaning, -1);
        }

        static Column expected(String code, Role role, Kind kind, String meaning) {
            return new Column(code, role, Need.EXPECTED, kind, meaning, -1);
        }

        static Column optional(String code, Role role, Kind kind, String meaning) {
            return new Column(code, role, Need.OPTIONAL, kind, meaning, -1);
        }

        Column at(int position) {
            return new Column(code, role, need, kind, meaning, position);
        }
    }

    private final String prefix;
    private final List<Column> columns;
    private final Map<String, Column> byCode;

    ImportLayout(String prefix, List<List<Column>> groups) {
        this.prefix = prefix;
        List<Column> all = groups.stream().flatMap(List::stream).toList();
        this.columns = java.util.stream.IntStream.range(0, all.size()).mapToObj(i -> all.get(i).at(i)).toList();
        this.byCode = columns.stream().collect(Collectors.toUnmodifiableMap(Column::code, Function.identity()));
    }

    public static ImportLayout named(String layout) {
        return valueOf(layout.toUpperCase(Locale.ROOT));
    }

    List<Column> columns() {
        return columns;
    }

    /** The layout's column for a header as written in a file, if the layout has one. */
    Optional<Column> column(String header) {
        String code = header.strip().replace("\uFEFF", "").toUpperCase(Locale.ROOT);
        if (code.startsWith(prefix)) {
            code = code.substring(prefix.length());
        }
        return Optional.ofNullable(byCode.get(code));
    }

    /** The column code as files write it (with the layout's prefix, except remarks). */
    String headerOf(Column column) {
        return column.code().equals("BZ") ? "BZ" : prefix + column.code();
    }

    private static List<Column> partyColumns() {
        return List.of(
                Column.mandatory("XDR_MC", Role.PARTY_NAME, Kind.TEXT, "party name"),
                Column.mandatory("XDR_LB", Role.PARTY_KIND, Kind.TEXT, "party kind (法人及非法人组织 / 自然人 / 个体工商户)"),
                Column.optional("XDR_SHXYM", Role.USCC, Kind.TEXT, "party's unified social credit code"),
                Column.optional("XDR_GSZC", Role.REGISTRATION_NUMBER, Kind.TEXT, "business registration number"),
                Column.optional("XDR_ZZJG", Role.ORGANIZATION_CODE, Kind.TEXT, "organisation code"),
                Column.optional("XDR_SWDJ", Role.ATTRIBUTE, Kind.TEXT, "tax registration number"),
                Column.optional("XDR_SYDW", Role.ATTRIBUTE, Kind.TEXT, "public institution certificate number"),
                Column.optional("XDR_SHZZ", Role.ATTRIBUTE, Kind.TEXT, "social organisation registration number"),
                Column.optional("FRDB", Role.LEGAL_REPRESENTATIVE, Kind.TEXT, "legal representative"),
                Column.optional("FR_ZJLX", Role.REPRESENTATIVE_ID_TYPE, Kind.TEXT, "representative's ID type"),
                Column.optional("FR_ZJHM", Role.REPRESENTATIVE_ID_NUMBER, Kind.TEXT, "representative's ID number"),
                Column.optional("XDR_ZJLX", Role.PARTY_ID_TYPE, Kind.TEXT, "party's ID type"),
                Column.optional("XDR_ZJHM", Role.PARTY_ID_NUMBER, Kind.TEXT, "party's ID number"));
    }
}
