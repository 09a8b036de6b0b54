package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.delivery.DeliveryRoutes;
import credit.exchange.routes.push.PushRoutes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The delivery engine and the push flows ({@code gateway.outbox.*}, docs/operations.md "Outbox"): how
 * long a QUEUED delivery's trigger may stay unconsumed before it is relayed again, and how often due
 * deliveries (of every kind) are relayed.
 */
public record PushSettings(Duration requeueAfter, int relayMs) {

    /** The Artemis queue of one destination's delivery triggers. */
    static final String OUTBOX_QUEUE = "jms:queue:outbox.";
    /** At most so many due deliveries relayed in one round (a round repeats while it relays this many). */
    static final int RELAY_MAX = 5000;
    /** How often (ms) the partners this node pulls from are looked at (their pulls are standing deliveries). */
    static final long PULL_SCHEDULE_MS = 5000;
    /** How often (ms) overdue double-publicity deadlines are counted. */
    static final long DEADLINE_MS = 60_000;

    public static PushSettings read(NodeConfig config) {
        return new PushSettings(config.duration("gateway.outbox.requeue-seconds", ChronoUnit.SECONDS, 1),
                config.whole("gateway.outbox.relay-ms", 1));
    }

    DeliveryRoutes.Queues queues() {
        return new DeliveryRoutes.Queues(destination -> OUTBOX_QUEUE + destination,
                // one consumer kept open per queue (with its local transaction, Camel's default would open and close a
                // consumer around every receive, and the queue would stand without one in between)
                destination -> OUTBOX_QUEUE + destination + "?transacted=true&cacheLevelName=CACHE_CONSUMER");
    }

    DeliveryRoutes.Timing timing() {
        return new DeliveryRoutes.Timing(relayMs, RELAY_MAX);
    }

    PushRoutes.Timing pushTiming() {
        return new PushRoutes.Timing(PULL_SCHEDULE_MS, DEADLINE_MS);
    }
}
