package credit.exchange.routes.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The delivery engine's state machine over random failure sequences, on a clock the test moves
 * (no sleeps): every delivery ends reached (DELIVERED or ACKNOWLEDGED) or DEAD, none is reached
 * twice however often its trigger comes, and every attempt is recorded with its number and time.
 */
class DeliveryStateMachineTest {

    private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    /**
     * Each delivery's attempts fail or succeed as the sequence says (then succeed); a trigger may
     * come again after each step (a duplicate, or the relay's requeue), and an operator may replay
     * DEAD deliveries a bounded number of times.
     */
    @Property(tries = 300)
    void everyDelivery_endsReachedOrDead_noneReachedTwice_everyAttemptRecorded(
            @ForAll @Size(min = 1, max = 8) List<@Size(max = 30) List<Boolean>> failureSequences,
            @ForAll @IntRange(min = 1, max = 12) int attemptsPerRound,
            @ForAll @IntRange(min = 0, max = 2) int replays,
            @ForAll boolean pullMode,
            @ForAll long seed) {
        RetryPolicy policy = new RetryPolicy(attemptsPerRound, Duration.ofSeconds(5), Duration.ofMinutes(10), RetryPolicy.DEFAULT_JITTER);
        Random random = new Random(seed);
        DeliveryState reached = pullMode ? DeliveryState.ACKNOWLEDGED : DeliveryState.DELIVERED;
        for (List<Boolean> failures : failureSequences) {
            Instant now = START;
            Delivery d = Delivery.ready(now);
            List<Delivery.Attempt> recorded = new ArrayList<>();
            int outcomeIndex = 0;
            int reachedCount = 0;
            int replaysLeft = replays;
            for (int step = 0; step < 10_000; step++) {
                if (d.state() == DeliveryState.DEAD && replaysLeft > 0) {
                    replaysLeft--;
                    d = d.replayed(now).after();
                }
                if (d.state().isFinal()) {
                    break;
                }
                now = now.isBefore(d.nextAttemptAt()) && d.state() == DeliveryState.RETRY_WAIT ? d.nextAttemptAt() : now;
                if (random.nextBoolean() && d.state() != DeliveryState.RETRY_WAIT) {
                    d = d.queued(now, Duration.ofMinutes(2)).after();
                }
                assertTrue(d.dueAt(now), "due when its time has come: " + d);
                boolean fails = outcomeIndex < failures.size() && failures.get(outcomeIndex);
                outcomeIndex++;
                Delivery.Step next = fails ? d.failed(now, "E_PARTNER_UNREACHABLE", policy, random::nextDouble) : d.succeeded(now, reached);
                if (next.after().state() == DeliveryState.RETRY_WAIT) {
                    Duration pause = Duration.between(now, next.after().nextAttemptAt());
                    Duration full = policy.pauseAfter(next.after().attempts() - next.after().retryBase());
                    assertTrue(pause.compareTo(full) <= 0 && pause.toNanos() >= full.toNanos() * (1 - policy.jitter()) - 1,
                            "the pause " + pause + " is the policy's " + full + " less at most its jitter");
                    assertTrue(full.compareTo(policy.cap()) <= 0, "capped");
                }
                d = next.after();
                next.attempt().ifPresent(recorded::add);
                if (d.state().reached()) {
                    reachedCount++;
                }
                // a duplicate trigger finds it not due (done, or waiting for its pause) and makes no attempt
                assertFalse(d.state().isFinal() && d.dueAt(now), "a final delivery is never due");
                now = now.plusMillis(random.nextInt(1000));
            }
            assertTrue(d.state().reached() || d.state() == DeliveryState.DEAD, "ends reached or DEAD: " + d);
            assertTrue(reachedCount <= 1, "reached once at most");
            assertEquals(d.state().reached() ? 1 : 0, reachedCount);
            assertEquals(d.attempts(), recorded.size(), "every attempt recorded");
            for (int i = 0; i < recorded.size(); i++) {
                assertEquals(i + 1, recorded.get(i).number());
                assertTrue(i == 0 || !recorded.get(i).at().isBefore(recorded.get(i - 1).at()), "attempts in time order");
            }
            if (d.state() == DeliveryState.DEAD) {
                assertEquals(policy.attempts(), d.attempts() - d.retryBase(), "DEAD after exactly the round's attempts");
                assertEquals("E_PARTNER_UNREACHABLE", d.lastError());
            } else {
                assertEquals(Delivery.Attempt.OK, recorded.get(recorded.size() - 1).outcome());
            }
        }
    }

