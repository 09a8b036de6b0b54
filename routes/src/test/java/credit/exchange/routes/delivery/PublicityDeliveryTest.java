package credit.exchange.routes.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PublicityCourier;
import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.support.Engine;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery engine's state machine on the database, with push mode's publicity deliveries:
 * relayed deliveries are QUEUED, a failed attempt waits RETRY_WAIT for its exponential backoff
 * and is relayed again when due, the last attempt of the policy leaves it DEAD with its error,
 * every attempt is recorded, and a replay starts a new round. Time is the engine's clock, which
 * the test moves. The partner here was disabled after it subscribed, so every attempt fails with
 * E_UNKNOWN_PARTNER before any network; the delivering path is shown between real nodes by PushFlowsIT.
 */
@ExtendWith(CleanCreditStore.class)
class PublicityDeliveryTest {

    private static final int RECORDS = 40;
    private static final Partner.DeliveryRetry POLICY = new Partner.DeliveryRetry(3, Duration.ofSeconds(20), Duration.ofSeconds(30));
    private final TestNode node;
    private Engine engine;

    PublicityDeliveryTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void importForTheNation() throws Exception {
        new PushSubscriptions(node.database(), CategoryCatalogue.load(node.database())).sync(List.of(nation(true)));
        Path file = Seeds.writeRows(Seeds.SEED, "penalty", RECORDS, 10, Files.createTempDirectory("push").resolve("penalty.csv"));
        assertEquals(RECORDS, node.importFile(file, "penalty").stored());
        // since subscribing, the nation has been disabled: the client refuses every attempt, before any network
        PartnerClient client = new PartnerClient("hangzhou", null, null, null, null, null, Clock.systemUTC());
        engine = new Engine(node, List.of(new PublicityCourier("hangzhou", client, node.database())), id -> Optional.of(nation(false)));
    }

    @Test
    void failedAttempts_backOffExponentially_thenGoDead_andAReplayStartsANewRound() throws Exception {
        assertEquals(Map.of("national", RECORDS), relay());
        assertEquals(RECORDS, count("select count(*) from outbox where state = 'QUEUED'"));
        assertEquals(Map.of(), relay(), "QUEUED deliveries are not relayed again before their trigger is overdue");

        for (int attempt = 1; attempt <= 2; attempt++) {
            DeliveryEngine.Outcome outcome = engine.deliverLast();
            assertEquals(RECORDS, outcome.retrying());
            assertEquals(RECORDS, count("select count(*) from outbox where state = 'RETRY_WAIT' and attempts = " + attempt));
            assertEquals(Map.of(), relay(), "not before the backoff has passed");
            int backoff = attempt == 1 ? 20 : 30; // 20 s, then 40 s capped at 30, less a jitter of up to a fifth
            assertEquals(RECORDS, count("select count(*) from outbox o join outbox_attempt a on a.outbox_id = o.id and a.attempt = o.attempts"
                    + " where o.next_attempt_at - a.at between interval '" + backoff * 0.8 + " seconds' and interval '" + backoff + " seconds'"),
                    "due again " + backoff + " s after the attempt, less at most a fifth");
            engine.clock.pass(Duration.ofSeconds(backoff));
            assertEquals(Map.of("national", RECORDS), relay(), "due again after the backoff");
        }
        DeliveryEngine.Outcome last = engine.deliverLast();
        assertEquals(RECORDS, last.dead());
        assertEquals(RECORDS, count("select count(*) from outbox where state = 'DEAD' and last_error = 'E_UNKNOWN_PARTNER'"));
        assertEquals(3 * RECORDS, count("select count(*) from outbox_attempt where outcome = 'E_UNKNOWN_PARTNER'"));
        assertEquals(1, count("select count(*) from audit_event where action = 'delivery.dead' and actor_kind = 'SYSTEM'"
                + " and partner = 'national' and outcome = 'E_UNKNOWN_PARTNER'"), "going DEAD is audited, with the last error");
        engine.clock.pass(Duration.ofDays(1));
        assertEquals(Map.of(), relay(), "a DEAD delivery waits for an operator, however long");

        long one = count("select min(id) from outbox");
        assertEquals(1, new Outbox(node.database(), engine.clock).replay(Optional.of(one), "operator"));
        assertEquals(ErrorCode.E_UNKNOWN_MESSAGE, assertThrows(CodedException.class,
                () -> new Outbox(node.database(), engine.clock).replay(Optional.of(one), "operator")).code(), "only a DEAD delivery is replayed");
        assertEquals(RECORDS - 1, new Outbox(node.database(), engine.clock).replay(Optional.empty(), "operator"));
        assertEquals(2, count("select count(*) from audit_event where action = 'outbox.replay' and actor = 'operator'"),
                "each replay is an audit event naming the operator");
        assertEquals(Map.of("national", RECORDS), relay());
        DeliveryEngine.Outcome afterReplay = engine.deliverLast();
        assertEquals(RECORDS, afterReplay.retrying(), "a new round: the first failure after a replay is retried");
        assertEquals(4 * RECORDS, count("select count(*) from outbox_attempt"), "the history keeps every attempt");
    }

    @Test
    void aDuplicateTrigger_findsItsDeliveriesHandled_andDoesNothing() throws Exception {
        relay();
        engine.deliverLast();
        DeliveryEngine.Outcome again = engine.deliverLast();
        assertEquals(0, again.retrying() + again.dead() + again.delivered());
        assertEquals(RECORDS, count("select count(*) from outbox_attempt"), "one attempt each");
    }

    private Map<String, Integer> relay() {
        return engine.relay();
    }

    private long count(String sql) throws SQLException {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Partner nation(boolean enabled) {
        return new Partner("national", "national", Partner.Level.NATIONAL, enabled, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of(),
                Optional.of(new Partner.Push(false, Set.of("penalty"), Optional.of(7), 1000, Duration.ofMinutes(1), POLICY)),
                Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4),
                Path.of("national.yaml"));
    }
}
