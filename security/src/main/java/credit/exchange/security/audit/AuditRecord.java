package credit.exchange.security.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One audit event as the chain covers it: every field that says what happened, in a fixed order.
 * {@link #canonical} is the byte form the hash is computed over, the same on every machine and in
 * every bundle: the sequence number, then each field as a 4-byte length (−1 for none) and its
 * UTF-8 bytes, the time as microseconds since the epoch, the message ids as a counted list.
 */
public record AuditRecord(long seq, Instant at, String node, String actorKind, String actor, String partner, String action,
                          String subjectKey, String classification, String dataset, String purpose, String authorisationId,
                          String decision, String reason, List<String> messageIds, String outcome, Integer latencyMs,
                          String detail) {

    /** Version of the canonical form; part of the bytes, so that a future form cannot be mistaken for this one. */
    public static final int FORM = 1;

    public AuditRecord {
        messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
    }

    /** The same event at another position in the chain. */
    public AuditRecord atPosition(long position) {
        return new AuditRecord(position, at, node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, messageIds, outcome, latencyMs, detail);
    }

    /**
     * The same event as a node's chain holds it: at this position, named by the node, its time
     * to the microsecond (what the database keeps, and the canonical form counts in).
     */
    public AuditRecord placed(long position, String chainNode) {
        return new AuditRecord(position, at.truncatedTo(ChronoUnit.MICROS), chainNode, actorKind, actor, partner, action, subjectKey,
                classification, dataset, purpose, authorisationId, decision, reason, messageIds, outcome, latencyMs, detail);
    }

    public byte[] canonical() {
        Bytes out = new Bytes();
        out.writeInt(FORM);
        out.writeLong(seq);
        out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, at));
        for (String field : new String[] {node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, outcome, latencyMs == null ? null : latencyMs.toString(), detail}) {
            out.writeText(field);
        }
        out.writeInt(messageIds.size());
        messageIds.forEach(out::writeText);
        return out.toByteArray();
    }

    /** A growing byte array, unsynchronised: the canonical form is built for every event verified. */
    private static final class Bytes {
        private byte[] buffer = new byte[256];
        private int size;

        void writeText(String value) {
            if (value == null) {
                writeInt(-1);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeInt(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        void writeInt(int v) {
            ensure(4);
            buffer[size++] = (byte) (v >>> 24);
            buffer[size++] = (byte) (v >>> 16);
            buffer[size++] = (byte) (v >>> 8);
            buffer[size++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buffer, size);
        }
    }
}
