package credit.exchange.routes.delivery;

import credit.exchange.routes.partner.Partner;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one retry policy of partner deliveries: after the n-th failure of a round the next attempt
 * waits {@code first} × 2^(n−1), at most {@code cap}, less a random jitter of up to
 * {@code jitter} of it (deliveries that failed together do not come back together); after
 * {@code attempts} failures in a round the delivery is DEAD.
 *
 * @param attempts failures in a round before DEAD ({@link #UNBOUNDED}: never)
 * @param jitter the share of a pause that may be taken off at random, in [0, 1)
 */
public record RetryPolicy(int attempts, Duration first, Duration cap, double jitter) {

    public static final int UNBOUNDED = Integer.MAX_VALUE;
    public static final double DEFAULT_JITTER = 0.2;

    public RetryPolicy {
        if (attempts < 1 || first.isNegative() || cap.compareTo(first) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("a retry policy needs attempts ≥ 1, 0 ≤ first ≤ cap and 0 ≤ jitter < 1");
        }
    }

    /** A partner file's policy (its {@code push.retry}), with the default jitter. */
    public static RetryPolicy of(Partner.DeliveryRetry retry) {
        return new RetryPolicy(retry.attempts(), retry.firstBackoff(), retry.maxBackoff(), DEFAULT_JITTER);
    }

    /** Whether the {@code failures}-th failure of a round ends it DEAD. */
    public boolean spentAfter(int failures) {
        return attempts != UNBOUNDED && failures >= attempts;
    }

    /** The exponential pause after the {@code failures}-th failure of a round, capped, before jitter. */
    public Duration pauseAfter(int failures) {
        Duration pause = first;
        for (int i = 1; i < failures && pause.compareTo(cap) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(cap) > 0 ? cap : pause;
    }

    /** The pause after the {@code failures}-th failure of a round, with a random jitter. */
    public Duration nextPause(int failures) {
        return pauseAfter(failures, ThreadLocalRandom.current()::nextDouble);
    }

    /** As {@link #pauseAfter(int)}, less {@code jitter} × a draw of {@code random} in [0, 1) of it. */
    public Duration pauseAfter(int failures, DoubleSupplier random) {
        Duration pause = pauseAfter(failures);
        double draw = Math.min(Math.max(random.getAsDouble(), 0), 1);
        return pause.minusNanos((long) (pause.toNanos() * jitter * draw));
    }
}
