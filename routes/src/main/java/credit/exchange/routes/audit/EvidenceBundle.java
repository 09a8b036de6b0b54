package credit.exchange.routes.audit;

import credit.exchange.security.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.audit.ChainVerifier;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.audit.StatementVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Evidence bundles: a stretch of the audit trail that an officer takes away and anyone verifies
 * offline, with the alliance CA certificates and no database. A bundle holds the chain segment
 * covering the time range asked for, extended to signed checkpoints at both ends (so that its first
 * previous hash and its last hash are both pinned by signatures), every checkpoint in it with the
 * partners' countersignatures, the CRLs to validate the signers with, and which events the
 * officer's filter selected. Files in the zip: {@code manifest.json}, {@code events.jsonl},
 * {@code checkpoints.json}, {@code crls.pem}.
 */
public final class EvidenceBundle {

    public static final String FORMAT = "credit-exchange-evidence-bundle 1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRY_BYTES = 512 * 1024 * 1024;

    /** Which events of the range an officer asks for; null fields match anything. */
    public record Filter(String action, String partner, String actor, String subjectKey, String decision) {
        public static final Filter ALL = new Filter(null, null, null, null, null);

        boolean matches(AuditRecord r) {
            return (action == null || action.equals(r.action())) && (partner == null || partner.equals(r.partner()))
                    && (actor == null || actor.equals(r.actor())) && (subjectKey == null || subjectKey.equals(r.subjectKey()))
                    && (decision == null || decision.equals(r.decision()));
        }
    }

    /** What an export wrote. */
    public record Exported(long firstSeq, long lastSeq, int selected, int checkpoints) {
    }

    /** What verifying a bundle found: its segment, the events selected, signers and countersigners, or the first problem. */
    public record Verified(String node, String algorithm, long firstSeq, long lastSeq, int selected, int checkpoints,
                           SortedMap<String, Integer> countersignedBy, Optional<String> problem) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    private EvidenceBundle() {
    }

