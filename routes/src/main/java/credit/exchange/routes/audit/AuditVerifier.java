package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.ChainVerifier.ChainedRecord;
import credit.exchange.security.audit.ChainVerifier;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Verification of the audit trail: recomputes the chain from its start (or the last purge) to its
 * head in one snapshot, pins it to the signed checkpoints and checks partners' countersignatures of
 * them; reading and hashing run on two threads.
 */
public final class AuditVerifier {

    private final Database database;
    private final String node;
    private final AuditChain chain;

    public AuditVerifier(AuditStore store) {
        this.database = store.database();
        this.node = store.node();
        this.chain = store.hashChain();
    }

    /**
     * What a verification found, with the head it was compared against, how many signed
     * checkpoints pinned the chain (the last of them), where it started (after the last purge, at
     * the earliest), and what was wrong with any checkpoint (a signature that does
     * not verify, a statement that does not match its row); checkpoints are not checked without
     * the node's envelopes to verify them with.
     */
    public record Verification(ChainVerifier.Result result, Optional<AuditStore.Head> head, long pending, int checkpoints, long lastCheckpoint,
                               List<String> checkpointProblems, java.util.SortedMap<String, Integer> countersignedBy, long fromSeq) {
        public boolean intact() {
            return result.intact() && checkpointProblems.isEmpty();
        }
    }