    @Property(tries = 200)
    void thePause_doublesUpToTheCap_lessAtMostItsJitter(@ForAll @IntRange(min = 1, max = 200) int failures,
                                                       @ForAll @net.jqwik.api.constraints.DoubleRange(min = 0, max = 1, maxIncluded = false) double draw) {
        RetryPolicy policy = new RetryPolicy(RetryPolicy.UNBOUNDED, Duration.ofSeconds(5), Duration.ofMinutes(10), 0.2);
        Duration full = policy.pauseAfter(failures);
        Duration expected = Duration.ofSeconds(5).multipliedBy(1L << Math.min(failures - 1, 20));
        assertEquals(expected.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : expected, full);
        Duration jittered = policy.pauseAfter(failures, () -> draw);
        assertTrue(jittered.compareTo(full) <= 0 && jittered.toNanos() >= (long) (full.toNanos() * 0.8) - 1);
        assertFalse(policy.spentAfter(failures), "an unbounded policy never ends DEAD");
    }

    @Example
    void finalStates_allowNoAttempt_andOnlyDeadIsReplayed() {
        Instant now = START;
        Delivery delivered = Delivery.ready(now).succeeded(now, DeliveryState.DELIVERED).after();
        assertThrows(IllegalStateException.class, () -> delivered.succeeded(now, DeliveryState.DELIVERED));
        assertThrows(IllegalStateException.class, () -> delivered.failed(now, "E_TIMEOUT",
                new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 0), () -> 0));
        assertThrows(IllegalStateException.class, () -> delivered.replayed(now));
        assertThrows(IllegalStateException.class, () -> delivered.queued(now, Duration.ofMinutes(1)));
        Delivery waiting = Delivery.ready(now).failed(now, "E_TIMEOUT", new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofHours(1), 0), () -> 0).after();
        assertEquals(DeliveryState.RETRY_WAIT, waiting.state());
        assertFalse(waiting.dueAt(now.plusSeconds(29)), "not due before its pause has passed");
        assertTrue(waiting.dueAt(now.plusSeconds(30)));
        assertThrows(IllegalStateException.class, () -> waiting.succeeded(now, DeliveryState.DELIVERED), "an early trigger makes no attempt");
    }

    /**
     * A standing delivery (this node's pulls from a partner): a turn that worked makes it READY again
     * at the time given, records no attempt and starts a new round, so that failures before it do
     * not shorten the pauses after it; it never becomes final by working.
     */
    @Example
    void aStandingDelivery_isReadyAgainAfterAWorkingTurn_withANewRound_andNoAttemptRecorded() {
        RetryPolicy policy = new RetryPolicy(RetryPolicy.UNBOUNDED, Duration.ofSeconds(10), Duration.ofMinutes(1), 0);
        Instant now = START;
        Delivery d = Delivery.ready(now).failed(now, "E_PARTNER_UNREACHABLE", policy, () -> 0).after();
        now = d.nextAttemptAt();
        d = d.failed(now, "E_PARTNER_UNREACHABLE", policy, () -> 0).after();
        assertEquals(Duration.ofSeconds(20), Duration.between(now, d.nextAttemptAt()), "the second failure of a round: twice the first pause");
        now = d.nextAttemptAt();
        Delivery.Step worked = d.again(now, now.plusSeconds(1));
        assertEquals(DeliveryState.READY, worked.after().state());
        assertEquals(now.plusSeconds(1), worked.after().nextAttemptAt());
        assertTrue(worked.attempt().isEmpty(), "a working turn is no attempt to keep");
        assertEquals(2, worked.after().attempts(), "only the failures are counted");
        assertEquals(worked.after().attempts(), worked.after().retryBase(), "a new round");
        assertEquals(null, worked.after().lastError());
        Delivery afterAgain = worked.after().failed(now.plusSeconds(1), "E_PARTNER_UNREACHABLE", policy, () -> 0).after();
        assertEquals(Duration.ofSeconds(10), Duration.between(now.plusSeconds(1), afterAgain.nextAttemptAt()),
                "the first failure of the new round: the first pause again");
    }
}
