package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the officer console's chain status and table say, read from the real PostgreSQL: a partner
 * whose countersignatures stopped is behind (since when, how many checkpoints wait for it), the
 * figures of a verification agree while events go on being chained, and an exchange's event names
 * its exchange type.
 */
@ExtendWith(CleanCreditStore.class)
class ConsoleStatusTest {

    private final TestNode node;

    ConsoleStatusTest(TestNode node) {
        this.node = node;
    }

    @Test
    void aPartnerWhoseCheckpointsWaitBeyondTheGrace_isBehind_sinceItsLastCountersignature() throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection c = node.database().connection()) {
            for (long seq : List.of(10L, 20L, 30L, 40L)) {
                checkpoint(c, seq, now.minusSeconds(seq == 10 ? 600 : seq == 20 ? 300 : seq == 30 ? 100 : 10));
            }
            countersignature(c, 10, "huzhou", now.minusSeconds(590));
            countersignature(c, 20, "huzhou", now.minusSeconds(290));
            for (long seq : List.of(10L, 20L, 30L, 40L)) {
                countersignature(c, seq, "jiaxing", now.minusSeconds(5));
            }
            // Shaoxing sends us its checkpoints to countersign, and has never countersigned ours
            try (PreparedStatement ps = c.prepareStatement("insert into audit_witnessed (partner, seq, head_hash, signed, countersigned)"
                    + " values ('shaoxing', 7, '\\x00', '\\x00', '\\x00')")) {
                ps.executeUpdate();
            }
        }
        AuditSearch search = new AuditSearch(node.database(), "hangzhou");

        Map<String, AuditSearch.Countersigning> byPartner = search.countersigning(now, Duration.ofSeconds(60)).stream()
                .collect(Collectors.toMap(AuditSearch.Countersigning::partner, Function.identity()));
        assertEquals(List.of("huzhou", "jiaxing", "shaoxing"), byPartner.keySet().stream().sorted().toList());
        AuditSearch.Countersigning huzhou = byPartner.get("huzhou");
        assertTrue(huzhou.behind(), huzhou.toString());
        assertEquals(20L, huzhou.lastSeq());
        assertEquals(now.minusSeconds(290), huzhou.lastAt(), "no countersignature since its last one arrived");
        assertEquals(2, huzhou.waiting(), "checkpoints 30 and 40 wait for it");
        assertEquals(now.minusSeconds(100), huzhou.waitingSince());
        AuditSearch.Countersigning jiaxing = byPartner.get("jiaxing");
        assertFalse(jiaxing.behind(), jiaxing.toString());
        assertEquals(0, jiaxing.waiting());
        AuditSearch.Countersigning shaoxing = byPartner.get("shaoxing");
        assertTrue(shaoxing.behind(), shaoxing.toString());
        assertNull(shaoxing.lastSeq(), "never countersigned");
        assertEquals(4, shaoxing.waiting());

        AuditSearch.Countersigning withinGrace = search.countersigning(now, Duration.ofSeconds(200)).stream()
                .filter(p -> p.partner().equals("huzhou")).findFirst().orElseThrow();
        assertFalse(withinGrace.behind(), "its oldest waiting checkpoint is 100 s old, within 200 s: " + withinGrace);
    }

    @Test
    void aVerification_recomputesTheEventsUpToTheHeadItReports_whileEventsGoOnBeingChained() throws Exception {
        AuditStore store = new AuditStore(node.database(), "hangzhou", AuditChain.of(Suite.GM));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread chaining = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    store.append(List.of(event("chained while verifying " + i), event("and another " + i)));
                    store.chainAll(100);
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "chaining");
        store.append(List.of(event("first")));
        store.chainAll(100);
        chaining.start();
        try {
            for (int round = 0; round < 30; round++) {
                AuditVerifier.Verification v = new AuditVerifier(store).verify(1, Optional.empty());
                assertTrue(v.intact(), v.toString());
                long head = v.head().orElseThrow().seq();
                assertEquals(head, v.result().lastGoodSeq(), "round " + round + ": the events recomputed end at the head reported");
                assertEquals(head, v.result().verified(), "round " + round + ": events 1–head, each once");
            }
        } finally {
            stop.set(true);
            chaining.join();
        }
        assertNull(failed.get(), String.valueOf(failed.get()));
    }

    @Test
    void anExchangesEvent_namesItsExchangeType_otherEventsNone() {
        assertEquals("query", AuditSearch.exchangeType(exchange("exchange.out", "query")));
        assertEquals("checkpoint", AuditSearch.exchangeType(exchange("exchange.in", "checkpoint")));
        assertEquals("notice", AuditSearch.exchangeType(exchange("exchange.out", "notice")));
        assertNull(AuditSearch.exchangeType(exchange("config", "gateway.partners.dir changed")), "a detail that is no exchange type");
    }

    private static AuditRecord exchange(String action, String detail) {
        return new AuditRecord(0, Instant.now(), null, "NODE", "hangzhou", "huzhou", action, null, null, null, null, null, null, null,
                List.of(), "ANSWERED", 3, detail);
    }

    private static AuditRecord event(String detail) {
        return new AuditRecord(0, Instant.now(), null, "OPERATOR", "operator", null, "config", null, null, null, null, null, null, null,
                List.of(), null, null, detail);
    }

    private static void checkpoint(Connection c, long seq, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into audit_checkpoint (seq, head_hash, at, signed) values (?, '\\x00', ?, '\\x00')")) {
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static void countersignature(Connection c, long seq, String partner, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into audit_countersignature (seq, partner, signed, received_at) values (?, ?, '\\x00', ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, partner);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        }
    }
}
