package credit.exchange.routes.delivery;

import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@link DeliveryKind} sends and what counts as done: the engine claims the due
 * deliveries (leased to the attempt, committed), asks the kind's courier for one attempt each
 * with no transaction open, and records what it answers in one transaction. A courier makes
 * exchanges (each one attempt, {@code PartnerClient}); it never retries, sleeps or writes the
 * outbox.
 */
public interface Courier {

    DeliveryKind kind();

    /** The retry policy of this kind's deliveries to a partner (absent: one no longer configured). */
    RetryPolicy policy(Optional<Partner> partner);

    /** At most so many of this kind's deliveries in one trigger, and so in one call of {@link #attempt}. */
    int batch(Optional<Partner> partner);

    /**
     * One attempt for each of {@code due} (all to {@code partner}, all of this kind; a publicity
     * batch goes in one exchange). Returns each delivery's result by id; a delivery left out failed
     * with {@code E_UNAVAILABLE}. What the courier keeps of an answer (a notice's answer, a
     * countersignature) it returns as the result's {@link Keep}, which the engine writes in the
     * transaction that records the delivery's state: both commit or neither.
     */
    Map<Long, Result> attempt(Partner partner, List<Due> due);

    /** What a reached delivery keeps of the partner's answer, written in the transaction that records it. */
    @FunctionalInterface
    interface Keep {
        Keep NOTHING = c -> { };

        void in(Connection c) throws SQLException;
    }

    /** One delivery's attempt, for {@link #eachInTurn}: its result, or a {@link CodedException} when the exchange failed. */
    @FunctionalInterface
    interface Each {
        Result attempt(Due due);
    }

    /**
     * One exchange per delivery, in order; after a failed exchange (the partner is down, or answers
     * nothing usable) the trigger's other deliveries are not tried: they fail with the same code,
     * and come again with the next round of the policy.
     */
    static Map<Long, Result> eachInTurn(List<Due> due, Each each) {
        Map<Long, Result> out = new java.util.HashMap<>();
        Failed partnerDown = null;
        for (Due d : due) {
            if (partnerDown == null) {
                try {
                    out.put(d.id(), each.attempt(d));
                } catch (CodedException failedExchange) {
                    partnerDown = new Failed(failedExchange.code(), failedExchange.getMessage());
                    out.put(d.id(), partnerDown);
                }
            } else {
                out.put(d.id(), partnerDown);
            }
        }
        return out;
    }

    /** A delivery claimed for an attempt. */
    record Due(long id, String destination, String payloadRef, Long recordId, java.time.LocalDate deadline, Delivery delivery) {
    }

    /** What an attempt came to. */
    sealed interface Result permits Reached, Failed, Again {
    }

    /**
     * The partner answered with its signed receipt (its message id kept as the delivery's
     * evidence): DELIVERED, with what is kept of the answer.
     */
    record Reached(String receiptRef, Keep keep) implements Result {
        public Reached(String receiptRef) {
            this(receiptRef, Keep.NOTHING);
        }
    }

    /** The attempt failed with a code: RETRY_WAIT after the kind's policy's pause, or DEAD when the policy is spent. */
    record Failed(ErrorCode code, String message) implements Result {
    }

    /** A standing delivery ({@link DeliveryKind#PULL}) did its work and is due again at {@code at}. */
    record Again(Instant at) implements Result {
    }
}