    /**
     * Writes the bundle of the events chained between {@code from} and {@code to}.
     *
     * @throws CodedException E_NOT_FOUND when the range holds no chained event, or no signed
     *     checkpoint covers its end yet (the next one is at most gateway.audit.checkpoint-seconds away)
     */
    public static Exported export(Database database, String node, AuditChain chain, Instant from, Instant to, Filter filter,
                                  String crlsPem, AuditEvent.ActorKind actorKind, String actor, Path out) throws IOException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            long minSeq;
            long maxSeq;
            try (PreparedStatement ps = c.prepareStatement("select min(seq), max(seq) from audit_event where seq is not null and at >= ? and at < ?")) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setTimestamp(2, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getObject(1) == null) {
                        long purged = single(c, "select coalesce(max(through_seq), ?) from audit_purge", 0);
                        throw new CodedException(ErrorCode.E_NOT_FOUND, "no chained audit event between " + from + " and " + to
                                + (purged > 0 ? " in the database (events up to " + purged + " were archived and purged: see"
                                + " gatewayctl audit purges)" : ""));
                    }
                    minSeq = rs.getLong(1);
                    maxSeq = rs.getLong(2);
                }
            }
            return segment(c, node, chain, minSeq, maxSeq, from, to, filter, crlsPem, actorKind, actor, out);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
    }

    /**
     * Writes the bundle of every event after the signed checkpoint {@code afterSeq} up to the signed
     * checkpoint {@code throughSeq}, all selected: the archive of a range before it is purged.
     */
    public static Exported exportArchive(Database database, String node, AuditChain chain, long afterSeq, long throughSeq,
                                         String crlsPem, AuditEvent.ActorKind actorKind, String actor, Path out) throws IOException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            Instant first = instantOf(c, afterSeq + 1);
            Instant last = instantOf(c, throughSeq);
            return segment(c, node, chain, afterSeq + 1, throughSeq, first, last.plusNanos(1000), Filter.ALL, crlsPem, actorKind, actor, out);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit trail cannot be read; retry later", e);
        }
    }

    private static Instant instantOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select at from audit_event where seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CodedException(ErrorCode.E_NOT_FOUND, "no chained audit event " + seq + " in the database");
                }
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** The bundle of the events minSeq–maxSeq, extended to signed checkpoints at both ends; the filter marks those asked for. */
    private static Exported segment(Connection c, String node, AuditChain chain, long minSeq, long maxSeq, Instant from, Instant to,
                                    Filter filter, String crlsPem, AuditEvent.ActorKind actorKind, String actor, Path out) throws SQLException, IOException {
        long startCheckpoint = single(c, "select coalesce(max(seq), 0) from audit_checkpoint where seq < ?", minSeq);
        long endCheckpoint = single(c, "select coalesce(min(seq), -1) from audit_checkpoint where seq >= ?", maxSeq);
        if (endCheckpoint < 0) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no signed checkpoint covers event " + maxSeq
                    + " yet; the next is made within gateway.audit.checkpoint-seconds");
        }
        ArrayNode checkpoints = JSON.createArrayNode();
        try (PreparedStatement ps = c.prepareStatement("""
                select k.seq, k.signed, s.partner, s.signed from audit_checkpoint k left join audit_countersignature s on s.seq = k.seq
                where k.seq between ? and ? order by k.seq, s.partner""")) {
            ps.setLong(1, startCheckpoint);
            ps.setLong(2, endCheckpoint);
            try (ResultSet rs = ps.executeQuery()) {
                ObjectNode current = null;
                while (rs.next()) {
                    if (current == null || current.get("seq").asLong() != rs.getLong(1)) {
                        current = checkpoints.addObject().put("seq", rs.getLong(1)).put("signed", b64(rs.getBytes(2)));
                        current.putObject("countersignatures");
                    }
                    if (rs.getString(3) != null) {
                        ((ObjectNode) current.get("countersignatures")).put(rs.getString(3), b64(rs.getBytes(4)));
                    }
                }
            }
        }
        List<Long> selected = new ArrayList<>();
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        try (PreparedStatement ps = c.prepareStatement("select " + AuditStore.COLUMNS + ", prev_hash, hash from audit_event"
                + " where seq between ? and ? order by seq")) {
            ps.setFetchSize(10_000);
            ps.setLong(1, startCheckpoint + 1);
            ps.setLong(2, endCheckpoint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditRecord record = AuditStore.record(rs, rs.getLong(1), node);
                    if (!record.at().isBefore(from) && record.at().isBefore(to) && filter.matches(record)) {
                        selected.add(record.seq());
                    }
                    events.write(JSON.writeValueAsBytes(json(record, rs.getBytes(AuditStore.PREV_HASH_COLUMN),
                            rs.getBytes(AuditStore.PREV_HASH_COLUMN + 1))));
                    events.write('\n');
                }
            }
        }
        // the export's own event: pending, chained by the node's chainer
        AuditTrail.pending(c, AuditEvent.by(actorKind, actor, AuditEvent.Action.EXPORT).outcome(AuditEvent.Outcome.WRITTEN)
                .detail("evidence bundle of events " + (startCheckpoint + 1) + "–" + endCheckpoint + " (" + from + " to " + to
                        + "), " + selected.size() + " selected by " + JSON.writeValueAsString(filter)).build());
        c.commit();
        ObjectNode manifest = JSON.createObjectNode().put("format", FORMAT).put("node", node).put("algorithm", chain.algorithm())
                .put("from", from.toString()).put("to", to.toString()).put("firstSeq", startCheckpoint + 1).put("lastSeq", endCheckpoint)
                .put("createdAt", Instant.now().toString());
        manifest.set("filter", JSON.valueToTree(filter));
        ArrayNode selectedNode = manifest.putArray("selected");
        selected.forEach(selectedNode::add);
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            entry(zip, "events.jsonl", events.toByteArray());
            entry(zip, "checkpoints.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoints));
            entry(zip, "crls.pem", crlsPem.getBytes(StandardCharsets.US_ASCII));
        }
        return new Exported(startCheckpoint + 1, endCheckpoint, selected.size(), checkpoints.size());
    }

    /** The CRLs a bundle carries (PEM), for the verifier to validate signers with; none from a bundle that cannot be read. */
    public static String crls(Path bundle) {
        try {
            return new String(read(bundle).getOrDefault("crls.pem", new byte[0]), StandardCharsets.US_ASCII);
        } catch (IOException | CodedException e) {
            return ""; // verify() reports what is wrong with it
        }
    }

    /**
     * Verifies a bundle offline: every checkpoint and countersignature by the trust anchors behind
     * {@code trust}, the chain segment from the pinned hash before it to the pinned hash at its end.
     * Never throws for what is wrong with the bundle: the problem is in the answer.
     */
    public static Verified verify(Path bundle, StatementVerifier trust) {
        String node = "?";
        String algorithm = "?";
        long firstSeq = 0;
        long lastSeq = 0;
        int selected = 0;
        SortedMap<String, Integer> countersignedBy = new TreeMap<>();
        int checkpointCount = 0;
        try {
            Map<String, byte[]> files = read(bundle);
            for (String name : List.of("manifest.json", "events.jsonl", "checkpoints.json")) {
                if (!files.containsKey(name)) {
                    throw new CodedException(ErrorCode.E_MALFORMED, "the bundle has no " + name);
                }
            }
            JsonNode manifest = JSON.readTree(files.get("manifest.json"));
            if (!FORMAT.equals(manifest.path("format").asText())) {
                throw new CodedException(ErrorCode.E_MALFORMED, "not an evidence bundle of this format");
            }
            node = manifest.path("node").asText();
            algorithm = manifest.path("algorithm").asText();
            firstSeq = manifest.path("firstSeq").asLong();
            lastSeq = manifest.path("lastSeq").asLong();
            selected = manifest.path("selected").size();
            AuditChain chain = AuditChain.named(algorithm);
            Map<Long, Checkpoint> checkpoints = new HashMap<>();
            for (JsonNode k : JSON.readTree(files.get("checkpoints.json"))) {
                Checkpoint checkpoint = Checkpoint.verify(trust, unb64(k.path("signed").asText()), node);
                if (checkpoint.seq() != k.path("seq").asLong() || !checkpoint.node().equals(node) || !checkpoint.algorithm().equals(algorithm)) {
                    throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "checkpoint " + k.path("seq").asLong()
                            + ": its signed statement is not the checkpoint listed");
                }
                checkpoints.put(checkpoint.seq(), checkpoint);
                var it = k.path("countersignatures").fields();
                while (it.hasNext()) {
                    var entry = it.next();
                    Checkpoint countersigned = Checkpoint.verify(trust, unb64(entry.getValue().asText()), entry.getKey());
                    if (!java.util.Arrays.equals(countersigned.statement(), checkpoint.statement())) {
                        throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "checkpoint " + checkpoint.seq() + ": "
                                + entry.getKey() + "'s countersignature is of another statement");
                    }
                    countersignedBy.merge(entry.getKey(), 1, Integer::sum);
                }
            }
            checkpointCount = checkpoints.size();
            byte[] previous = AuditChain.GENESIS;
            if (firstSeq > 1) {
                Checkpoint start = checkpoints.get(firstSeq - 1);
                if (start == null) {
                    throw new CodedException(ErrorCode.E_MALFORMED, "no signed checkpoint pins the hash before event " + firstSeq);
                }
                previous = start.headHash();
            }
            if (!checkpoints.containsKey(lastSeq)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "no signed checkpoint pins the bundle's last event " + lastSeq);
            }
            ChainVerifier verifier = new ChainVerifier(chain, firstSeq, previous);
            checkpoints.forEach((seq, k) -> verifier.pin(seq, k.headHash()));
            for (String line : new String(files.get("events.jsonl"), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                AuditRecord record = record(e, node);
                if (!verifier.accept(new ChainVerifier.ChainedRecord(record, HexFormat.of().parseHex(e.path("prevHash").asText()),
                        HexFormat.of().parseHex(e.path("hash").asText())))) {
                    break;
                }
            }
            ChainVerifier.Result result = verifier.finish();
            if (result.firstBreak().isPresent()) {
                ChainVerifier.Break b = result.firstBreak().get();
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "event " + b.seq() + ": " + b.kind() + " — " + b.explanation());
            }
            if (result.lastGoodSeq() != lastSeq) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the bundle's events end at " + result.lastGoodSeq()
                        + ", before its signed end at event " + lastSeq + " (truncated)");
            }
            return new Verified(node, algorithm, firstSeq, lastSeq, selected, checkpointCount, countersignedBy, Optional.empty());
        } catch (CodedException e) {
            return new Verified(node, algorithm, firstSeq, lastSeq, selected, checkpointCount, countersignedBy,
                    Optional.of(e.code() + ": " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return new Verified(node, algorithm, firstSeq, lastSeq, selected, checkpointCount, countersignedBy,
                    Optional.of("E_MALFORMED: the bundle cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /** An event as a line of events.jsonl: every field of its canonical form (the time in microseconds), and its hashes. */
    private static ObjectNode json(AuditRecord r, byte[] prevHash, byte[] hash) {
        ObjectNode e = JSON.createObjectNode().put("seq", r.seq()).put("atMicros", ChronoUnit.MICROS.between(Instant.EPOCH, r.at()))
                .put("actorKind", r.actorKind()).put("actor", r.actor()).put("partner", r.partner()).put("action", r.action())
                .put("subjectKey", r.subjectKey()).put("classification", r.classification()).put("dataset", r.dataset())
                .put("purpose", r.purpose()).put("authorisationId", r.authorisationId()).put("decision", r.decision())
                .put("reason", r.reason()).put("outcome", r.outcome()).put("latencyMs", r.latencyMs()).put("detail", r.detail())
                .put("prevHash", HexFormat.of().formatHex(prevHash)).put("hash", HexFormat.of().formatHex(hash));
        r.messageIds().forEach(e.putArray("messageIds")::add);
        if (!r.decisions().isEmpty()) {
            r.decisionTexts().forEach(e.putArray("decisions")::add);
        }
        return e;
    }

    private static AuditRecord record(JsonNode e, String node) {
        long micros = e.path("atMicros").asLong();
        List<String> ids = new ArrayList<>();
        e.path("messageIds").forEach(id -> ids.add(id.asText()));
        List<AuditRecord.DatasetDecision> decisions = new ArrayList<>();
        e.path("decisions").forEach(d -> decisions.add(AuditRecord.DatasetDecision.parse(d.asText())));
        return new AuditRecord(e.path("seq").asLong(),
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), node,
                text(e, "actorKind"), text(e, "actor"), text(e, "partner"), text(e, "action"), text(e, "subjectKey"),
                text(e, "classification"), text(e, "dataset"), text(e, "purpose"), text(e, "authorisationId"), text(e, "decision"),
                text(e, "reason"), ids, text(e, "outcome"), e.path("latencyMs").isNumber() ? e.get("latencyMs").asInt() : null,
                text(e, "detail"), decisions);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, byte[]> read(Path bundle) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(bundle); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                byte[] content = zip.readNBytes(MAX_ENTRY_BYTES + 1);
                if (content.length > MAX_ENTRY_BYTES) {
                    throw new CodedException(ErrorCode.E_TOO_LARGE, entry.getName() + " is larger than a bundle may hold");
                }
                files.put(entry.getName(), content);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the bundle is not a readable zip file (truncated?)");
        }
        return files;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static long single(Connection c, String sql, long argument) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, argument);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] unb64(String text) {
        return Base64.getDecoder().decode(text);
    }
}
