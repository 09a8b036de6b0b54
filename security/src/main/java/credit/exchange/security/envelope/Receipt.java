package credit.exchange.security.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * Non-repudiation of receipt, as in AS4: the receiving node signs what it received — the
 * message id, the digest of the exact envelope bytes, when, and whether it accepted them.
 *
 * @param messageId       the received message's id (from its headers; for an envelope that
 *                        could not be opened, the id the transport named, or "unknown")
 * @param sender          the node that sent the message
 * @param receiver        the node that received it and signs this receipt
 * @param digestAlgorithm {@code SHA-256} (INTL) or {@code SM3} (GM)
 * @param digest          digest of the exact bytes received
 * @param receivedAt      when the receiver took the bytes
 * @param status          {@code ACCEPTED}, or the error code the receiver refused it with
 */
public record Receipt(String messageId, String sender, String receiver, String digestAlgorithm, byte[] digest,
                      Instant receivedAt, String status) {

    public static final String ACCEPTED = "ACCEPTED";

    public Receipt {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(status, "status");
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    public boolean accepted() {
        return ACCEPTED.equals(status);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && messageId.equals(r.messageId) && sender.equals(r.sender) && receiver.equals(r.receiver)
                && digestAlgorithm.equals(r.digestAlgorithm) && java.util.Arrays.equals(digest, r.digest)
                && receivedAt.equals(r.receivedAt) && status.equals(r.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, sender, receiver, java.util.Arrays.hashCode(digest), receivedAt, status);
    }
}
