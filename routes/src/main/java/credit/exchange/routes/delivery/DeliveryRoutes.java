package credit.exchange.routes.delivery;

import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
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
 * The delivery engine as Camel routes:
 * <ul>
 *   <li>{@code outbox-relay}: a timer relays due deliveries to the partner's queue
 *       ({@code outbox.<partner>} on the node's Artemis broker);</li>
 *   <li>{@code outbox-deliver-<partner>}: the queue's consumer makes the attempts each trigger names;</li>
 *   <li>{@code outbox-relay-watch}: says when the broker blocks the relay's sends;</li>
 *   <li>{@code outbox-backlog}: the gauge {@code gateway.delivery.backlog} (kind, state).</li>
 * </ul>
 */
public final class DeliveryRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRoutes.class);
    private static final long BACKLOG_MILLIS = 10_000;

    /** How often the relay runs, and the most deliveries one pass takes. */
    public record Timing(long relayMillis, int relayMax) {
    }

    /**
     * A partner's delivery queue as Camel endpoints: where the relay sends triggers, and where
     * the consumer takes them (in a local transaction: a trigger whose processing failed returns).
     */
    public record Queues(Function<String, String> send, Function<String, String> consume) {
    }

    private final DeliveryEngine engine;
    private final PartnerDirectory partners;
    private final Queues queues;
    private final Timing timing;
    private final RelayWatch relayWatch;
    private final Set<String> consumers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
    private ProducerTemplate producer;
    private volatile boolean relayFailing;
    private volatile boolean relayBlocked;
    private AtomicLong blockedGauge;

    public DeliveryRoutes(DeliveryEngine engine, PartnerDirectory partners, Queues queues, Timing timing, RelayWatch relayWatch) {
        this.engine = engine;
        this.partners = partners;
        this.queues = queues;
        this.timing = timing;
        this.relayWatch = relayWatch;
    }

    @Override
    public void configure() {
        engine.measure(meterRegistry());
        from("timer:outbox-relay?period=" + timing.relayMillis()).routeId("outbox-relay")
                .process(e -> relay());
        from("timer:outbox-relay-watch?period=" + RelayWatch.BLOCKED_AFTER.toMillis() / 2).routeId("outbox-relay-watch")
                .process(e -> watchRelay());
        from("timer:outbox-backlog?delay=1000&period=" + BACKLOG_MILLIS).routeId("outbox-backlog")
                .process(e -> measureBacklog());
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : new SimpleMeterRegistry();
    }

    private void relay() {
        // a consumer per partner from the start: triggers left on the broker by a stopped node are taken at once
        for (Partner p : partners.all()) {
            ensureConsumer(p.id());
        }
        if (producer == null) {
            producer = getCamelContext().createProducerTemplate();
        }
        Map<String, Integer> relayed;
        try {
            do {
                relayed = engine.relay((destination, ids) -> {
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
                            .process(e -> engine.deliver(destination, DeliveryEngine.parse(e.getMessage().getBody(String.class))));
                }
            });
        } catch (Exception e) {
            consumers.remove(destination);
            throw new IllegalStateException("the delivery route for " + destination + " cannot start", e);
        }
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

    private void measureBacklog() {
        Map<DeliveryKind, Map<DeliveryState, Long>> now = new Outbox(engine.deliveries().database(), engine.deliveries().clock()).backlog();
        for (DeliveryKind kind : DeliveryKind.values()) {
            for (DeliveryState state : DeliveryState.values()) {
                if (state.isFinal() && state != DeliveryState.DEAD) {
                    continue;
                }
                long n = now.getOrDefault(kind, Map.of()).getOrDefault(state, 0L);
                backlog.computeIfAbsent(kind + "/" + state, key -> {
                    AtomicLong gauge = new AtomicLong();
                    Gauge.builder("gateway.delivery.backlog", gauge, AtomicLong::get)
                            .description("Partner deliveries not finished, by kind and state (DEAD waits for an operator's replay)")
                            .tag("kind", kind.name()).tag("state", state.name()).register(meterRegistry());
                    return gauge;
                }).set(n);
            }
        }
    }
}
