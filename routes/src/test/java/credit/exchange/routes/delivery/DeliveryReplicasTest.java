package credit.exchange.routes.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Engine;
import credit.exchange.routes.support.TestNode;
import credit.exchange.routes.support.TwoNodes;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two replicas of a node (two engines on one database) given the same trigger while the first
 * one's attempt is under way, for the kinds a node enqueues itself: the second finds the
 * deliveries leased and makes no attempt; the first records its outcome once. Records
 * (PUBLICITY) are shown the same way between real replicas by ReplicasIT.
 */
@ExtendWith(CleanCreditStore.class)
class DeliveryReplicasTest {

    private final TestNode node;

    DeliveryReplicasTest(TestNode node) {
        this.node = node;
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryKind.class, names = {"NOTICE", "CHECKPOINT", "PULL"})
    void theSameTrigger_atTwoReplicas_makesOneAttempt_recordedOnce(DeliveryKind kind) throws Exception {
        CountDownLatch inAttempt = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Courier slow = new Courier() {
            @Override
            public DeliveryKind kind() {
                return kind;
            }

            @Override
            public RetryPolicy policy(Optional<Partner> partner) {
                return new RetryPolicy(RetryPolicy.UNBOUNDED, Duration.ofSeconds(5), Duration.ofMinutes(1), 0);
            }

            @Override
            public int batch(Optional<Partner> partner) {
                return 10;
            }

            @Override
            public Map<Long, Result> attempt(Partner partner, List<Due> due) {
                attempts.incrementAndGet();
                inAttempt.countDown();
                try {
                    assertTrue(answer.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                Result done = kind == DeliveryKind.PULL ? new Again(java.time.Instant.now().plusSeconds(3600)) : new Reached("receipt");
                return due.stream().collect(Collectors.toMap(Due::id, d -> done));
            }
        };
        Partner huzhou = TwoNodes.huzhouAt(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));
        Engine first = new Engine(node, List.of(slow), id -> Optional.of(huzhou));
        DeliveryEngine second = new DeliveryEngine(new Deliveries(node.database(), first.clock), List.of(slow), id -> Optional.of(huzhou),
                Duration.ofMinutes(1));
        first.deliveries.enqueue(kind, List.of("huzhou"), "1");
        first.relay();
        Engine.Trigger trigger = first.triggers.get(0);

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DeliveryEngine.Outcome> attempting = pool.submit(() -> first.engine.deliver(trigger.destination(),
                    DeliveryEngine.parse(trigger.ids())));
            assertTrue(inAttempt.await(30, TimeUnit.SECONDS));
            DeliveryEngine.Outcome atTheOther = second.deliver(trigger.destination(), DeliveryEngine.parse(trigger.ids()));
            assertEquals(new DeliveryEngine.Outcome(0, 0, 0), atTheOther, "leased to the first replica's attempt");
            answer.countDown();
            assertEquals(1, attempting.get(30, TimeUnit.SECONDS).delivered());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, attempts.get(), "one attempt in all");
        String after = kind == DeliveryKind.PULL ? "READY" : "DELIVERED";
        assertEquals(1, node.number("select count(*) from outbox where visible_after is null and state = '" + after + "'"),
                "recorded " + after + ", the lease released");
        assertEquals(kind == DeliveryKind.PULL ? 0 : 1, node.number("select count(*) from outbox_attempt where outcome = 'OK'"),
                "a delivered one's attempt recorded once (a standing pull's worked turn is not recorded)");
        assertEquals(new DeliveryEngine.Outcome(0, 0, 0), second.deliver(trigger.destination(), DeliveryEngine.parse(trigger.ids())),
                "done: the trigger again finds nothing to do");
    }
}
