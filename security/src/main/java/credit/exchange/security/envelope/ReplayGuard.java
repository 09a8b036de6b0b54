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

    /**
     * As {@link #firstSeen(String, String, Instant)}, keeping with the id the digest of what the
     * sender signed under it ({@link ReplayedEnvelopeException#signedDigest()}), so that a second
     * envelope with the id can be told apart: the same signed message sent again, or another one.
     */
    default boolean firstSeen(String sender, String messageId, Instant forgetAfter, byte[] signedDigest) {
        return firstSeen(sender, messageId, forgetAfter);
    }
}