    private static final int FETCH = 10_000;
    private static final int VERIFY_BATCH = 2_000;
    private static final ExecutorService VERIFIERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "audit-verifier");
        t.setDaemon(true);
        return t;
    });
    /** Each partner's countersignature of a checkpoint: its signature, its signer, and the very same statement. */
    private static void countersignatures(Connection c, SignatureCheck trust, Checkpoint checkpoint, java.util.Map<String, Integer> by,
                                          List<String> problems) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner, signed from audit_countersignature where seq = ? order by partner")) {
            ps.setLong(1, checkpoint.seq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String partner = rs.getString(1);
                    try {
                        Checkpoint countersigned = trust.verify(rs.getBytes(2), partner);
                        if (!java.util.Arrays.equals(countersigned.statement(), checkpoint.statement())) {
                            problems.add("checkpoint " + checkpoint.seq() + ": " + partner + "'s countersignature is of another statement");
                        } else {
                            by.merge(partner, 1, Integer::sum);
                        }
                    } catch (CodedException e) {
                        problems.add("checkpoint " + checkpoint.seq() + ": " + partner + "'s countersignature: " + e.code() + " " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * Recomputes the chain from {@code fromSeq} (1: the whole chain; later: from the stored hash of
     * the event before it) to its end, in one pass, and compares its end with the head: events
     * removed from the end show as DELETED there.
     */
    public Verification verify(long fromSeq) {
        return verify(fromSeq, Optional.empty());
    }

    /** As {@link #verify(long)}, with the signed checkpoints at or after fromSeq verified and pinned. */
    public Verification verify(long fromSeq, Optional<Envelopes> trust) {
        return verifyChecking(fromSeq, trust.<SignatureCheck>map(t -> (signed, signer) -> Checkpoint.verify(t, signed, signer)));
    }

    /**
     * As {@link #verify(long, Optional)}, the checkpoints checked by the alliance CA certificates and
     * CRLs alone, as an officer checks them without the node's keys.
     */
    public Verification verifyOffline(long fromSeq, StatementVerifier trust) {
        return verifyChecking(fromSeq, Optional.of((signed, signer) -> Checkpoint.verify(trust, signed, signer)));
    }

    /** How a signed checkpoint or countersignature is checked: its signature, and that the signer is the node named. */
    private interface SignatureCheck {
        Checkpoint verify(byte[] signed, String signer);
    }

    private Verification verifyChecking(long fromSeq, Optional<SignatureCheck> trust) {
        try (Connection c = database.connection()) {
            // one snapshot: the head, the checkpoints and the events streamed are of the same moment, so that the events
            // recomputed end at the head reported, while events go on being chained (the pool resets the level on return)
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            c.setAutoCommit(false); // a cursor: the chain is streamed, not held
            Optional<AuditStore.Head> head = AuditStore.head(c);
            AuditChain chainOfHead = head.map(h -> AuditChain.named(h.algorithm())).orElse(chain);
            String chainNode = head.map(AuditStore.Head::node).orElse(node);
            byte[] previous = AuditChain.GENESIS;
            List<String> problems = new ArrayList<>();
            Optional<AuditRetention.Purge> purge = AuditRetention.lastPurge(c);
            if (purge.isPresent() && fromSeq <= purge.get().throughSeq() + 1) {
                // the events up to the purge are in its archive: the chain here starts from the hash the purge kept,
                // which the signed checkpoint at that event must hold
                fromSeq = purge.get().throughSeq() + 1;
                previous = purge.get().throughHash();
                if (trust.isPresent()) {
                    purgeProblem(c, trust.get(), chainNode, purge.get()).ifPresent(problems::add);
                }
            } else if (fromSeq > 1) {
                try (PreparedStatement ps = c.prepareStatement("select hash from audit_event where seq = ?")) {
                    ps.setLong(1, fromSeq - 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new CodedException(ErrorCode.E_NOT_FOUND, "no chained event " + (fromSeq - 1) + " to start after");
                        }
                        previous = rs.getBytes(1);
                    }
                }
            }
            ChainVerifier verifier = new ChainVerifier(chainOfHead, fromSeq, previous);
            int pinned = 0;
            long lastPinned = 0;
            java.util.SortedMap<String, Integer> countersignedBy = new java.util.TreeMap<>();
            if (trust.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("select seq, head_hash, signed from audit_checkpoint where seq >= ? order by seq")) {
                    ps.setLong(1, fromSeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long seq = rs.getLong(1);
                            try {
                                Checkpoint cp = trust.get().verify(rs.getBytes(3), chainNode);
                                if (cp.seq() != seq || !java.util.Arrays.equals(cp.headHash(), rs.getBytes(2))
                                        || !cp.algorithm().equals(chainOfHead.algorithm())) {
                                    problems.add("checkpoint " + seq + ": its signed statement does not match its row");
                                    continue;
                                }
                                verifier.pin(seq, cp.headHash());
                                pinned++;
                                lastPinned = seq;
                                countersignatures(c, trust.get(), cp, countersignedBy, problems);
                            } catch (CodedException e) {
                                problems.add("checkpoint " + seq + ": " + e.code() + " " + e.getMessage());
                            }
                        }
                    }
                }
            }
            // reading rows and hashing them take about as long each: one thread reads, another verifies
            BlockingQueue<List<ChainedRecord>> batches = new ArrayBlockingQueue<>(16);
            AtomicBoolean enough = new AtomicBoolean();
            Future<?> hashing = VERIFIERS.submit(() -> {
                for (List<ChainedRecord> batch = take(batches); !batch.isEmpty(); batch = take(batches)) {
                    for (ChainedRecord r : batch) {
                        if (!enough.get() && !verifier.accept(r)) {
                            enough.set(true);
                        }
                    }
                }
                return null;
            });
            try (PreparedStatement ps = c.prepareStatement("select " + AuditStore.COLUMNS + ", prev_hash, hash from audit_event"
                    + " where seq >= ? order by seq")) {
                ps.setFetchSize(FETCH);
                ps.setLong(1, fromSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ChainedRecord> batch = new ArrayList<>(VERIFY_BATCH);
                    while (!enough.get() && rs.next()) {
                        batch.add(new ChainedRecord(AuditStore.record(rs, rs.getLong(1), chainNode),
                                rs.getBytes(AuditStore.PREV_HASH_COLUMN), rs.getBytes(AuditStore.PREV_HASH_COLUMN + 1)));
                        if (batch.size() == VERIFY_BATCH) {
                            put(batches, batch);
                            batch = new ArrayList<>(VERIFY_BATCH);
                        }
                    }
                    if (!batch.isEmpty()) {
                        put(batches, batch);
                    }
                }
            } finally {
                put(batches, List.of());
            }
            try {
                hashing.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the verification was interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException("the verifier failed", e.getCause());
            }
            ChainVerifier.Result result = verifier.finish();
            if (result.intact() && head.isPresent() && head.get().seq() > result.lastGoodSeq()) {
                long missing = result.lastGoodSeq() + 1;
                result = new ChainVerifier.Result(result.verified(), result.lastGoodSeq(), result.lastGoodHash(), Optional.of(
                        new ChainVerifier.Break(missing, ChainVerifier.BreakKind.DELETED, "the chain ends at " + result.lastGoodSeq()
                                + " but its head is event " + head.get().seq() + ": events " + missing + "–" + head.get().seq()
                                + " are missing")));
            }
            if (result.intact() && lastPinned > result.lastGoodSeq()) {
                long missing = result.lastGoodSeq() + 1;
                result = new ChainVerifier.Result(result.verified(), result.lastGoodSeq(), result.lastGoodHash(), Optional.of(
                        new ChainVerifier.Break(missing, ChainVerifier.BreakKind.DELETED, "the chain ends at " + result.lastGoodSeq()
                                + " but a signed checkpoint holds event " + lastPinned)));
            }
            long pending;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from audit_event where seq is null")) {
                rs.next();
                pending = rs.getLong(1);
            }
            c.commit();
            return new Verification(result, head, pending, pinned, lastPinned, problems, countersignedBy, fromSeq);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
    }

    /** What is wrong with the purge's start, if anything: its hash must be the one the signed checkpoint at that event holds. */
    private static Optional<String> purgeProblem(Connection c, SignatureCheck trust, String chainNode, AuditRetention.Purge purge) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select signed from audit_checkpoint where seq = ?")) {
            ps.setLong(1, purge.throughSeq());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of("the purge through event " + purge.throughSeq() + " has no signed checkpoint to start from");
                }
                Checkpoint cp = trust.verify(rs.getBytes(1), chainNode);
                if (cp.seq() != purge.throughSeq() || !java.util.Arrays.equals(cp.headHash(), purge.throughHash())) {
                    return Optional.of("the purge through event " + purge.throughSeq() + " starts from a hash its signed checkpoint does not hold");
                }
                return Optional.empty();
            } catch (CodedException e) {
                return Optional.of("the checkpoint the purge through event " + purge.throughSeq() + " starts from: " + e.code() + " " + e.getMessage());
            }
        }
    }

    private static List<ChainedRecord> take(BlockingQueue<List<ChainedRecord>> queue) throws InterruptedException {
        return queue.take();
    }

    private static void put(BlockingQueue<List<ChainedRecord>> queue, List<ChainedRecord> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the verification was interrupted");
        }
    }

}
