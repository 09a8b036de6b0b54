package credit.exchange.routes.push;

import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * This node's pulls from a partner's outbox (the provincial pull, run by the province), as a
 * standing delivery of the engine: one row per partner pulled from, never final. An attempt pulls,
 * keeps and acknowledges batch after batch while they come full (at most {@link #PULLS_PER_TURN}),
 * then is due again after the partner's idle pause, or at once when the last batch came full. A
 * failed pull backs off from the idle pause up to a minute, without end.
 */
public final class PullCourier implements Courier {

    /** Pulled batches in a row from one partner before the others get their turn. */
    static final int PULLS_PER_TURN = 20;
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final OutboxPuller puller;
    private final Function<Partner, PartnerClient.Carrier> carriers;
    private final Clock clock;

    /** @param carriers the carrier of each pulling partner's binding (REST: the exchange listener; SOAP) */
    public PullCourier(OutboxPuller puller, Function<Partner, PartnerClient.Carrier> carriers, Clock clock) {
        this.puller = puller;
        this.carriers = carriers;
        this.clock = clock;
    }

    @Override
    public DeliveryKind kind() {
        return DeliveryKind.PULL;
    }

    @Override
    public RetryPolicy policy(Optional<Partner> partner) {
        Duration idle = partner.flatMap(Partner::pullFrom).map(Partner.PullFrom::idlePause).orElse(MAX_PAUSE);
        return new RetryPolicy(RetryPolicy.UNBOUNDED, idle.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : idle, MAX_PAUSE,
                RetryPolicy.DEFAULT_JITTER);
    }

    @Override
    public int batch(Optional<Partner> partner) {
        return 1;
    }

    @Override
    public Map<Long, Result> attempt(Partner partner, List<Due> due) {
        Optional<Partner.PullFrom> from = partner.pullFrom().filter(f -> partner.enabled());
        Result result;
        if (from.isEmpty()) {
            result = new Failed(ErrorCode.E_UNKNOWN_PARTNER, "this node does not pull from " + partner.id() + " now");
        } else {
            try {
                OutboxPuller.Round round = null;
                for (int i = 0; i < PULLS_PER_TURN; i++) {
                    round = puller.pullOnce(partner, carriers.apply(partner));
                    if (round.pulled() < from.get().batch()) {
                        break;
                    }
                }
                result = new Again(round.pulled() < from.get().batch() ? clock.instant().plus(from.get().idlePause()) : clock.instant());
            } catch (CodedException e) {
                result = new Failed(e.code(), e.getMessage());
            }
        }
        Result each = result;
        return due.stream().collect(java.util.stream.Collectors.toMap(Due::id, d -> each));
    }
}
