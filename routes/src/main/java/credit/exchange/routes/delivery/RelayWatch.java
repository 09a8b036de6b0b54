package credit.exchange.routes.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the outbox relay is stuck in a send to the broker. Artemis blocks producers, without a
 * timeout, when its journal disk or a delivery address is full (address-full-policy BLOCK): the
 * records keep arriving and wait in PostgreSQL, nothing is lost, but nothing leaves either. A
 * send that has waited longer than {@link #BLOCKED_AFTER} is reported — on readiness (the node
 * still answers, so it stays ready), as the gauge {@code gateway_outbox_relay_blocked_seconds} and
 * once in the log — so that an operator hears of a full broker before a partner's deadline does.
 *
 * <p>Thread-safe: the relay marks its sends, readers ask from any thread.
 */
public final class RelayWatch {

    /** A send that takes longer than this is the broker blocking, not the network. */
    public static final Duration BLOCKED_AFTER = Duration.ofSeconds(10);

    private final Clock clock;
    private volatile Instant sendingSince;

    public RelayWatch(Clock clock) {
        this.clock = clock;
    }

    void sending() {
        sendingSince = clock.instant();
    }

    void sent() {
        sendingSince = null;
    }

    /** How long the current send has waited, if longer than {@link #BLOCKED_AFTER}. */
    public Optional<Duration> blockedFor() {
        Instant since = sendingSince;
        if (since == null) {
            return Optional.empty();
        }
        Duration waiting = Duration.between(since, clock.instant());
        return waiting.compareTo(BLOCKED_AFTER) > 0 ? Optional.of(waiting) : Optional.empty();
    }
}
