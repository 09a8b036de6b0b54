package credit.exchange.routes.model;

/** Where a credit record stands. Repair and withdrawal are final for that version. */
public enum RecordStatus {
    ACTIVE,
    /** 信用修复: repaired; no longer served to partners. */
    REPAIRED,
    /** Withdrawn by its source department. */
    WITHDRAWN,
    /** 异议处理: a subject's objection is being handled. */
    UNDER_OBJECTION
}
