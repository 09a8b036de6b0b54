package credit.exchange.routes.delivery;

/**
 * Where a partner delivery stands: the outbox's {@code state} column (docs/operations.md,
 * "Outbox"). DELIVERED and ACKNOWLEDGED are final; DEAD is final until an operator replays it.
 */
public enum DeliveryState {
    /** Written, due at once. */
    READY,
    /** Its trigger is on the broker (or its attempt holds it); relayed again if that is overdue. */
    QUEUED,
    /** Pull mode: handed to the partner, not acknowledged yet; handed out again after the visibility timeout. */
    PULLED,
    /** An attempt failed; due again after the retry policy's pause. */
    RETRY_WAIT,
    /** The partner answered with its signed receipt. */
    DELIVERED,
    /** Pull mode: the partner acknowledged it with its signed receipt of the batch. */
    ACKNOWLEDGED,
    /** The retry policy is spent, with the last error; waits for an operator's replay. */
    DEAD;

    /** Whether no attempt follows without an operator: DELIVERED, ACKNOWLEDGED, DEAD. */
    public boolean isFinal() {
        return this == DELIVERED || this == ACKNOWLEDGED || this == DEAD;
    }

    /** Whether it reached its partner: DELIVERED or ACKNOWLEDGED. */
    public boolean reached() {
        return this == DELIVERED || this == ACKNOWLEDGED;
    }
}
