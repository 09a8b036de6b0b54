package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.audit.ChainVerifier.ChainedRecord;
import credit.exchange.security.audit.ChainVerifier;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
 * The audit trail in PostgreSQL (table audit_event): chains the pending events, one batch at a
 * time, and verifies the chain. Actions write their events pending in their own transactions;
 * {@link #chain} is the only writer of sequence numbers and hashes, serialised across replicas by
 * an advisory lock, so that concurrent writers never wait for the chain and the chain never forks.
 */
public final class AuditStore {

    /** The chain's head: whose chain, which algorithm, the last chained event. */
    public record Head(String node, String algorithm, long seq, byte[] hash) {
    }

    /**
     * What a verification found, with the head it was compared against, how many signed
     * checkpoints pinned the chain (the last of them), where it started (after the last purge, at
     * the earliest), and what was wrong with any checkpoint (a signature that does
     * not verify, a statement that does not match its row); checkpoints are not checked without
     * the node's envelopes to verify them with.
     */
    public record Verification(ChainVerifier.Result result, Optional<Head> head, long pending, int checkpoints, long lastCheckpoint,
                               List<String> checkpointProblems, java.util.SortedMap<String, Integer> countersignedBy, long fromSeq) {
        public boolean intact() {
            return result.intact() && checkpointProblems.isEmpty();
        }
    }

    /** Key of the advisory lock that makes one chainer at a time ("AUDIT" in ASCII). */
    private static final long CHAIN_LOCK = 0x4155444954L;
    private static final int FETCH = 10_000;
    private static final int VERIFY_BATCH = 2_000;
    private static final ExecutorService VERIFIERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "audit-verifier");
        t.setDaemon(true);
        return t;
    });
    /** Columns of an event, the time as microseconds since the epoch (what the canonical form holds; cheaper to read). */
    static final String COLUMNS = "seq, (extract(epoch from at) * 1000000)::bigint, actor_kind, actor, partner, action, subject_key, classification, dataset, purpose,"
            + " authorisation_id::text, decision, reason, message_ids, outcome, latency_ms, detail";

    private final Database database;
    private final String node;
    private final AuditChain chain;
    /** The head as this store last appended it: the next append starts there unless the head moved meanwhile. */
    private volatile Head lastWritten;

    /** @param node this node's id, which every event's canonical bytes name; @param chain its suite's hash chain */
    public AuditStore(Database database, String node, AuditChain chain) {
        this.database = database;
        this.node = node;
        this.chain = chain;
    }

    /** Chains up to {@code batch} pending events in insertion order; returns how many it chained. */
    private int chain(int batch) {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                int chained = chain(c, batch);
                c.commit();
                return chained;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be chained; retrying", e);
        }
    }

    /** Chains every pending event; returns how many. */
    public long chainAll(int batch) {
        long total = 0;
        int n;
        do {
            n = chain(batch);
            total += n;
        } while (n == batch);
        return total;
    }

    private int chain(Connection c, int batch) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select exists (select 1 from audit_event where seq is null)")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0; // nothing pending (the usual tick): the chain's lock is not taken
            }
        }
        Head head = lockedHead(c);
        List<Long> ids = new ArrayList<>(batch);
        List<Long> seqs = new ArrayList<>(batch);
        List<byte[]> prevs = new ArrayList<>(batch);
        List<byte[]> hashes = new ArrayList<>(batch);
        long seq = head.seq();
        byte[] previous = head.hash();
        try (PreparedStatement ps = c.prepareStatement("select id, " + COLUMNS.substring("seq, ".length())
                + " from audit_event where seq is null order by id limit ?")) {
            ps.setInt(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seq++;
                    AuditRecord record = record(rs, seq, node);
                    byte[] hash = chain.hash(record, previous);
                    ids.add(rs.getLong(1));
                    seqs.add(seq);
                    prevs.add(previous);
                    hashes.add(hash);
                    previous = hash;
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update audit_event e set seq = u.seq, prev_hash = u.prev, hash = u.hash
                from unnest(?::bigint[], ?::bigint[], ?::bytea[], ?::bytea[]) as u (id, seq, prev, hash)
                where e.id = u.id""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
            ps.setArray(3, c.createArrayOf("bytea", prevs.toArray(new byte[0][])));
            ps.setArray(4, c.createArrayOf("bytea", hashes.toArray(new byte[0][])));
            ps.executeUpdate();
        }
        moveHead(c, seq, previous);
        return ids.size();
    }

    /**
     * Appends events straight to the chain in one transaction: each gets the next sequence number
     * and its hash (their own sequence numbers are ignored). The audit writer's way, for actions
     * that wait for their events instead of sharing a transaction with them.
     */
    public void append(List<AuditRecord> events) {
        for (int attempt = 0; ; attempt++) {
            Head known = attempt == 0 ? lastWritten : null;
            try (Connection c = database.connection()) {
                c.setAutoCommit(false);
                try {
                    Optional<Head> written = append(c, events, known);
                    if (written.isPresent()) {
                        c.commit();
                        lastWritten = written.get();
                        return;
                    }
                    c.rollback(); // the head moved since this store last wrote: again, from the head as it is
                } catch (SQLException e) {
                    c.rollback();
                    if (known == null || !"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                lastWritten = null;
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be written; nothing is done without it", e);
            }
            lastWritten = null;
        }
    }

    /**
     * One append. With the head this store last wrote ({@code known}), three round trips: the insert
     * takes the chain's lock itself, and the head moves only if it is still that one (empty if not);
     * without, the lock and the head are read first.
     */
    private Optional<Head> append(Connection c, List<AuditRecord> events, Head known) throws SQLException {
        Head head = known != null ? known : lockedHead(c);
        int n = events.size();
        Long[] seqs = new Long[n];
        Long[] micros = new Long[n];
        String[][] text = new String[13][n];
        Integer[] latency = new Integer[n];
        String[] details = new String[n];
        byte[][] prevs = new byte[n][];
        byte[][] hashes = new byte[n][];
        long seq = head.seq();
        byte[] previous = head.hash();
        for (int i = 0; i < n; i++) {
            AuditRecord given = events.get(i);
            AuditRecord r = new AuditRecord(++seq, given.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS), node, given.actorKind(),
                    given.actor(), given.partner(), given.action(), given.subjectKey(), given.classification(), given.dataset(),
                    given.purpose(), given.authorisationId(), given.decision(), given.reason(), given.messageIds(), given.outcome(),
                    given.latencyMs(), given.detail());
            byte[] hash = chain.hash(r, previous);
            seqs[i] = seq;
            micros[i] = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, r.at());
            String[] values = {r.actorKind(), r.actor(), r.partner(), r.action(), r.subjectKey(), r.classification(), r.dataset(),
                r.purpose(), r.authorisationId(), r.decision(), r.reason(),
                r.messageIds().isEmpty() ? null : String.join(",", r.messageIds()), r.outcome()};
            for (int f = 0; f < values.length; f++) {
                text[f][i] = values[f];
            }
            latency[i] = r.latencyMs();
            details[i] = r.detail();
            prevs[i] = previous;
            hashes[i] = hash;
            previous = hash;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                with chain_lock as (select pg_advisory_xact_lock(%d))
                insert into audit_event (seq, at, actor_kind, actor, partner, action, subject_key, classification, dataset, purpose,
                                         authorisation_id, decision, reason, message_ids, outcome, latency_ms, detail, prev_hash, hash)
                select seq, timestamptz 'epoch' + m * interval '1 microsecond', ak, a, p, ac, sk, cl, ds, pu, au::uuid, de, re,
                       string_to_array(mi, ','), ou, la, dt, ph, h
                from chain_lock, unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[], ?::text[],
                            ?::bytea[], ?::bytea[])
                     as u (seq, m, ak, a, p, ac, sk, cl, ds, pu, au, de, re, mi, ou, la, dt, ph, h)""".formatted(CHAIN_LOCK))) {
            ps.setArray(1, c.createArrayOf("bigint", seqs));
            ps.setArray(2, c.createArrayOf("bigint", micros));
            for (int f = 0; f < 13; f++) {
                ps.setArray(3 + f, c.createArrayOf("text", text[f]));
            }
            ps.setArray(16, c.createArrayOf("integer", latency));
            ps.setArray(17, c.createArrayOf("text", details));
            ps.setArray(18, c.createArrayOf("bytea", prevs));
            ps.setArray(19, c.createArrayOf("bytea", hashes));
            ps.executeUpdate();
        }
        if (known == null) {
            moveHead(c, seq, previous);
        } else {
            try (PreparedStatement ps = c.prepareStatement("update audit_chain_head set seq = ?, hash = ? where seq = ? and hash = ?")) {
                ps.setLong(1, seq);
                ps.setBytes(2, previous);
                ps.setLong(3, known.seq());
                ps.setBytes(4, known.hash());
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Head(node, chain.algorithm(), seq, previous));
    }

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
     * The countersigning's own bookkeeping: the exchanges that carry a checkpoint to a partner and
     * back (ours out, a partner's in). They are chained like every event, but they alone never make
     * a checkpoint due; otherwise each countersignature would make a new head to sign and have
     * countersigned, and an idle alliance would audit its own witnessing for ever.
     */
    static final String COUNTERSIGN_BOOKKEEPING = "action in ('exchange.out', 'exchange.in') and coalesce(detail, '') = '"
            + credit.exchange.routes.partner.Partner.ExchangeType.CHECKPOINT.wireName() + "'";

    /** The head last found to have grown by bookkeeping alone since the last checkpoint: not asked again until it moves. */
    private volatile long bookkeepingOnlyHead = -1;

    /**
     * Signs a checkpoint of the head when one is due: the chain grew by {@code everyEvents} since
     * the last, or {@code every} passed and it grew at all — by some event other than the
     * countersigning's bookkeeping ({@link #COUNTERSIGN_BOOKKEEPING}); a head moved by that alone
     * waits for the next real event. Returns the checkpoint made, if any. Replicas racing to make
     * the same one make it once.
     */
    public Optional<Checkpoint> checkpointIfDue(Envelopes self, long everyEvents, java.time.Duration every, Instant now) {
        return checkpoint(self, everyEvents, every, now, false);
    }

    /** Signs a checkpoint of the head now unless one pins it already (an export, which must end at one). */
    public Optional<Checkpoint> checkpointHead(Envelopes self, Instant now) {
        return checkpoint(self, 1, java.time.Duration.ZERO, now, true);
    }

    private Optional<Checkpoint> checkpoint(Envelopes self, long everyEvents, java.time.Duration every, Instant now, boolean evenBookkeeping) {
        try (Connection c = database.connection()) {
            Optional<Head> head = head(c);
            if (head.isEmpty()) {
                return Optional.empty();
            }
            long lastSeq = 0;
            Instant lastAt = Instant.EPOCH;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select seq, at from audit_checkpoint order by seq desc limit 1")) {
                if (rs.next()) {
                    lastSeq = rs.getLong(1);
                    lastAt = rs.getTimestamp(2).toInstant();
                }
            }
            Head h = head.get();
            boolean due = h.seq() > lastSeq && (h.seq() - lastSeq >= everyEvents || !now.isBefore(lastAt.plus(every)));
            if (!due) {
                return Optional.empty();
            }
            if (!evenBookkeeping && !grewByRealEvents(c, lastSeq, h.seq())) {
                return Optional.empty();
            }
            Checkpoint checkpoint = new Checkpoint(h.node(), h.algorithm(), h.seq(), h.hash(), now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into audit_checkpoint (seq, head_hash, at, signed) values (?, ?, ?, ?) on conflict (seq) do nothing")) {
                ps.setLong(1, checkpoint.seq());
                ps.setBytes(2, checkpoint.headHash());
                ps.setTimestamp(3, java.sql.Timestamp.from(checkpoint.at()));
                ps.setBytes(4, checkpoint.sign(self));
                return ps.executeUpdate() == 1 ? Optional.of(checkpoint) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoint cannot be stored; retrying", e);
        }
    }

    /** Whether an event after {@code lastSeq} up to {@code headSeq} is more than the countersigning's bookkeeping. */
    private boolean grewByRealEvents(Connection c, long lastSeq, long headSeq) throws SQLException {
        if (bookkeepingOnlyHead == headSeq) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from audit_event where seq > ? and seq <= ? and not ("
                + COUNTERSIGN_BOOKKEEPING + "))")) {
            ps.setLong(1, lastSeq);
            ps.setLong(2, headSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        bookkeepingOnlyHead = headSeq;
        return false;
    }

    /** Takes the chain's lock for this transaction and reads the head; refuses another node's chain. */
    private Head lockedHead(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + CHAIN_LOCK + ")");
        }
        Head head = head(c).orElse(new Head(node, chain.algorithm(), 0, AuditChain.GENESIS));
        if (!head.node().equals(node) || !head.algorithm().equals(chain.algorithm())) {
            throw new IllegalStateException("the audit trail in this database is node " + head.node() + "'s, chained with "
                    + head.algorithm() + "; this node is " + node + " with " + chain.algorithm());
        }
        return head;
    }

    private void moveHead(Connection c, long seq, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into audit_chain_head (node, algorithm, seq, hash) values (?, ?, ?, ?)
                on conflict (one) do update set seq = excluded.seq, hash = excluded.hash""")) {
            ps.setString(1, node);
            ps.setString(2, chain.algorithm());
            ps.setLong(3, seq);
            ps.setBytes(4, hash);
            ps.executeUpdate();
        }
    }

    private static Optional<Head> head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select node, algorithm, seq, hash from audit_chain_head")) {
            return rs.next() ? Optional.of(new Head(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4))) : Optional.empty();
        }
    }

    /** How many signed checkpoints the trail holds at or after {@code fromSeq} (a node without an alliance credential signs none). */
    public long signedCheckpoints(long fromSeq) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select count(*) from audit_checkpoint where seq >= ?")) {
            ps.setLong(1, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read; retry", e);
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
            Optional<Head> head = head(c);
            AuditChain chainOfHead = head.map(h -> AuditChain.named(h.algorithm())).orElse(chain);
            String chainNode = head.map(Head::node).orElse(node);
            byte[] previous = AuditChain.GENESIS;
            List<String> problems = new ArrayList<>();
            Optional<Purge> purge = lastPurge(c);
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
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + ", prev_hash, hash from audit_event"
                    + " where seq >= ? order by seq")) {
                ps.setFetchSize(FETCH);
                ps.setLong(1, fromSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    List<ChainedRecord> batch = new ArrayList<>(VERIFY_BATCH);
                    while (!enough.get() && rs.next()) {
                        batch.add(new ChainedRecord(record(rs, rs.getLong(1), chainNode), rs.getBytes(18), rs.getBytes(19)));
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

    /**
     * Writes an evidence bundle of the events between two times ({@link EvidenceBundle#export}):
     * what is pending is chained first, and a head no checkpoint pins yet is signed now (with the
     * node's envelopes, when it has them), so that the bundle can end at a signed checkpoint.
     *
     * @param crlsPem the alliance CRLs the bundle carries, which its signers are validated with offline
     * @param actor who asks for it (the export is an event of the trail, under this name)
     * @throws CodedException E_CONFIG_INVALID without CRLs (the bundle could not verify), before anything is written
     */
    public EvidenceBundle.Exported exportEvidence(Optional<Envelopes> signer, int batch, Instant from, Instant to,
                                                  EvidenceBundle.Filter filter, String crlsPem, String actorKind, String actor,
                                                  java.nio.file.Path out) throws java.io.IOException {
        if (crlsPem == null || crlsPem.isBlank()) {
            // the signers' certificates are validated offline against the CRLs the bundle carries: without them it cannot verify
            throw new CodedException(ErrorCode.E_CONFIG_INVALID, "the node's configuration names no alliance CRL (gateway.trust.crls):"
                    + " a bundle without CRLs does not verify offline; nothing was exported");
        }
        chainAll(batch);
        signer.ifPresent(self -> checkpointHead(self, Instant.now()));
        return EvidenceBundle.export(database, node, chain, from, to, filter, crlsPem, actorKind, actor, out);
    }

    /** A purge: the events up to {@code throughSeq} were archived in a bundle and removed; the chain goes on from its hash. */
    public record Purge(long throughSeq, byte[] throughHash, String archive, String archiveSha256, Instant purgedAt, String purgedBy) {
    }

    /** Every purge, oldest first. */
    public List<Purge> purges() {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select through_seq, through_hash, archive, archive_sha256, purged_at, purged_by from audit_purge order by through_seq")) {
            List<Purge> out = new ArrayList<>();
            while (rs.next()) {
                out.add(purge(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
    }

    /**
     * Archives the events after the last purge up to the signed checkpoint {@code throughSeq} in an
     * evidence bundle in {@code archiveDir}, verifies the bundle with {@code trust} as an officer
     * would offline, and only then removes those events from the database, in one transaction with
     * the purge's record and its own (pending) event. The checkpoint and its countersignatures stay:
     * they pin where the chain now starts.
     *
     * @throws CodedException E_FIELD_INVALID if {@code throughSeq} is not a signed checkpoint after
     *     the last purge; E_SIGNATURE_INVALID if the archive does not verify (nothing is removed)
     */
    public Purge purge(long throughSeq, java.nio.file.Path archiveDir, StatementVerifier trust, String crlsPem, String actor)
            throws java.io.IOException {
        long after = lastPurgeSeq();
        if (throughSeq <= after) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "events up to " + after + " are purged already");
        }
        byte[] hash;
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select head_hash from audit_checkpoint where seq = ?")) {
            ps.setLong(1, throughSeq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "event " + throughSeq + " is not a signed checkpoint;"
                            + " a purge ends at one, so that the chain after it stays pinned");
                }
                hash = rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
        java.nio.file.Files.createDirectories(archiveDir);
        java.nio.file.Path archive = archiveDir.resolve("audit-" + node + "-" + (after + 1) + "-" + throughSeq + ".zip");
        EvidenceBundle.exportArchive(database, node, chain, after, throughSeq, crlsPem, "OPERATOR", actor, archive);
        EvidenceBundle.Verified verified = EvidenceBundle.verify(archive, trust);
        if (!verified.intact() || verified.firstSeq() != after + 1 || verified.lastSeq() != throughSeq) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the archive " + archive + " does not verify ("
                    + verified.problem().orElse("it covers events " + verified.firstSeq() + "–" + verified.lastSeq()) + "); nothing was purged");
        }
        String sha256;
        try {
            sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.nio.file.Files.readAllBytes(archive)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into audit_purge (through_seq, through_hash, archive, archive_sha256, purged_by) values (?, ?, ?, ?, ?)""")) {
                    ps.setLong(1, throughSeq);
                    ps.setBytes(2, hash);
                    ps.setString(3, archive.getFileName().toString());
                    ps.setString(4, sha256);
                    ps.setString(5, actor);
                    ps.executeUpdate();
                }
                long removed;
                try (PreparedStatement ps = c.prepareStatement("delete from audit_event where seq <= ?")) {
                    ps.setLong(1, throughSeq);
                    removed = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into audit_event (actor_kind, actor, action, outcome, detail) values ('OPERATOR', ?, 'purge', 'PURGED', ?)""")) {
                    ps.setString(1, actor);
                    ps.setString(2, removed + " events " + (after + 1) + "–" + throughSeq + " archived in " + archive.getFileName()
                            + " (SHA-256 " + sha256 + ") and purged");
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            return lastPurge(c).orElseThrow();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the purge could not be committed; nothing was removed", e);
        }
    }

    private long lastPurgeSeq() {
        try (Connection c = database.connection()) {
            return lastPurge(c).map(Purge::throughSeq).orElse(0L);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
    }

    private static Optional<Purge> lastPurge(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select through_seq, through_hash, archive, archive_sha256,"
                + " purged_at, purged_by from audit_purge order by through_seq desc limit 1")) {
            return rs.next() ? Optional.of(purge(rs)) : Optional.empty();
        }
    }

    private static Purge purge(ResultSet rs) throws SQLException {
        return new Purge(rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6));
    }

    /** What is wrong with the purge's start, if anything: its hash must be the one the signed checkpoint at that event holds. */
    private static Optional<String> purgeProblem(Connection c, SignatureCheck trust, String chainNode, Purge purge) throws SQLException {
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

    /** Reads an event from columns 2.. of {@link #COLUMNS} (column 1 is seq or id); the evidence export reads them so too. */
    static AuditRecord record(ResultSet rs, long seq, String node) throws SQLException {
        Array ids = rs.getArray(14);
        Object latency = rs.getObject(16);
        long micros = rs.getLong(2);
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return new AuditRecord(seq, at, node, rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), ids == null ? List.of() : List.of((String[]) ids.getArray()),
                rs.getString(15), latency == null ? null : ((Number) latency).intValue(), rs.getString(17));
    }
}
