package credit.exchange.routes.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * One partner delivery's state and its transitions, in one place: each takes the time from the
 * caller (the injected clock, passed on into SQL) and answers the delivery after it, with the
 * attempt it records, if any. A transition the state does not allow is an
 * {@link IllegalStateException}: a bug, not an outcome.
 *
 * @param attempts every attempt made, across replays (the outbox's {@code attempts})
 * @param retryBase the attempts made before the last replay: a round counts from there
 * @param lastError the error code of the last failed attempt, or null
 */
public record Delivery(DeliveryState state, int attempts, int retryBase, Instant nextAttemptAt, String lastError) {

    /** An attempt as outbox_attempt keeps it: its number, its time, {@code OK} or the error code. */
    public record Attempt(int number, Instant at, String outcome) {
        public static final String OK = "OK";
    }

    /** A transition's result: the delivery after it, and the attempt it records. */
    public record Step(Delivery after, Optional<Attempt> attempt) {
    }

    /** A new delivery, due at {@code now}. */
    public static Delivery ready(Instant now) {
        return new Delivery(DeliveryState.READY, 0, 0, now, null);
    }

    /** Whether an attempt may be made at {@code now}: QUEUED, or READY or RETRY_WAIT whose time has come. */
    public boolean dueAt(Instant now) {
        return state == DeliveryState.QUEUED
                || ((state == DeliveryState.READY || state == DeliveryState.RETRY_WAIT) && !nextAttemptAt.isAfter(now));
    }

    /** Push: its trigger was handed to the broker; relayed again after {@code requeueAfter} if no attempt follows. */
    public Step queued(Instant now, Duration requeueAfter) {
        require(state == DeliveryState.READY || state == DeliveryState.RETRY_WAIT || state == DeliveryState.QUEUED, "queued");
        return new Step(new Delivery(DeliveryState.QUEUED, attempts, retryBase, now.plus(requeueAfter), lastError), Optional.empty());
    }

    /** The partner answered (push, notice, checkpoint: DELIVERED) or acknowledged (pull mode: ACKNOWLEDGED). */
    public Step succeeded(Instant now, DeliveryState reached) {
        require(reached.reached(), "succeeded as " + reached);
        require(dueAt(now) || state == DeliveryState.PULLED, "succeeded");
        int number = attempts + 1;
        return new Step(new Delivery(reached, number, retryBase, now, null), Optional.of(new Attempt(number, now, Attempt.OK)));
    }

    /**
     * A standing delivery (this node's pulls from a partner) did its work: READY again from
     * {@code at}, a new round of the policy from here (failures before a success do not count).
     * A turn that worked is no attempt to keep: only failed turns are counted and recorded, so
     * that a province pulling every second does not grow the attempts' history without end.
     */
    public Step again(Instant now, Instant at) {
        require(dueAt(now), "again");
        return new Step(new Delivery(DeliveryState.READY, attempts, attempts, at, null), Optional.empty());
    }

    /** The attempt failed with {@code code}: RETRY_WAIT for the policy's pause, or DEAD when the round is spent. */
    public Step failed(Instant now, String code, RetryPolicy policy, DoubleSupplier random) {
        require(dueAt(now), "failed");
        int number = attempts + 1;
        int inRound = number - retryBase;
        Delivery after = policy.spentAfter(inRound)
                ? new Delivery(DeliveryState.DEAD, number, retryBase, Instant.MAX, code)
                : new Delivery(DeliveryState.RETRY_WAIT, number, retryBase, now.plus(policy.pauseAfter(inRound, random)), code);
        return new Step(after, Optional.of(new Attempt(number, now, code)));
    }

    /** An operator sends a DEAD delivery again: READY at once, with a new round of the policy. */
    public Step replayed(Instant now) {
        require(state == DeliveryState.DEAD, "replayed");
        return new Step(new Delivery(DeliveryState.READY, attempts, attempts, now, lastError), Optional.empty());
    }

    private void require(boolean allowed, String transition) {
        if (!allowed) {
            throw new IllegalStateException("a delivery in state " + state + " cannot be " + transition);
        }
    }
}
