package credit.exchange.routes.push;

import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.PublicityDeadlines;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push flows' own routes (their deliveries are the delivery engine's, {@code DeliveryRoutes}):
 * <ul>
 *   <li>{@code outbox-pull-schedule}: keeps one standing {@code PULL} delivery per partner this
 *       node pulls from (the engine pulls, keeps and acknowledges through {@link PullCourier});</li>
 *   <li>{@code publicity-deadlines}: once a minute, the at-risk and overdue counts of double
 *       publicity as gauges {@code credit_publicity_at_risk} and {@code credit_publicity_overdue}
 *       per destination, with a warning in the log while any is non-zero.</li>
 * </ul>
 */
public final class PushRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(PushRoutes.class);

    /** How often the partners pulled from are looked at, and the overdue deadlines counted. */
    public record Timing(long pullScheduleMillis, long deadlineMillis) {
    }

    private final PartnerDirectory partners;
    private final Deliveries deliveries;
    private final PublicityDeadlines deadlines;
    private final Timing timing;
    private final Map<String, AtomicLong[]> deadlineGauges = new ConcurrentHashMap<>();

    public PushRoutes(PartnerDirectory partners, Deliveries deliveries, PublicityDeadlines deadlines, Timing timing) {
        this.partners = partners;
        this.deliveries = deliveries;
        this.deadlines = deadlines;
        this.timing = timing;
    }

    @Override
    public void configure() {
        from("timer:outbox-pull-schedule?period=" + timing.pullScheduleMillis()).routeId("outbox-pull-schedule")
                .process(e -> schedulePulls());
        from("timer:publicity-deadlines?delay=1000&period=" + timing.deadlineMillis()).routeId("publicity-deadlines")
                .process(e -> monitorDeadlines());
    }

    /** One standing pull delivery per enabled partner with a pull-from (enqueueing is idempotent). */
    private void schedulePulls() {
        List<String> pulled = partners.all().stream().filter(Partner::enabled).filter(p -> p.pullFrom().isPresent())
                .map(Partner::id).toList();
        if (pulled.isEmpty()) {
            return;
        }
        try {
            deliveries.enqueue(DeliveryKind.PULL, pulled, DeliveryKind.PULL_REF);
        } catch (CodedException e) {
            LOG.warn("the pulls from {} cannot be scheduled now: {}", pulled, e.getMessage());
        }
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : new SimpleMeterRegistry();
    }

    private void monitorDeadlines() {
        Map<String, PublicityDeadlines.Summary> current = PublicityDeadlines.byDestination(deadlines.summary());
        current.keySet().forEach(d -> deadlineGauges.computeIfAbsent(d, this::registerGauges));
        deadlineGauges.forEach((destination, gauges) -> {
            PublicityDeadlines.Summary s = current.get(destination);
            gauges[0].set(s == null ? 0 : s.atRisk());
            gauges[1].set(s == null ? 0 : s.overdue());
            if (s != null && (s.atRisk() > 0 || s.overdue() > 0)) {
                LOG.warn("double publicity to {}: {} deliveries overdue, {} with under 24 hours left (./gatewayctl publicity status)",
                        destination, s.overdue(), s.atRisk());
            }
        });
    }

    private AtomicLong[] registerGauges(String destination) {
        MeterRegistry registry = meterRegistry();
        AtomicLong atRisk = new AtomicLong();
        AtomicLong overdue = new AtomicLong();
        Gauge.builder("credit.publicity.at.risk", atRisk, AtomicLong::get)
                .description("Double-publicity deliveries not yet delivered with under 24 hours to their deadline")
                .tag("destination", destination).register(registry);
        Gauge.builder("credit.publicity.overdue", overdue, AtomicLong::get)
                .description("Double-publicity deliveries not delivered by their deadline")
                .tag("destination", destination).register(registry);
        return new AtomicLong[] {atRisk, overdue};
    }
}
