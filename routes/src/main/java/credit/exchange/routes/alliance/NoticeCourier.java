package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A notice's attempt: the notice goes to the partner in a sealed {@code notice} exchange, and the
 * partner's answer (accepted, or refused with a code: an answer, not a failure) delivers it and is
 * kept with the notice in the same transaction. A failure (partner down, timeout, an answer that
 * is not JSON) is retried without end, from {@code firstPause} doubling up to ten minutes with
 * jitter: a notice must reach every city, and its status shows it pending meanwhile. A trigger's
 * notices after a failed exchange are not tried (the partner is down): they fail with its code.
 */
public final class NoticeCourier implements Courier {

    private static final Duration MAX_PAUSE = Duration.ofMinutes(10);
    private static final int PER_TRIGGER = 20;

    private final AllianceNotices notices;
    private final PartnerClient client;
    private final RetryPolicy policy;
    private final Clock clock;

    public NoticeCourier(AllianceNotices notices, PartnerClient client, Duration firstPause, Clock clock) {
        this.notices = notices;
        this.client = client;
        this.policy = new RetryPolicy(RetryPolicy.UNBOUNDED, firstPause, MAX_PAUSE, RetryPolicy.DEFAULT_JITTER);
        this.clock = clock;
    }

    @Override
    public DeliveryKind kind() {
        return DeliveryKind.NOTICE;
    }

    @Override
    public RetryPolicy policy(Optional<Partner> partner) {
        return policy;
    }

    @Override
    public int batch(Optional<Partner> partner) {
        return PER_TRIGGER;
    }

    @Override
    public Map<Long, Result> attempt(Partner partner, List<Due> due) {
        return Courier.eachInTurn(due, d -> {
            Optional<AllianceNotices.Notice> notice = notices.notice(d.payloadRef());
            if (notice.isEmpty()) {
                return new Failed(ErrorCode.E_UNKNOWN_MESSAGE, "notice " + d.payloadRef() + " is not kept here");
            }
            ObjectNode payload = Json.mapper().createObjectNode().put("noticeId", notice.get().id()).put("kind", notice.get().kind())
                    .put("subject", notice.get().subject());
            payload.set("body", notice.get().body());
            PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.NOTICE, json(payload));
            JsonNode answer;
            try {
                answer = Json.mapper().readTree(answered.answer().payload());
            } catch (IOException notJson) {
                return new Failed(ErrorCode.E_BAD_ANSWER, "the partner's answer to the notice is not JSON");
            }
            String noticeId = notice.get().id();
            java.time.Instant at = clock.instant();
            return new Reached(answered.receipt().messageId(), c -> AllianceNotices.keepAnswer(c, noticeId, partner.id(), answer, at));
        });
    }

    private static byte[] json(ObjectNode payload) {
        try {
            return Json.mapper().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
