package credit.exchange.security.audit;

import java.io.ByteArrayOutputStream;
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
    public AuditRecord at(long position) {
        return new AuditRecord(position, at, node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, messageIds, outcome, latencyMs, detail);
    }

    public byte[] canonical() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeInt(out, FORM);
        writeLong(out, seq);
        writeLong(out, ChronoUnit.MICROS.between(Instant.EPOCH, at));
        for (String field : new String[] {node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, outcome, latencyMs == null ? null : latencyMs.toString(), detail}) {
            writeText(out, field);
        }
        writeInt(out, messageIds.size());
        messageIds.forEach(id -> writeText(out, id));
        return out.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, String value) {
        if (value == null) {
            writeInt(out, -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        writeInt(out, (int) (v >>> 32));
        writeInt(out, (int) v);
    }
}
