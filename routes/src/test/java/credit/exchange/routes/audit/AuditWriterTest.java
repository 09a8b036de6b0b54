package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group commit: a lone action's events are one transaction; concurrent actions share transactions
 * and none is left waiting; events of an action that never waits are still written. Transactions
 * are counted by the rows' {@code xmin}.
 */
@ExtendWith(CleanCreditStore.class)
class AuditWriterTest {

    private final TestNode node;

    AuditWriterTest(TestNode node) {
        this.node = node;
    }

    private AuditStore store() {
        return new AuditStore(node.database(), "hangzhou", AuditChain.of(Suite.GM));
    }

    private static AuditEvent event(String detail) {
        return AuditEvent.by(AuditEvent.ActorKind.OPERATOR, "operator", AuditEvent.Action.CONFIG).detail(detail).build();
    }

    @Test
    void aLoneActionsEvents_areDurableWhenAwaitReturns_inOneTransaction() {
        try (AuditWriter writer = new AuditWriter(store(), 100)) {
            AuditWriter.Pending pending = writer.submit(List.of(event("one"), event("two")));
            pending.await();
            assertEquals(2, number("select count(*) from audit_event where seq is not null"), "chained and committed on return");
            assertEquals(1, number("select count(distinct xmin::text) from audit_event"));
        }
    }

    @Test
    void concurrentActions_shareTransactions_andEveryOneOfThemIsDurable_andTheChainVerifies() throws Exception {
        int threads = 16;
        int perThread = 40;
        AuditStore store = store();
        try (AuditWriter writer = new AuditWriter(store, 1000)) {
            List<Callable<Void>> actions = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                actions.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        writer.append(List.of(event("action " + thread + "-" + i)));
                        assertEquals(1, number("select count(*) from audit_event where seq is not null and detail = 'action " + thread + "-"
                                + i + "'"), "durable when append returns");
                    }
                    return null;
                });
            }
            together(actions);
        }
        assertEquals(threads * perThread, number("select count(*) from audit_event where seq is not null"));
        long transactions = number("select count(distinct xmin::text) from audit_event");
        assertTrue(transactions < threads * perThread, transactions + " transactions for " + threads * perThread + " actions: shared");
        AuditVerifier.Verification v = new AuditVerifier(store).verify(1);
        assertTrue(v.result().intact(), v.toString());
    }

    @Test
    void replicasAppendingToOneTrail_eachContinuesTheHeadAsItIsNow_withThePendingEventsChainer_andTheChainVerifies()
            throws Exception {
        AuditStore one = store();
        AuditStore other = store();
        one.append(List.of(event("one's first").record()));
        other.append(List.of(event("the other's first").record())); // one's head is now stale
        one.append(List.of(event("one's second").record()));
        assertEquals(List.of("one's first", "the other's first", "one's second"), details());

        int rounds = 150;
        List<Callable<Void>> writers = new ArrayList<>();
        for (AuditStore replica : List.of(one, other)) {
            writers.add(() -> {
                for (int i = 0; i < rounds; i++) {
                    replica.append(List.of(event("replica " + System.identityHashCode(replica) + " " + i).record()));
                }
                return null;
            });
        }
        writers.add(() -> { // actions that commit their events pending, and the chainer that places them
            for (int i = 0; i < rounds; i++) {
                try (Connection c = node.database().connection()) {
                    AuditTrail.pending(c, event("pending " + i));
                }
                one.chainAll(100);
            }
            return null;
        });
        together(writers);
        one.chainAll(100);
        assertEquals(3 + 3 * rounds, number("select count(*) from audit_event where seq is not null"));
        assertEquals(number("select count(*) from audit_event"), number("select max(seq) from audit_event"), "no gap, no fork");
        AuditVerifier.Verification v = new AuditVerifier(one).verify(1);
        assertTrue(v.result().intact(), v.toString());
    }

    /** Runs the tasks at once, each on a thread of its own; returns when all are done, rethrowing the first failure. */
    private static void together(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                running.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<Void> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> details() {
        List<String> details = new ArrayList<>();
        try (Connection c = node.database().connection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select detail from audit_event order by seq")) {
            while (rs.next()) {
                details.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return details;
    }

    @Test
    void theEventsOfAnActionThatNeverWaits_areWrittenAll_theSame() {
        try (AuditWriter writer = new AuditWriter(store(), 100)) {
            writer.submit(List.of(event("the action failed before it waited")));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (number("select count(*) from audit_event where seq is not null") == 0) {
                assertTrue(System.nanoTime() < deadline, "written though nobody waits for it");
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // the next look
            }
        }
    }

    private long number(String query) {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
