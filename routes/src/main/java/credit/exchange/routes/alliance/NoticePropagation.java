package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route {@code alliance-propagation}: on every tick, each notice delivery that is due goes to its
 * partner in a sealed {@code notice} exchange. The partner's answer (accepted, or refused with a
 * code) ends the delivery; a failure (partner down, timeout, a bad answer) pauses it for
 * {@code firstPause} × 2^(attempts − 1), at most ten minutes, less a random jitter of up to a fifth
 * (the delivery engine's {@link RetryPolicy}), and it is tried again from the
 * database's state.
 */
public final class NoticePropagation extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(NoticePropagation.class);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(10);
    private static final int PER_TICK = 50;

    private final AllianceNotices notices;
    private final PartnerDirectory partners;
    private final PartnerClient client;
    private final long tickMillis;
    private final RetryPolicy retry;

    public NoticePropagation(AllianceNotices notices, PartnerDirectory partners, PartnerClient client, long tickMillis, Duration firstPause) {
        this.notices = notices;
        this.partners = partners;
        this.client = client;
        this.tickMillis = tickMillis;
        this.retry = new RetryPolicy(RetryPolicy.UNBOUNDED, firstPause, MAX_PAUSE, RetryPolicy.DEFAULT_JITTER);
    }

    @Override
    public void configure() {
        from("timer:alliance-propagation?period=" + tickMillis + "&delay=" + tickMillis).routeId("alliance-propagation")
                .process(e -> {
                    try {
                        propagate();
                    } catch (CodedException failure) {
                        LOG.warn("alliance notices not propagated this tick: {}", failure.getMessage());
                    }
                });
    }

    /** Delivers what is due; returns how many deliveries ended (answered or refused). */
    public int propagate() {
        int ended = 0;
        for (AllianceNotices.Due due : notices.due(PER_TICK)) {
            Optional<Partner> partner = partners.find(due.partner()).filter(Partner::enabled);
            if (partner.isEmpty()) {
                notices.failed(due.notice().id(), due.partner(), "not an enabled partner now", retry.nextPause(due.attempts() + 1));
                continue;
            }
            ObjectNode payload = Json.mapper().createObjectNode().put("noticeId", due.notice().id()).put("kind", due.notice().kind())
                    .put("subject", due.notice().subject());
            payload.set("body", due.notice().body());
            try {
                PartnerClient.Answered answered = client.exchange(partner.get(), Partner.ExchangeType.NOTICE,
                        Json.mapper().writeValueAsBytes(payload));
                JsonNode answer = Json.mapper().readTree(answered.answer().payload());
                notices.answered(due.notice().id(), due.partner(), answer);
                ended++;
            } catch (CodedException failure) {
                notices.failed(due.notice().id(), due.partner(), failure.code().name(), retry.nextPause(due.attempts() + 1));
            } catch (IOException notJson) {
                notices.failed(due.notice().id(), due.partner(), "E_BAD_ANSWER", retry.nextPause(due.attempts() + 1));
            }
        }
        return ended;
    }
}
