package credit.exchange.routes.countersign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint's attempt: our signed checkpoint goes to the partner in a sealed {@code checkpoint}
 * exchange; a countersignature that verifies is kept (in the transaction that records the
 * delivery) and delivers it. A refusal (its code, e.g. {@code E_CHECKPOINT_CONFLICT}), a
 * countersignature of something else or a failed exchange is a failed attempt, retried without
 * end from 5 s doubling up to ten minutes with jitter. A trigger's checkpoints after a failed
 * exchange are not tried (the partner is down): they fail with its code.
 */
public final class CheckpointCourier implements Courier {

    static final RetryPolicy RETRY = new RetryPolicy(RetryPolicy.UNBOUNDED, Duration.ofSeconds(5), Duration.ofMinutes(10),
            RetryPolicy.DEFAULT_JITTER);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_TRIGGER = 20;

    private final Countersignatures countersignatures;
    private final PartnerClient client;

    public CheckpointCourier(Countersignatures countersignatures, PartnerClient client) {
        this.countersignatures = countersignatures;
        this.client = client;
    }

    @Override
    public DeliveryKind kind() {
        return DeliveryKind.CHECKPOINT;
    }

    @Override
    public RetryPolicy policy(Optional<Partner> partner) {
        return RETRY;
    }

    @Override
    public int batch(Optional<Partner> partner) {
        return PER_TRIGGER;
    }

    @Override
    public Map<Long, Result> attempt(Partner partner, List<Due> due) {
        return Courier.eachInTurn(due, d -> {
            Optional<CheckpointWitnesses.Unwitnessed> checkpoint = countersignatures.checkpoint(Long.parseLong(d.payloadRef()));
            if (checkpoint.isEmpty()) {
                return new Failed(ErrorCode.E_UNKNOWN_MESSAGE, "checkpoint " + d.payloadRef() + " is not kept here");
            }
            PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.CHECKPOINT, request(checkpoint.get()));
            return countersigned(partner, checkpoint.get(), answered);
        });
    }

    private static byte[] request(CheckpointWitnesses.Unwitnessed checkpoint) {
        try {
            return JSON.writeValueAsBytes(Map.of("checkpoint", Base64.getEncoder().encodeToString(checkpoint.signed())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the partner's answer comes to: its countersignature kept, its refusal's code, or a bad answer. */
    private Result countersigned(Partner partner, CheckpointWitnesses.Unwitnessed checkpoint, PartnerClient.Answered answered) {
        JsonNode answer;
        try {
            answer = JSON.readTree(answered.answer().payload());
        } catch (IOException e) {
            return new Failed(ErrorCode.E_BAD_ANSWER, "the partner's answer to a checkpoint is not JSON");
        }
        if (!answer.has("countersignature")) {
            String code = answer.path("refused").asText("");
            return new Failed(ErrorCode.named(code).orElse(ErrorCode.E_BAD_ANSWER),
                    "refused: " + code + " " + answer.path("message").asText(""));
        }
        try {
            byte[] countersigned = Base64.getDecoder().decode(answer.get("countersignature").asText());
            if (!countersignatures.countersigns(partner.id(), checkpoint, countersigned)) {
                return new Failed(ErrorCode.E_BAD_ANSWER, "the partner countersigned another checkpoint");
            }
            return new Reached(answered.receipt().messageId(),
                    c -> CheckpointWitnesses.keepCountersignature(c, checkpoint.seq(), partner.id(), countersigned));
        } catch (CodedException e) {
            return new Failed(e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Failed(ErrorCode.E_BAD_ANSWER, "the countersignature is not base64");
        }
    }
}
