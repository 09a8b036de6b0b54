package credit.exchange.bench;

import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.ReplayGuard;
import java.time.Clock;
import java.time.Instant;

/**
 * The production {@link InMemoryReplayGuard}, replaced by a fresh one when the benchmark starts
 * its ring of pre-sealed envelopes again. Every id is therefore new to the guard that sees it
 * (the real map insertion is paid on every open), and a replay inside one lap still fails the
 * benchmark with E_REPLAY instead of being measured as a refusal.
 */
final class RotatingReplayGuard implements ReplayGuard {

    private final Clock clock;
    private InMemoryReplayGuard current;

    RotatingReplayGuard(Clock clock) {
        this.clock = clock;
        this.current = new InMemoryReplayGuard(clock);
    }

    /** Forget every id: the next lap of the ring may present them again. */
    void startLap() {
        current = new InMemoryReplayGuard(clock);
    }

    @Override
    public boolean firstSeen(String sender, String messageId, Instant forgetAfter) {
        return current.firstSeen(sender, messageId, forgetAfter);
    }
}
