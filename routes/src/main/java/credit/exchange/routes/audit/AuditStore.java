package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditRecord;
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

/**
 * The audit trail's chain in PostgreSQL (tables audit_event, audit_chain_head): chains the pending
 * events, one batch at a time, and appends events straight to it. Its checkpoints are
 * {@link AuditCheckpoints}', its verification {@link AuditVerifier}'s, its export and purge
 * {@link AuditRetention}'s; every other package writes an event through {@link AuditTrail} or
 * {@link AuditWriter}. Actions write their events pending in their own transactions;
 * {@link #chain} is the only writer of sequence numbers and hashes, serialised across replicas by
 * an advisory lock, so that concurrent writers never wait for the chain and the chain never forks.
 */
public final class AuditStore {

    /** The chain's head: whose chain, which algorithm, the last chained event. */
    public record Head(String node, String algorithm, long seq, byte[] hash) {
    }

    /** Key of the advisory lock that makes one chainer at a time ("AUDIT" in ASCII). */
    private static final long CHAIN_LOCK = 0x4155444954L;

    /**
     * Columns of an event, the time as microseconds since the epoch (what the canonical form holds; cheaper to read), a
     * query's decisions one per line.
     */
    static final String COLUMNS = "seq, (extract(epoch from at) * 1000000)::bigint, actor_kind, actor, partner, action, subject_key, classification, dataset, purpose,"
            + " authorisation_id::text, decision, reason, message_ids, outcome, latency_ms, detail,"
            + " array_to_string(decisions, chr(10))";

    /** Where {@code prev_hash} is when a select reads {@link #COLUMNS} then {@code prev_hash, hash}; the hash is the next column. */
    static final int PREV_HASH_COLUMN = 19;

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

    Database database() {
        return database;
    }

    String node() {
        return node;
    }

    AuditChain hashChain() {
        return chain;
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
        try (Connection c = database.connection()) {
            Head known = lastWritten;
            if (known != null) {
                Optional<Head> written = appendAfter(c, events, known);
                if (written.isPresent()) {
                    lastWritten = written.get();
                    return;
                }
                lastWritten = null; // the head moved since this store last wrote: again, from the head as it is
            }
            c.setAutoCommit(false);
            try {
                Head head = lockedHead(c);
                Chained chained = chained(events, head);
                insert(c, "chain_lock", chained, 1);
                moveHead(c, chained.head().seq(), chained.head().hash());
                c.commit();
                lastWritten = chained.head();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            lastWritten = null;
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be written; nothing is done without it", e);
        }
    }

    /**
     * The append after the head this store last wrote, in one autocommitted statement (one round trip, durable on return):
     * it takes the chain's lock, moves the head only if it is still {@code known}, and inserts the events only if it moved.
     * The lock is taken by the scan that feeds the head's update, so before the head's row is locked, in whatever order the
     * planner joins; a head another writer moved meanwhile fails the update's recheck. Empty if the head had moved.
     */
    private Optional<Head> appendAfter(Connection c, List<AuditRecord> events, Head known) throws SQLException {
        Chained chained = chained(events, known);
        String moved = """
                moved as (update audit_chain_head set seq = ?, hash = ? from chain_lock where seq = ? and hash = ? returning 1)""";
        try (PreparedStatement ps = c.prepareStatement(INSERT.formatted(CHAIN_LOCK, ", " + moved, "moved"))) {
            ps.setLong(1, chained.head().seq());
            ps.setBytes(2, chained.head().hash());
            ps.setLong(3, known.seq());
            ps.setBytes(4, known.hash());
            bind(c, ps, chained, 5);
            return ps.executeUpdate() == events.size() ? Optional.of(chained.head()) : Optional.empty();
        }
    }

    /** The events placed after {@code head}: their rows' columns as arrays, and the head they end at. */
    private record Chained(Head head, Long[] seqs, Long[] micros, String[][] text, Integer[] latency, String[] details,
                           byte[][] prevs, byte[][] hashes) {
    }

    private Chained chained(List<AuditRecord> events, Head head) {
        int n = events.size();
        Long[] seqs = new Long[n];
        Long[] micros = new Long[n];
        String[][] text = new String[14][n];
        Integer[] latency = new Integer[n];
        String[] details = new String[n];
        byte[][] prevs = new byte[n][];
        byte[][] hashes = new byte[n][];
        long seq = head.seq();
        byte[] previous = head.hash();
        for (int i = 0; i < n; i++) {
            AuditRecord r = events.get(i).placed(++seq, node);
            byte[] hash = chain.hash(r, previous);
            seqs[i] = seq;
            micros[i] = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, r.at());
            String[] values = {r.actorKind(), r.actor(), r.partner(), r.action(), r.subjectKey(), r.classification(), r.dataset(),
                r.purpose(), r.authorisationId(), r.decision(), r.reason(),
                r.messageIds().isEmpty() ? null : String.join(",", r.messageIds()), r.outcome(),
                r.decisions().isEmpty() ? null : String.join("\n", r.decisionTexts())};
            for (int f = 0; f < values.length; f++) {
                text[f][i] = values[f];
            }
            latency[i] = r.latencyMs();
            details[i] = r.detail();
            prevs[i] = previous;
            hashes[i] = hash;
            previous = hash;
        }
        return new Chained(new Head(node, chain.algorithm(), seq, previous), seqs, micros, text, latency, details, prevs, hashes);
    }

