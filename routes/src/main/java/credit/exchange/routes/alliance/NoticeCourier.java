package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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

    private final PartnerClient client;
    private final RetryPolicy policy;
    private final Clock clock;

    public NoticeCourier(PartnerClient client, Duration firstPause, Clock clock) {
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
    public Map<Long, Result> attempt(Connection c, Partner partner, List<Due> due) throws SQLException {
        Map<Long, Result> out = new HashMap<>();
        Failed partnerDown = null;
        for (Due d : due) {
            if (partnerDown != null) {
                out.put(d.id(), partnerDown); // not tried: the partner failed this trigger's previous attempt
                continue;
            }
            Optional<AllianceNotices.Notice> notice = AllianceNotices.notice(c, d.payloadRef());
            if (notice.isEmpty()) {
                out.put(d.id(), new Failed(ErrorCode.E_UNKNOWN_MESSAGE, "notice " + d.payloadRef() + " is not kept here"));
                continue;
            }
            ObjectNode payload = Json.mapper().createObjectNode().put("noticeId", notice.get().id()).put("kind", notice.get().kind())
                    .put("subject", notice.get().subject());
            payload.set("body", notice.get().body());
            try {
                PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.NOTICE, Json.mapper().writeValueAsBytes(payload));
                JsonNode answer = Json.mapper().readTree(answered.answer().payload());
                AllianceNotices.keepAnswer(c, notice.get().id(), partner.id(), answer, clock.instant());
                out.put(d.id(), new Reached(answered.receipt().messageId()));
            } catch (CodedException failure) {
                partnerDown = new Failed(failure.code(), failure.getMessage());
                out.put(d.id(), partnerDown);
            } catch (IOException notJson) {
                out.put(d.id(), new Failed(ErrorCode.E_BAD_ANSWER, "the partner's answer to the notice is not JSON"));
            }
        }
        return out;
    }
}
