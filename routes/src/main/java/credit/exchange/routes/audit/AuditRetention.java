package credit.exchange.routes.audit;

import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
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
 * What leaves the audit trail's database: evidence bundles of a time range ({@link EvidenceBundle})
 * and purges of the oldest events after archiving them (table audit_purge). Each is an event of
 * the trail itself.
 */
public final class AuditRetention {

    private final AuditStore store;
    private final Database database;
    private final String node;
    private final AuditChain chain;

    public AuditRetention(AuditStore store) {
        this.store = store;
        this.database = store.database();
        this.node = store.node();
        this.chain = store.hashChain();
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
                                                  EvidenceBundle.Filter filter, String crlsPem, AuditEvent.ActorKind actorKind, String actor,
                                                  java.nio.file.Path out) throws java.io.IOException {
        if (crlsPem == null || crlsPem.isBlank()) {
            // the signers' certificates are validated offline against the CRLs the bundle carries: without them it cannot verify
            throw new CodedException(ErrorCode.E_CONFIG_INVALID, "the node's configuration names no alliance CRL (gateway.trust.crls):"
                    + " a bundle without CRLs does not verify offline; nothing was exported");
        }
        store.chainAll(batch);
        signer.ifPresent(self -> new AuditCheckpoints(store).checkpointHead(self, Instant.now()));
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
        EvidenceBundle.exportArchive(database, node, chain, after, throughSeq, crlsPem, AuditEvent.ActorKind.OPERATOR, actor, archive);
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
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.OPERATOR, actor, AuditEvent.Action.PURGE)
                        .outcome(AuditEvent.Outcome.PURGED).detail(removed + " events " + (after + 1) + "–" + throughSeq + " archived in "
                                + archive.getFileName() + " (SHA-256 " + sha256 + ") and purged").build());
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

    static Optional<Purge> lastPurge(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select through_seq, through_hash, archive, archive_sha256,"
                + " purged_at, purged_by from audit_purge order by through_seq desc limit 1")) {
            return rs.next() ? Optional.of(purge(rs)) : Optional.empty();
        }
    }

    private static Purge purge(ResultSet rs) throws SQLException {
        return new Purge(rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6));
    }

}
