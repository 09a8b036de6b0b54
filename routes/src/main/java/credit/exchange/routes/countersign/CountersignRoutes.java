package credit.exchange.routes.countersign;

import credit.exchange.routes.audit.CheckpointWitnesses;
import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.partner.PartnerDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, enqueues for each enabled partner the checkpoints it has not countersigned
 * yet (none on an idle node: checkpoints are made only for real events; the delivery engine
 * carries them, {@link CheckpointCourier}), and keeps
 * where each partner stands ({@link CheckpointWitnesses.Witness}) as state: the readiness probe's
 * {@code countersignatures} check and the gauges {@code gateway_audit_checkpoints_awaiting_countersignature}
 * and {@code gateway_audit_countersignature_age_seconds}, per partner. Progress is logged at DEBUG only.
 */
public final class CountersignRoutes extends RouteBuilder {

    /** Registry name under which the node's readiness probe finds the countersigning's {@link Standing}. */
    public static final String REGISTRY_NAME = "auditCountersigning";

    private static final Logger LOG = LoggerFactory.getLogger(CountersignRoutes.class);
    private static final int PER_ROUND = 20;

    private final Countersignatures countersignatures;
    private final PartnerDirectory partners;
    private final Deliveries deliveries;
    private final long periodMillis;
    private final Clock clock;
    private final Standing standing;
    private final Map<String, CheckpointWitnesses.Witness> byPartner = new ConcurrentHashMap<>();

    public CountersignRoutes(Countersignatures countersignatures, PartnerDirectory partners, Deliveries deliveries, long periodMillis,
                             Clock clock) {
        this.countersignatures = countersignatures;
        this.partners = partners;
        this.deliveries = deliveries;
        this.periodMillis = periodMillis;
        this.clock = clock;
        this.standing = new Standing(Duration.ofMillis(3 * periodMillis), clock);
    }

    @Override
    public void configure() {
        from("timer:audit-countersign?period=" + periodMillis + "&delay=" + periodMillis).routeId("audit-countersign")
                .process(e -> {
                    try {
                        countersignatures.enqueueAwaiting(List.copyOf(partners.all()), deliveries, PER_ROUND);
                        remember(countersignatures.witnesses(List.copyOf(partners.all())));
                    } catch (RuntimeException failure) {
                        LOG.warn("audit countersignatures not collected this round: {}", failure.getMessage());
                    }
                });
    }

    /** Where the partners stand, as the last round found it (bind it for the readiness probe, not the routes). */
    public Standing standing() {
        return standing;
    }

    /** Each enabled partner's standing as a witness of our trail, as the last countersigning round found it. */
    public static final class Standing {

        private final AtomicReference<List<CheckpointWitnesses.Witness>> witnesses = new AtomicReference<>(List.of());
        private final Duration grace;
        private final Clock clock;

        Standing(Duration grace, Clock clock) {
            this.grace = grace;
            this.clock = clock;
        }

        public List<CheckpointWitnesses.Witness> witnesses() {
            return witnesses.get();
        }

        /**
         * How long a checkpoint may wait for a partner's countersignature before the partner counts
         * as lagging: three rounds (a partner that answers countersigns within one).
         */
        public Duration grace() {
            return grace;
        }

        /**
         * The partners whose countersignatures are overdue, one phrase each ("huzhou: 3 checkpoint(s)
         * awaiting countersignature since …, last countersigned …"); empty when every partner keeps up.
         */
        public List<String> lagging() {
            Instant now = clock.instant();
            return witnesses().stream().filter(w -> w.lagging(now, grace))
                    .map(w -> w.partner() + ": " + w.awaiting() + " checkpoint(s) awaiting countersignature since "
                            + w.oldestAwaitingSince().orElseThrow() + ", last countersigned "
                            + w.lastCountersignedAt().map(Instant::toString).orElse("never"))
                    .toList();
        }
    }

    private void remember(List<CheckpointWitnesses.Witness> found) {
        standing.witnesses.set(List.copyOf(found));
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        for (CheckpointWitnesses.Witness w : found) {
            if (byPartner.put(w.partner(), w) == null && registry != null) {
                String partner = w.partner();
                Gauge.builder("gateway.audit.checkpoints.awaiting.countersignature", byPartner,
                                m -> Optional.ofNullable(m.get(partner)).map(x -> (double) x.awaiting()).orElse(Double.NaN))
                        .description("our signed audit checkpoints the partner has not countersigned yet")
                        .tag("partner", partner).register(registry);
                Gauge.builder("gateway.audit.countersignature.age.seconds", byPartner,
                                m -> Optional.ofNullable(m.get(partner)).flatMap(CheckpointWitnesses.Witness::lastCountersignedAt)
                                        .map(at -> (double) Duration.between(at, clock.instant()).toSeconds()).orElse(Double.NaN))
                        .description("seconds since the partner's last countersignature of our audit trail (NaN: none yet)")
                        .tag("partner", partner).register(registry);
            }
        }
        byPartner.keySet().retainAll(found.stream().map(CheckpointWitnesses.Witness::partner).toList());
    }
}