    /** The events' insert under the chain's lock; {@code %s} after the lock: more common table expressions, then the one the rows join. */
    private static final String INSERT = """
            with chain_lock as (select pg_advisory_xact_lock(%d))%s
            insert into audit_event (seq, at, actor_kind, actor, partner, action, subject_key, classification, dataset, purpose,
                                     authorisation_id, decision, reason, message_ids, outcome, decisions, latency_ms, detail,
                                     prev_hash, hash)
            select seq, timestamptz 'epoch' + m * interval '1 microsecond', ak, a, p, ac, sk, cl, ds, pu, au::uuid, de, re,
                   string_to_array(mi, ','), ou, string_to_array(dd, E'\\n'), la, dt, ph, h
            from %s, unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[],
                        ?::text[], ?::bytea[], ?::bytea[])
                 as u (seq, m, ak, a, p, ac, sk, cl, ds, pu, au, de, re, mi, ou, dd, la, dt, ph, h)""";

    private static void insert(Connection c, String joined, Chained chained, int first) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT.formatted(CHAIN_LOCK, "", joined))) {
            bind(c, ps, chained, first);
            ps.executeUpdate();
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Chained e, int first) throws SQLException {
        ps.setArray(first, c.createArrayOf("bigint", e.seqs()));
        ps.setArray(first + 1, c.createArrayOf("bigint", e.micros()));
        for (int f = 0; f < 14; f++) {
            ps.setArray(first + 2 + f, c.createArrayOf("text", e.text()[f]));
        }
        ps.setArray(first + 16, c.createArrayOf("integer", e.latency()));
        ps.setArray(first + 17, c.createArrayOf("text", e.details()));
        ps.setArray(first + 18, c.createArrayOf("bytea", e.prevs()));
        ps.setArray(first + 19, c.createArrayOf("bytea", e.hashes()));
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

    static Optional<Head> head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select node, algorithm, seq, hash from audit_chain_head")) {
            return rs.next() ? Optional.of(new Head(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4))) : Optional.empty();
        }
    }

    /**
     * A stored decision; one that cannot be read (a row edited with SQL) as a decision no event was
     * written with, so that the chain's verification finds the event modified instead of stopping.
     */
    private static AuditRecord.DatasetDecision decision(String text) {
        try {
            return AuditRecord.DatasetDecision.parse(text);
        } catch (IllegalArgumentException unreadable) {
            return new AuditRecord.DatasetDecision("?", "?", "?", "unreadable: " + text.replaceAll("[\\r\\n]", " "));
        }
    }

    /** Reads an event from columns 2.. of {@link #COLUMNS} (column 1 is seq or id); the evidence export reads them so too. */
    static AuditRecord record(ResultSet rs, long seq, String node) throws SQLException {
        Array ids = rs.getArray(14);
        String decisions = rs.getString(18); // a query's decisions, one per line (cheaper to read than an array)
        Object latency = rs.getObject(16);
        long micros = rs.getLong(2);
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return new AuditRecord(seq, at, node, rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), ids == null ? List.of() : List.of((String[]) ids.getArray()),
                rs.getString(15), latency == null ? null : ((Number) latency).intValue(), rs.getString(17),
                decisions == null ? List.of() : decisions.lines().map(AuditStore::decision).toList());
    }
}
