package credit.exchange.routes.model;

import java.util.Optional;

/** Whom a credit record is about, as the double-publicity data item 行政相对人类别 names it. */
public enum SubjectKind {
    /** 法人及非法人组织 (including 个体工商户): identified by unified social credit code. */
    LEGAL_PERSON,
    /** 自然人: identified by resident ID number, which is never stored in the clear. */
    NATURAL_PERSON;

    /** Reads the party kind as departments write it. */
    public static Optional<SubjectKind> fromDepartmentLabel(String label) {
        return switch (label.strip()) {
            case "法人及非法人组织", "法人", "非法人组织", "个体工商户", "LEGAL_PERSON" -> Optional.of(LEGAL_PERSON);
            case "自然人", "NATURAL_PERSON" -> Optional.of(NATURAL_PERSON);
            default -> Optional.empty();
        };
    }
}
