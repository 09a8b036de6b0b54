package credit.exchange.routes.countersign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.exchange.ExchangeHandler;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * Our side: enqueues, for each enabled partner, the checkpoints it has not countersigned yet
     * (oldest first, at most {@code limit} per partner) as deliveries of kind {@code CHECKPOINT};
     * the engine carries them ({@link CheckpointCourier}). Enqueueing one already on its way does nothing.
     */
    public void enqueueAwaiting(List<Partner> partners, Deliveries deliveries, int limit) {
        for (Partner partner : partners) {
            if (!partner.enabled()) {
                continue;
            }
            for (CheckpointWitnesses.Unwitnessed checkpoint : store.awaiting(partner.id(), limit)) {
                deliveries.enqueue(DeliveryKind.CHECKPOINT, List.of(partner.id()), String.valueOf(checkpoint.seq()));
            }
        }
    }

    /** Our signed checkpoint {@code seq}, if it is kept. */
    Optional<CheckpointWitnesses.Unwitnessed> checkpoint(long seq) {
        return store.checkpoint(seq);
    }

    /**
     * Whether a partner's answer is its countersignature of our checkpoint: signed by it, of our
     * trail, at the same sequence number and head hash.
     */
    boolean countersigns(String partner, CheckpointWitnesses.Unwitnessed checkpoint, byte[] countersigned) {
        Checkpoint theirs = Checkpoint.verify(envelopesFor(countersigned), countersigned, partner);
        return theirs.node().equals(self) && theirs.seq() == checkpoint.seq() && Arrays.equals(theirs.headHash(), checkpoint.headHash());
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
