package credit.exchange.security.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recomputes an audit chain fed in sequence order and finds its first break, with its kind:
 * <ul>
 *   <li>MODIFIED — an event's content (or its hash) no longer matches;</li>
 *   <li>DELETED — an event is missing (a gap, or later events renumbered over it);</li>
 *   <li>INSERTED — an event that was never chained sits in the chain (later events shifted);</li>
 *   <li>REORDERED — an event sits at another position than the one it was chained at.</li>
 * </ul>
 * After the first anomaly it reads a window of the following events to tell these apart, then
 * stops. It holds no more than that window, so a chain of any length is verified in one pass.
 */
public final class ChainVerifier {

    /** An event as stored: its record (with the stored sequence number), previous hash and hash. */
    public record ChainedRecord(AuditRecord record, byte[] prevHash, byte[] hash) {
        public long seq() {
            return record.seq();
        }
    }

    public enum BreakKind { MODIFIED, DELETED, INSERTED, REORDERED }

    /** The first broken sequence number, what kind of break it is, and why the verifier says so. */
    public record Break(long seq, BreakKind kind, String explanation) {
    }

    /** What a verification found: how many events verified, the last good one, and the first break if any. */
    public record Result(long verified, long lastGoodSeq, byte[] lastGoodHash, Optional<Break> firstBreak) {
        public boolean intact() {
            return firstBreak.isEmpty();
        }
    }

    /** Events read after the first anomaly to tell its kind. */
    static final int WINDOW = 1024;
    /** How many deleted events a renumbered chain is searched for. */
    private static final int MAX_SHIFT = 16;

    private final AuditChain chain;
    private long expectedSeq;
    private byte[] previous;
    private byte[] beforePrevious;
    private long verified;
    private final List<ChainedRecord> window = new ArrayList<>();
    private final java.util.NavigableMap<Long, byte[]> pins = new java.util.TreeMap<>();
    private final long fromSeq;
    private long lastPinMatched;
    private byte[] lastPinHash;
    private Break pinBreak;

    /**
     * @param fromSeq the first sequence number fed
     * @param previousHash the hash of event fromSeq − 1 as trusted ({@link AuditChain#GENESIS} from 1)
     */
    public ChainVerifier(AuditChain chain, long fromSeq, byte[] previousHash) {
        this.chain = chain;
        this.expectedSeq = fromSeq;
        this.previous = previousHash.clone();
        this.beforePrevious = null;
        this.fromSeq = fromSeq;
        this.lastPinMatched = fromSeq - 1;
        this.lastPinHash = previousHash.clone();
    }

    /**
     * A hash the chain must have at this event: a verified checkpoint's. An intact-looking chain
     * that differs there was rewritten, hashes recomputed, after the last checkpoint it matches.
     */
    public void pin(long seq, byte[] hash) {
        pins.put(seq, hash.clone());
    }

    /** Feeds the next stored event; false once the verifier has seen enough (stop feeding, call {@link #finish}). */
    public boolean accept(ChainedRecord r) {
        if (pinBreak != null) {
            return false;
        }
        if (!window.isEmpty()) {
            window.add(r);
            return window.size() < WINDOW;
        }
        if (r.seq() == expectedSeq && Arrays.equals(r.prevHash(), previous) && selfConsistent(r, r.seq())) {
            byte[] pinned = pins.get(r.seq());
            if (pinned != null && !Arrays.equals(pinned, r.hash())) {
                pinBreak = new Break(lastPinMatched + 1, BreakKind.MODIFIED, "events " + (lastPinMatched + 1) + "–" + r.seq()
                        + " were rewritten and their hashes recomputed: the signed checkpoint at " + r.seq() + " holds another hash");
                return false;
            }
            if (pinned != null) {
                lastPinMatched = r.seq();
                lastPinHash = pinned;
            }
            beforePrevious = previous;
            previous = r.hash();
            expectedSeq++;
            verified++;
            return true;
        }
        window.add(r);
        return true;
    }

    public Result finish() {
        if (pinBreak != null) {
            return new Result(pinBreak.seq() - fromSeq, pinBreak.seq() - 1, lastPinHash, Optional.of(pinBreak));
        }
        if (window.isEmpty()) {
            return new Result(verified, expectedSeq - 1, previous, Optional.empty());
        }
        Break first = classify();
        if (first.seq() < expectedSeq) { // the event before the anomaly verified on its own, but is the break
            return new Result(verified - 1, first.seq() - 1, beforePrevious, Optional.of(first));
        }
        return new Result(verified, expectedSeq - 1, previous, Optional.of(first));
    }

    private Break classify() {
        long s = expectedSeq;
        ChainedRecord r = window.get(0);
        ChainedRecord next = window.size() > 1 ? window.get(1) : null;
        if (r.seq() > s) {
            return new Break(s, BreakKind.DELETED, "events " + s + (r.seq() - 1 > s ? "–" + (r.seq() - 1) : "") + " are missing");
        }
        if (Arrays.equals(r.prevHash(), previous)) {
            if (next != null && Arrays.equals(next.prevHash(), previous) && selfConsistent(next, s)) {
                return new Break(s, BreakKind.INSERTED, "event " + s + " was never chained here: the next event follows event " + (s - 1));
            }
            return new Break(s, BreakKind.MODIFIED, "event " + s + " does not match its hash");
        }
        if (beforePrevious != null && Arrays.equals(r.prevHash(), beforePrevious) && selfConsistent(r, s - 1)) {
            return new Break(s - 1, BreakKind.INSERTED, "event " + (s - 1) + " was never chained here: event " + s
                    + " was chained after event " + (s - 2));
        }
        if (selfConsistent(r, s)) {
            return new Break(s - 1, BreakKind.MODIFIED, "event " + (s - 1) + " was changed and given a new hash: event " + s
                    + " was chained after another hash");
        }
        Map<String, Long> known = new HashMap<>();
        known.put(hex(previous), s - 1);
        for (ChainedRecord w : window) {
            known.put(hex(w.hash()), w.seq());
        }
        Long predecessor = known.get(hex(r.prevHash()));
        if (predecessor != null && predecessor + 1 != s && selfConsistent(r, predecessor + 1)) {
            return new Break(s, BreakKind.REORDERED, "event " + s + " was chained at position " + (predecessor + 1));
        }
        for (int shift = 1; shift <= MAX_SHIFT; shift++) {
            if (selfConsistent(r, s + shift)) {
                return new Break(s, BreakKind.DELETED, shift + " event(s) before the one now at " + s + " were removed and the rest renumbered");
            }
        }
        return new Break(s, BreakKind.MODIFIED, "event " + s + " does not match its hash");
    }

    /** Whether the event's stored hash is its content's at this position, after its stored previous hash. */
    private boolean selfConsistent(ChainedRecord r, long position) {
        return r.hash() != null && r.prevHash() != null
                && Arrays.equals(chain.hash(position == r.seq() ? r.record() : r.record().atPosition(position), r.prevHash()), r.hash());
    }

    private static String hex(byte[] b) {
        return b == null ? "" : HexFormat.of().formatHex(b);
    }
}
