package credit.exchange.security.envelope;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ReplayGuard} for one process: ids expire at their forget time, swept as new ones arrive. */
public final class InMemoryReplayGuard implements ReplayGuard {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Instant nextSweep = Instant.MIN;

    public InMemoryReplayGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String sender, String messageId, Instant forgetAfter) {
        Instant now = clock.instant();
        if (now.isAfter(nextSweep)) {
            seen.values().removeIf(until -> until.isBefore(now));
            nextSweep = now.plusSeconds(60);
        }
        Instant previous = seen.putIfAbsent(sender + '\u0000' + messageId, forgetAfter);
        return previous == null || previous.isBefore(now);
    }
}
