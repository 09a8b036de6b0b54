package credit.exchange.routes.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partners witness each other's audit trails: this node sends each signed checkpoint to every
 * enabled partner (exchange type {@code checkpoint}, a sealed envelope), the partner checks that
 * it is ours, countersigns the same statement with its own key and keeps both; we keep its
 * countersignature (audit_countersignature). Rewriting history that a countersigned checkpoint
 * pins then needs every partner that countersigned it to collude. A partner that already
 * witnessed another hash at the same sequence number refuses (a forked trail).
 *
 * <p>Payloads: request {@code {"checkpoint": "<base64 CMS>"}}; answer
 * {@code {"countersignature": "<base64 CMS>"}} or {@code {"refused": "<code>", "message": "…"}}.
 */
public final class Countersignatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final String self;
    private final NodeEnvelopes envelopes;
    /** A partner that failed is asked again only after a pause that doubles with each failure (at most MAX_PAUSE). */
    static final Partner.DeliveryRetry RETRY = new Partner.DeliveryRetry(Integer.MAX_VALUE, Duration.ofSeconds(5), Duration.ofMinutes(10));
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    public Countersignatures(Database database, String self, NodeEnvelopes envelopes) {
        this.database = database;
        this.self = self;
        this.envelopes = envelopes;
    }

    /** The partner's side: the handler of a checkpoint a partner sends us. */
    public ExchangeHandler witness() {
        return (Partner partner, OpenedEnvelope request) -> {
            try {
                JsonNode body = JSON.readTree(request.payload());
                byte[] signed = Base64.getDecoder().decode(body.path("checkpoint").asText());
                return json(Map.of("countersignature", Base64.getEncoder().encodeToString(countersign(partner.id(), signed))));
            } catch (CodedException e) {
                return json(Map.of("refused", e.code().name(), "message", e.getMessage()));
            } catch (IOException | IllegalArgumentException e) {
                return json(Map.of("refused", ErrorCode.E_MALFORMED.name(), "message", "the body must be {\"checkpoint\": base64}"));
            }
        };
    }

    /** Verifies a partner's signed checkpoint, refuses a fork, countersigns it and keeps both. */
    byte[] countersign(String partner, byte[] signed) {
        Envelopes ours = envelopesFor(signed);
        Checkpoint checkpoint = Checkpoint.verify(ours, signed, partner);
        if (!checkpoint.node().equals(partner)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the checkpoint is of " + checkpoint.node() + "'s trail, sent by " + partner);
        }
        byte[] countersigned = ours.signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, checkpoint.statement());
        try (Connection c = database.connection()) {
            try (PreparedStatement ps = c.prepareStatement("select head_hash, countersigned from audit_witnessed where partner = ? and seq = ?")) {
                ps.setString(1, partner);
                ps.setLong(2, checkpoint.seq());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!Arrays.equals(rs.getBytes(1), checkpoint.headHash())) {
                            throw new CodedException(ErrorCode.E_CHECKPOINT_CONFLICT, partner + "'s trail had another hash at event " + checkpoint.seq()
                                    + " when this node witnessed it: a forked or rewritten trail");
                        }
                        return rs.getBytes(2); // witnessed before: the same countersignature again
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into audit_witnessed (partner, seq, head_hash, signed, countersigned) values (?, ?, ?, ?, ?)
                    on conflict (partner, seq) do nothing""")) {
                ps.setString(1, partner);
                ps.setLong(2, checkpoint.seq());
                ps.setBytes(3, checkpoint.headHash());
                ps.setBytes(4, signed);
                ps.setBytes(5, countersigned);
                ps.executeUpdate();
            }
            return countersigned;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the witnessed checkpoint cannot be kept; retry later", e);
        }
    }

    /**
     * Our side: sends every checkpoint a partner has not countersigned yet (oldest first, at most
     * {@code limit} per partner and round) and keeps each countersignature that verifies. A partner
     * that is down, or refuses, is asked again next round. Returns how many were collected.
     */
    public int collect(List<Partner> partners, PartnerClient client, int limit) {
        int collected = 0;
        for (Partner partner : partners) {
            if (!partner.enabled() || pausedUntil.getOrDefault(partner.id(), Instant.MIN).isAfter(Instant.now())) {
                continue;
            }
            for (Unwitnessed checkpoint : missing(partner.id(), limit)) {
                try {
                    PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.CHECKPOINT,
                            json(Map.of("checkpoint", Base64.getEncoder().encodeToString(checkpoint.signed()))));
                    failures.remove(partner.id());
                    pausedUntil.remove(partner.id());
                    JsonNode answer = JSON.readTree(answered.answer().payload());
                    if (!answer.has("countersignature")) {
                        continue; // refused: its code is in the exchange's record; asked again next round
                    }
                    byte[] countersigned = Base64.getDecoder().decode(answer.get("countersignature").asText());
                    Checkpoint theirs = Checkpoint.verify(envelopesFor(countersigned), countersigned, partner.id());
                    if (!theirs.node().equals(self) || theirs.seq() != checkpoint.seq() || !Arrays.equals(theirs.headHash(), checkpoint.headHash())) {
                        continue; // a countersignature of something else: not kept
                    }
                    keep(checkpoint.seq(), partner.id(), countersigned);
                    collected++;
                } catch (CodedException | IOException | IllegalArgumentException e) {
                    // the partner is down or answers nonsense: each failed exchange is an audit event, so a partner
                    // that stays down is asked ever less often (5 s, 10 s, … 10 min), not every round
                    int failed = failures.merge(partner.id(), 1, Integer::sum);
                    pausedUntil.put(partner.id(), Instant.now().plus(RETRY.backoffAfter(failed)));
                    break;
                }
            }
        }
        return collected;
    }

    /**
     * Where a partner stands as a witness of our trail: how many of our signed checkpoints it has
     * not countersigned yet, since when the oldest of them waits, and when its last countersignature
     * came. The state the countersigning leaves, for readiness, metrics and the console, instead of
     * a log line per round.
     */
    public record Witness(String partner, long awaiting, Optional<Instant> oldestAwaitingSince, Optional<Instant> lastCountersignedAt) {

        /** Whether a checkpoint has waited for this partner's countersignature longer than {@code grace}. */
        public boolean lagging(Instant now, Duration grace) {
            return oldestAwaitingSince.map(since -> since.plus(grace).isBefore(now)).orElse(false);
        }
    }

    /** Each enabled partner's standing as a witness of our trail, by partner id. */
    public List<Witness> witnesses(List<Partner> partners) {
        return witnesses(database, partners);
    }

    /** As {@link #witnesses(List)}, read from the database alone: no key needed (the partners' status, the CLI). */
    public static List<Witness> witnesses(Database database, List<Partner> partners) {
        List<String> ids = partners.stream().filter(Partner::enabled).map(Partner::id).sorted().toList();
        List<Witness> out = new java.util.ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select p.partner, count(k.seq), min(k.at),
                       (select max(s.received_at) from audit_countersignature s where s.partner = p.partner)
                from unnest(?::text[]) as p (partner)
                left join audit_checkpoint k
                       on not exists (select 1 from audit_countersignature s where s.seq = k.seq and s.partner = p.partner)
                group by p.partner order by p.partner""")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Witness(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit countersignatures cannot be read", e);
        }
    }

    private static Optional<Instant> instant(java.sql.Timestamp t) {
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    /** One of our checkpoints a partner has not countersigned yet. */
    private record Unwitnessed(long seq, byte[] headHash, byte[] signed) {
    }

    private List<Unwitnessed> missing(String partner, int limit) {
        List<Unwitnessed> out = new java.util.ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select k.seq, k.head_hash, k.signed from audit_checkpoint k
                where not exists (select 1 from audit_countersignature s where s.seq = k.seq and s.partner = ?)
                order by k.seq limit ?""")) {
            ps.setString(1, partner);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Unwitnessed(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the audit checkpoints cannot be read", e);
        }
    }

    private void keep(long seq, String partner, byte[] countersigned) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "insert into audit_countersignature (seq, partner, signed) values (?, ?, ?) on conflict (seq, partner) do nothing")) {
            ps.setLong(1, seq);
            ps.setString(2, partner);
            ps.setBytes(3, countersigned);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the countersignature cannot be kept", e);
        }
    }

    /**
     * This node's envelopes of the suite a checkpoint's chain uses, which signs and verifies it:
     * its statement, carried in the clear as the SignedData's content, names the algorithm.
     */
    /**
     * The envelopes of the suite the signed statement names (its algorithm line, in the clear in the
     * SignedData): SHA-256 is INTL, SM3 GM. Content naming neither is no checkpoint statement
     * (§12): {@code E_MALFORMED}, before any signature is checked under a guessed suite.
     */
    private Envelopes envelopesFor(byte[] signed) {
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        if (text.contains("\nalgorithm SHA-256\n")) {
            return envelopes.suite(Suite.INTL);
        }
        if (text.contains("\nalgorithm SM3\n")) {
            return envelopes.suite(Suite.GM);
        }
        throw new CodedException(ErrorCode.E_MALFORMED, "the signed content is no checkpoint statement: its algorithm line must read"
                + " 'algorithm SM3' or 'algorithm SHA-256' (docs/protocol.md §12)");
    }

    private static byte[] json(Map<String, String> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
