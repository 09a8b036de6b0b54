package credit.exchange.routes.countersign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.delivery.RetryPolicy;
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
 * countersignature. Rewriting history that a countersigned checkpoint pins then needs every
 * partner that countersigned it to collude. A partner that already witnessed another hash at the
 * same sequence number refuses (a forked trail). This flow decides and carries; what is kept, both
 * ways, is the audit package's ({@link CheckpointWitnesses}).
 *
 * <p>Payloads: request {@code {"checkpoint": "<base64 CMS>"}}; answer
 * {@code {"countersignature": "<base64 CMS>"}} or {@code {"refused": "<code>", "message": "…"}}.
 */
public final class Countersignatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointWitnesses store;
    private final String self;
    private final NodeEnvelopes envelopes;
    /** A partner that failed is asked again only after a pause that doubles with each failure (at most ten minutes, with jitter). */
    static final RetryPolicy RETRY = new RetryPolicy(RetryPolicy.UNBOUNDED, Duration.ofSeconds(5), Duration.ofMinutes(10),
            RetryPolicy.DEFAULT_JITTER);
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    public Countersignatures(Database database, String self, NodeEnvelopes envelopes) {
        this.store = new CheckpointWitnesses(database);
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
        Optional<CheckpointWitnesses.Witnessed> before = store.witnessed(partner, checkpoint.seq());
        if (before.isPresent()) {
            if (!Arrays.equals(before.get().headHash(), checkpoint.headHash())) {
                throw new CodedException(ErrorCode.E_CHECKPOINT_CONFLICT, partner + "'s trail had another hash at event " + checkpoint.seq()
                        + " when this node witnessed it: a forked or rewritten trail");
            }
            return before.get().countersigned(); // witnessed before: the same countersignature again
        }
        store.keepWitnessed(partner, checkpoint.seq(), checkpoint.headHash(), signed, countersigned);
        return countersigned;
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
            for (CheckpointWitnesses.Unwitnessed checkpoint : store.awaiting(partner.id(), limit)) {
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
                    store.keepCountersignature(checkpoint.seq(), partner.id(), countersigned);
                    collected++;
                } catch (CodedException | IOException | IllegalArgumentException e) {
                    // the partner is down or answers nonsense: each failed exchange is an audit event, so a partner
                    // that stays down is asked ever less often (5 s, 10 s, … 10 min), not every round
                    int failed = failures.merge(partner.id(), 1, Integer::sum);
                    pausedUntil.put(partner.id(), Instant.now().plus(RETRY.nextPause(failed)));
                    break;
                }
            }
        }
        return collected;
    }

    /** Each enabled partner's standing as a witness of our trail, by partner id. */
    public List<CheckpointWitnesses.Witness> witnesses(List<Partner> partners) {
        return store.witnesses(enabled(partners));
    }

    /** As {@link #witnesses(List)}, read from the database alone: no key needed (the partners' status, the CLI). */
    public static List<CheckpointWitnesses.Witness> witnesses(Database database, List<Partner> partners) {
        return new CheckpointWitnesses(database).witnesses(enabled(partners));
    }

    private static List<String> enabled(List<Partner> partners) {
        return partners.stream().filter(Partner::enabled).map(Partner::id).toList();
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
