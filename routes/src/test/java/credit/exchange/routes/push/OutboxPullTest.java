package credit.exchange.routes.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provincial pull on the outbox: every delivery handed out until acknowledged, in order per subject, never twice at once. */
@ExtendWith(CleanCreditStore.class)
class OutboxPullTest {

    private static final Duration VISIBILITY = Duration.ofMinutes(5);
    private final TestNode node;
    private PublicityDeliveries outbox;

    OutboxPullTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void importForTheProvince() throws Exception {
        new PushSubscriptions(node.database(), CategoryCatalogue.load(node.database())).sync(List.of(
                province("zhejiang"), province("other-province")));
        Path file = Seeds.writeRows(Seeds.SEED, "penalty", 300, 60, Files.createTempDirectory("pull").resolve("penalty.csv"));
        assertEquals(300, node.importFile(file, "penalty").stored());
        outbox = new PublicityDeliveries(node.database(), java.time.Clock.systemUTC());
    }

    @Test
    void pullingAndAcknowledgingEverything_handsOutEachDeliveryOnce_inOrderPerSubject() throws Exception {
        Map<Long, Long> lastIdBySubject = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        List<PublicityDeliveries.Pulled> batch;
        int rounds = 0;
        while (!(batch = outbox.handOut("zhejiang", 40, VISIBILITY)).isEmpty()) {
            for (PublicityDeliveries.Pulled p : batch) {
                assertTrue(seen.add(p.outboxId()), "handed out twice: " + p.outboxId());
                long subject = subjectOf(p.recordId());
                Long previous = lastIdBySubject.put(subject, p.outboxId());
                assertTrue(previous == null || previous < p.outboxId(), "out of order for subject " + subject);
                acknowledge(p.outboxId());
            }
            rounds++;
        }
        assertEquals(300, seen.size());
        assertTrue(rounds >= 300 / 40, "batches of at most 40");
        assertEquals(300, count("select count(*) from outbox where destination = 'zhejiang' and state = 'ACKNOWLEDGED'"));
        assertEquals(300, count("select count(*) from outbox where destination = 'other-province' and state = 'READY'"),
                "another partner's deliveries are untouched");
    }

    @Test
    void unacknowledgedDelivery_holdsBackItsSubjectsLaterOnes_andComesBackFirstAfterTheVisibilityTimeout() throws Exception {
        PublicityDeliveries.Pulled first = outbox.handOut("zhejiang", 1, VISIBILITY).get(0);
        long subject = subjectOf(first.recordId());
        assertTrue(count("select count(*) from outbox o join credit_record r on r.id = o.record_id"
                + " where o.destination = 'zhejiang' and r.subject_id = " + subject) > 1, "the seed gives the subject several deliveries");

        List<PublicityDeliveries.Pulled> others = outbox.handOut("zhejiang", 1000, VISIBILITY);
        for (PublicityDeliveries.Pulled p : others) {
            assertTrue(subjectOf(p.recordId()) != subject, "a later delivery of a subject whose earlier one is out");
        }
        assertTrue(outbox.handOut("zhejiang", 1000, VISIBILITY).isEmpty(), "nothing more while those are out");

        visibilityTimeoutPasses(first.outboxId());
        List<PublicityDeliveries.Pulled> again = outbox.handOut("zhejiang", 1000, VISIBILITY);

        assertEquals(first.outboxId(), again.get(0).outboxId(), "the unacknowledged delivery comes back, first");
        for (PublicityDeliveries.Pulled p : again) {
            assertEquals(subject, subjectOf(p.recordId()), "then its subject's later deliveries, and only those");
        }
        assertTrue(again.size() > 1);
    }

    @Test
    void acknowledgingAnUnknownForeignOrUnpulledMessage_isRefusedWithE_UNKNOWN_MESSAGE_andAgainIsHarmless() throws Exception {
        PublicityDeliveries.Pulled pulled = outbox.handOut("zhejiang", 1, VISIBILITY).get(0);
        long foreign = count("select min(id) from outbox where destination = 'other-province'");
        long unpulled = count("select max(id) from outbox where destination = 'zhejiang' and state = 'READY'");

        assertEquals(ErrorCode.E_UNKNOWN_MESSAGE, assertThrows(CodedException.class, () -> acknowledge(999_999_999L)).code());
        assertEquals(ErrorCode.E_UNKNOWN_MESSAGE, assertThrows(CodedException.class, () -> acknowledge(foreign)).code());
        assertEquals(ErrorCode.E_UNKNOWN_MESSAGE, assertThrows(CodedException.class, () -> acknowledge(unpulled)).code());

        assertEquals(ErrorCode.E_UNKNOWN_MESSAGE, assertThrows(CodedException.class,
                () -> PullService.acknowledge(node.database(), outbox, "zhejiang", List.of(pulled.outboxId(), unpulled), "batch-1", new byte[] {1})).code());
        assertEquals(0, count("select count(*) from outbox where state = 'ACKNOWLEDGED'"), "all or none");

        acknowledge(pulled.outboxId());
        acknowledge(pulled.outboxId());
        assertEquals(1, count("select count(*) from outbox where state = 'ACKNOWLEDGED'"));
    }

    @Test
    void concurrentPullers_takeDisjointDeliveries() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<PublicityDeliveries.Pulled>>> pulls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pulls.add(pool.submit((Callable<List<PublicityDeliveries.Pulled>>) () -> outbox.handOut("zhejiang", 50, VISIBILITY)));
            }
            Set<Long> ids = new HashSet<>();
            int total = 0;
            for (Future<List<PublicityDeliveries.Pulled>> f : pulls) {
                for (PublicityDeliveries.Pulled p : f.get()) {
                    ids.add(p.outboxId());
                    total++;
                }
            }
            assertEquals(total, ids.size(), "no delivery handed to two pullers");
        } finally {
            pool.shutdown();
        }
    }

    private void acknowledge(long messageId) {
        PullService.acknowledge(node.database(), outbox, "zhejiang", List.of(messageId), "batch-" + messageId, new byte[] {1});
    }

    private long subjectOf(long recordId) throws SQLException {
        try (Connection c = node.database().connection();
             PreparedStatement ps = c.prepareStatement("select subject_id from credit_record where id = ?")) {
            ps.setLong(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The visibility timeout of the pulled delivery passes, as the database's now() sees it. */
    private void visibilityTimeoutPasses(long messageId) throws SQLException {
        try (Connection c = node.database().connection();
             PreparedStatement ps = c.prepareStatement("update outbox set visible_after = visible_after - ? * interval '1 second' where id = ?")) {
            ps.setLong(1, VISIBILITY.toSeconds() + 1);
            ps.setLong(2, messageId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Partner province(String id) {
        return new Partner(id, id, Partner.Level.PROVINCIAL, true, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of(), Optional.of(Partner.Push.pulled(Set.of("penalty"))), Optional.empty(),
                new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of(id + ".yaml"));
    }
}
