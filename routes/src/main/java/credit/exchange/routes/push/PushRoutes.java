package credit.exchange.routes.push;

import credit.exchange.routes.delivery.RetryPolicy;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push flows as Camel routes:
 * <ul>
 *   <li>{@code outbox-relay}: a timer relays due push deliveries to the partner's queue
 *       ({@code outbox.<partner>} on the node's Artemis broker);</li>
 *   <li>{@code outbox-deliver-<partner>}: the queue's consumer delivers what each trigger names;</li>
 *   <li>{@code outbox-pull}: a timer pulls from every partner this node pulls from, batch after
 *       batch while batches come full, then waits the partner's idle pause;</li>
 *   <li>{@code publicity-deadlines}: once a minute, the at-risk and overdue counts of double
 *       publicity as gauges {@code credit_publicity_at_risk} and {@code credit_publicity_overdue}
 *       per destination, with a warning in the log while any is non-zero.</li>
 * </ul>
 */
public final class PushRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(PushRoutes.class);
    /** Pulled batches in a row from one partner before the others get their turn. */
    private static final int PULLS_PER_TURN = 20;
    private static final Duration MAX_PULL_PAUSE = Duration.ofMinutes(1);

    /** How often the timers fire, and the most deliveries one relay pass takes. */
    public record Timing(long relayMillis, int relayMax, long pullTickMillis, long deadlineMillis) {
    }

    /**
     * A partner's delivery queue as Camel endpoints: where the relay sends triggers, and where
     * the consumer takes them (in a local transaction: a trigger whose processing failed returns).
     */
    public record Queues(Function<String, String> send, Function<String, String> consume) {
    }

    private final PartnerDirectory partners;
    private final PushDeliveries deliveries;
    private final OutboxPuller puller;
    private final Function<Partner, PartnerClient.Carrier> carriers;
    private final PublicityDeadlines deadlines;
    private final Queues queues;
    private final Timing timing;
    private final RelayWatch relayWatch;
    private final Clock clock;
    private final Set<String> consumers = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> nextPull = new ConcurrentHashMap<>();
    private final Map<String, Integer> pullFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong[]> deadlineGauges = new ConcurrentHashMap<>();
    private ProducerTemplate producer;
    private volatile boolean relayFailing;
    private volatile boolean relayBlocked;
    private AtomicLong blockedGauge;

    /**
     * @param carriers the carrier of each pulling partner's binding (REST: the exchange listener; SOAP)
     * @param queues the Camel endpoints of the partners' delivery queues
     */
    public PushRoutes(PartnerDirectory partners, PushDeliveries deliveries, OutboxPuller puller,
                      Function<Partner, PartnerClient.Carrier> carriers, PublicityDeadlines deadlines,
                      Queues queues, Timing timing, RelayWatch relayWatch, Clock clock) {
        this.partners = partners;
        this.deliveries = deliveries;
        this.puller = puller;
        this.carriers = carriers;
        this.deadlines = deadlines;
        this.queues = queues;
        this.timing = timing;
        this.relayWatch = relayWatch;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from("timer:outbox-relay?period=" + timing.relayMillis()).routeId("outbox-relay")
                .process(e -> relay());
        from("timer:outbox-pull?period=" + timing.pullTickMillis()).routeId("outbox-pull")
                .process(e -> pullFromPartners());
        from("timer:publicity-deadlines?delay=1000&period=" + timing.deadlineMillis()).routeId("publicity-deadlines")
                .process(e -> monitorDeadlines());
        from("timer:outbox-relay-watch?period=" + RelayWatch.BLOCKED_AFTER.toMillis() / 2).routeId("outbox-relay-watch")
                .process(e -> watchRelay());
    }

    /** Says once when the broker starts and stops blocking the relay's sends (RelayWatch); the gauge follows it. */
    private void watchRelay() {
        if (blockedGauge == null) {
            blockedGauge = new AtomicLong();
            Gauge.builder("gateway.outbox.relay.blocked.seconds", blockedGauge, AtomicLong::get)
                    .description("How long the outbox relay's current send to the broker has waited, once over 10 s (0: not blocked)")
                    .register(meterRegistry());
        }
        var blocked = relayWatch.blockedFor();
        blockedGauge.set(blocked.map(Duration::toSeconds).orElse(0L));
        if (blocked.isPresent() && !relayBlocked) {
            LOG.warn("the broker has blocked the relay's send for {} s (its journal disk or the address is full?): records are accepted"
                    + " and wait in the database; nothing is delivered until the broker takes them", blocked.get().toSeconds());
        } else if (blocked.isEmpty() && relayBlocked) {
            LOG.info("the broker takes the relay's sends again");
        }
        relayBlocked = blocked.isPresent();
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : new SimpleMeterRegistry();
    }

    private void relay() {
        for (Partner p : partners.all()) {
            if (p.push().filter(push -> !push.pull()).isPresent()) {
                ensureConsumer(p.id());
            }
        }
        if (producer == null) {
            producer = getCamelContext().createProducerTemplate();
        }
        Map<String, Integer> relayed;
        try {
            do {
                relayed = deliveries.relay((destination, ids) -> {
                    ensureConsumer(destination);
                    relayWatch.sending();
                    try {
                        producer.sendBody(queues.send().apply(destination), ids);
                    } finally {
                        relayWatch.sent();
                    }
                }, timing.relayMax());
            } while (relayed.values().stream().mapToInt(Integer::intValue).sum() == timing.relayMax());
            if (relayFailing) {
                LOG.info("the relay works again");
                relayFailing = false;
            }
        } catch (RuntimeException e) {
            // the deliveries stay due in the database; the next pass tries again
            if (!relayFailing) {
                LOG.warn("the relay cannot hand deliveries to the broker ({}); retrying every {} ms",
                        e.getClass().getSimpleName(), timing.relayMillis());
                relayFailing = true;
            }
        }
    }

    /** The consumer of a partner's queue, added when the partner first needs one. */
    private void ensureConsumer(String destination) {
        if (!consumers.add(destination)) {
            return;
        }
        try {
            getCamelContext().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(queues.consume().apply(destination)).routeId("outbox-deliver-" + destination)
                            .process(e -> deliveries.deliver(destination, PushDeliveries.parse(e.getMessage().getBody(String.class))));
                }
            });
        } catch (Exception e) {
            consumers.remove(destination);
            throw new IllegalStateException("the delivery route for " + destination + " cannot start", e);
        }
    }

    private void pullFromPartners() {
        Instant now = clock.instant();
        for (Partner p : partners.all()) {
            if (!p.enabled() || p.pullFrom().isEmpty() || now.isBefore(nextPull.getOrDefault(p.id(), Instant.MIN))) {
                continue;
            }
            Partner.PullFrom from = p.pullFrom().get();
            try {
                OutboxPuller.Round round = null;
                for (int i = 0; i < PULLS_PER_TURN; i++) {
                    round = puller.pullOnce(p, carriers.apply(p));
                    if (round.pulled() < from.batch()) {
                        break;
                    }
                }
                if (round.pulled() < from.batch()) {
                    nextPull.put(p.id(), clock.instant().plus(from.idlePause()));
                }
                pullFailures.remove(p.id());
            } catch (CodedException e) {
                // a partner that stays down is asked less and less often, up to once a minute, and reported once
                int failures = pullFailures.merge(p.id(), 1, Integer::sum);
                Duration first = from.idlePause().compareTo(MAX_PULL_PAUSE) > 0 ? MAX_PULL_PAUSE : from.idlePause();
                Duration pause = new RetryPolicy(RetryPolicy.UNBOUNDED, first, MAX_PULL_PAUSE, RetryPolicy.DEFAULT_JITTER).nextPause(failures);
                if (failures == 1) {
                    LOG.warn("pull from {} failed with {}: {}; asked again with growing pauses", p.id(), e.code(), e.getMessage());
                } else {
                    LOG.debug("pull from {} failed again ({} in a row) with {}", p.id(), failures, e.code());
                }
                nextPull.put(p.id(), clock.instant().plus(pause));
            }
        }
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
