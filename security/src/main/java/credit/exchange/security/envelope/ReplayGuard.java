package credit.exchange.security.envelope;

import java.time.Instant;

/**
 * Remembers message ids so that a replayed envelope is refused. Ids are remembered until
 * {@code forgetAfter} (twice the freshness window after signing: older messages are refused as
 * stale anyway). The routes module backs this with PostgreSQL; {@link InMemoryReplayGuard} serves
 * the CLI and tests.
 */
public interface ReplayGuard {

    /** Records the id; false if this sender's id was already recorded and not yet forgotten. */
    boolean firstSeen(String sender, String messageId, Instant forgetAfter);
}
