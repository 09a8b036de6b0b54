package credit.exchange.security.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One audit event as the chain covers it: every field that says what happened, in a fixed order.
 * {@link #canonical} is the byte form the hash is computed over, the same on every machine and in
 * every bundle: the form, the sequence number, the time as microseconds since the epoch, then each
 * field as a 4-byte length (−1 for none) and its UTF-8 bytes, the message ids as a counted list;
 * an event that carries per-dataset decisions (a query's one access event) is of form 2, which
 * appends them as a counted list of four fields each.
 */
public record AuditRecord(long seq, Instant at, String node, String actorKind, String actor, String partner, String action,
                          String subjectKey, String classification, String dataset, String purpose, String authorisationId,
                          String decision, String reason, List<String> messageIds, String outcome, Integer latencyMs,
                          String detail, List<DatasetDecision> decisions) {

    /** Version of the canonical form of an event without per-dataset decisions; part of the bytes. */
    public static final int FORM = 1;

    /** Version of the canonical form of an event with per-dataset decisions: form 1's bytes, then the decisions. */
    public static final int FORM_WITH_DECISIONS = 2;

    /**
     * One access decision inside a query's event: the dataset, its class (A, B, C), ALLOW or DENY,
     * and the reason (the disclosure shown, e.g. {@code FIELDS partyName,content}, or the
     * refusal's code). Its text form, stored with the event, is the four separated by single
     * spaces; the first three are words without white space, the reason is the rest of the line.
     */
    public record DatasetDecision(String dataset, String classification, String decision, String reason) {

        public DatasetDecision {
            if (!word(dataset) || !word(classification) || !word(decision)) {
                throw new IllegalArgumentException("a dataset decision names its dataset, class and decision in one word each: "
                        + dataset + " " + classification + " " + decision);
            }
            if (reason == null || reason.isEmpty() || reason.indexOf('\n') >= 0 || reason.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a dataset decision's reason is one line: " + reason);
            }
        }

        /** Non-empty, without white space (checked for every decision the verification reads: a loop, not a stream). */
        private static boolean word(String text) {
            if (text == null || text.isEmpty()) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (Character.isWhitespace(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Dataset, class, decision and reason, space separated: what the trail stores and exports. */
        public String text() {
            return dataset + " " + classification + " " + decision + " " + reason;
        }

        /** The decision of its {@link #text()}; IllegalArgumentException if it is not one. */
        public static DatasetDecision parse(String text) {
            String[] w = text.split(" ", 4);
            if (w.length != 4) {
                throw new IllegalArgumentException("a dataset decision is a dataset, a class, a decision and a reason: " + text);
            }
            return new DatasetDecision(w[0], w[1], w[2], w[3]);
        }

        public boolean allowed() {
            return "ALLOW".equals(decision);
        }
    }

    public AuditRecord {
        messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /** An event without per-dataset decisions (every event but a query's access event). */
    public AuditRecord(long seq, Instant at, String node, String actorKind, String actor, String partner, String action,
                       String subjectKey, String classification, String dataset, String purpose, String authorisationId,
                       String decision, String reason, List<String> messageIds, String outcome, Integer latencyMs, String detail) {
        this(seq, at, node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose, authorisationId, decision,
                reason, messageIds, outcome, latencyMs, detail, List.of());
    }

    /** The decisions' text forms, in order (what the trail's {@code decisions} column holds). */
    public List<String> decisionTexts() {
        return decisions.stream().map(DatasetDecision::text).toList();
    }

    /** The same event at another position in the chain. */
    public AuditRecord atPosition(long position) {
        return new AuditRecord(position, at, node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, messageIds, outcome, latencyMs, detail, decisions);
    }

    /**
     * The same event as a node's chain holds it: at this position, named by the node, its time
     * to the microsecond (what the database keeps, and the canonical form counts in).
     */
    public AuditRecord placed(long position, String chainNode) {
        return new AuditRecord(position, at.truncatedTo(ChronoUnit.MICROS), chainNode, actorKind, actor, partner, action, subjectKey,
                classification, dataset, purpose, authorisationId, decision, reason, messageIds, outcome, latencyMs, detail, decisions);
    }

    public byte[] canonical() {
        Bytes out = new Bytes();
        out.writeInt(decisions.isEmpty() ? FORM : FORM_WITH_DECISIONS);
        out.writeLong(seq);
        out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, at));
        for (String field : new String[] {node, actorKind, actor, partner, action, subjectKey, classification, dataset, purpose,
                authorisationId, decision, reason, outcome, latencyMs == null ? null : latencyMs.toString(), detail}) {
            out.writeText(field);
        }
        out.writeInt(messageIds.size());
        messageIds.forEach(out::writeText);
        if (!decisions.isEmpty()) {
            out.writeInt(decisions.size());
            for (DatasetDecision d : decisions) {
                out.writeText(d.dataset());
                out.writeText(d.classification());
                out.writeText(d.decision());
                out.writeText(d.reason());
            }
        }
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
