package credit.exchange.routes.delivery;

/**
 * What a partner delivery carries, and so which {@link Courier} makes its attempts: the outbox's
 * {@code kind} column. {@code payload_ref} names what is carried, per kind.
 */
public enum DeliveryKind {
    /** A record version to the nation (push mode) or handed to a pulling province (pull mode); payload: its {@code record_id}. */
    PUBLICITY,
    /** An alliance notice (联合奖惩, 互认, 修复, 异议) to one partner; payload: the notice id. */
    NOTICE,
    /** One of our signed audit checkpoints to a partner for its countersignature; payload: the checkpoint's sequence number. */
    CHECKPOINT,
    /** This node's pulls from one partner's outbox: one row per partner, never final; payload: {@link #PULL_REF}. */
    PULL;

    /** The payload reference of a {@link #PULL} row: there is one per partner pulled from. */
    public static final String PULL_REF = "pull";
}
