package credit.exchange.routes.support;

import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.delivery.DeliveryEngine;
import credit.exchange.routes.partner.Partner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The delivery engine driven by a test, without a broker or timers: {@link #relay} collects the
 * triggers the engine hands out, {@link #deliverAll} delivers them in order, and time passes only
 * when the test says so ({@link #clock}).
 */
public final class Engine {

    /** A clock that moves only when told. */
    public static final class TestClock extends Clock {
        private volatile Instant now;

        public TestClock(Instant start) {
            this.now = start;
        }

        public void pass(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A trigger as the engine hands it to the broker. */
    public record Trigger(String destination, String ids) {
    }

    public final TestClock clock = new TestClock(Instant.now());
    public final Deliveries deliveries;
    public final DeliveryEngine engine;
    public final List<Trigger> triggers = new ArrayList<>();

    public Engine(TestNode node, List<Courier> couriers, Function<String, Optional<Partner>> partners) {
        this.deliveries = new Deliveries(node.database(), clock);
        this.engine = new DeliveryEngine(deliveries, couriers, partners, Duration.ofMinutes(1));
    }

    /** One relay pass: what it relayed, by destination; its triggers are kept in order. */
    public Map<String, Integer> relay() {
        return engine.relay((destination, ids) -> triggers.add(new Trigger(destination, ids)), 1000);
    }

    /** The last trigger delivered. */
    public DeliveryEngine.Outcome deliverLast() {
        Trigger t = triggers.get(triggers.size() - 1);
        return engine.deliver(t.destination(), DeliveryEngine.parse(t.ids()));
    }

    /** A relay pass, then every trigger it handed out delivered; the outcomes summed. */
    public DeliveryEngine.Outcome round() {
        int from = triggers.size();
        relay();
        int delivered = 0;
        int retrying = 0;
        int dead = 0;
        for (Trigger t : List.copyOf(triggers.subList(from, triggers.size()))) {
            DeliveryEngine.Outcome o = engine.deliver(t.destination(), DeliveryEngine.parse(t.ids()));
            delivered += o.delivered();
            retrying += o.retrying();
            dead += o.dead();
        }
        return new DeliveryEngine.Outcome(delivered, retrying, dead);
    }
}
