package credit.exchange.routes.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Samples;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** New record versions and their outbox rows are written together, routed by the partners' push subscriptions. */
@ExtendWith(CleanCreditStore.class)
class OutboxRoutingTest {

    private final TestNode node;

    OutboxRoutingTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void subscribe() throws SQLException {
        int n = new PushSubscriptions(node.database(), CategoryCatalogue.load(node.database())).sync(List.of(
                partner("zhejiang", true, Partner.Push.pulled(Set.of("licensing", "penalty", "redlist", "blacklist", "unknown-set"))),
                partner("national", true, Partner.Push.delivered(Set.of("licensing", "penalty"), Optional.of(7))),
                partner("shanghai", false, Partner.Push.pulled(Set.of("licensing")))));
        assertEquals(6, n, "4 + 2 subscriptions; the unknown dataset and the disabled partner add none");
    }

    @Test
    void everyNewVersion_isQueuedForEachSubscribedPartner_inTheSameTransaction_withItsDeadline() throws Exception {
        ImportSummary first = node.importFile(Samples.LICENSING_CSV, "licensing");

        assertEquals(first.stored() * 2L, node.rowCount("outbox"));
        assertEquals(first.stored(), count("select count(*) from outbox where destination = 'national' and mode = 'PUSH'"
                + " and deadline = (select decision_date + 7 from credit_record r where r.id = outbox.record_id)"));
        assertEquals(first.stored(), count("select count(*) from outbox where destination = 'zhejiang' and mode = 'PULL'"
                + " and deadline is null and state = 'READY'"));
        assertEquals(0, count("select count(*) from outbox o left join credit_record r on r.id = o.record_id where r.id is null"));

        ImportSummary again = node.importFile(Samples.LICENSING_CSV, "licensing");
        assertEquals(0, again.stored());
        assertEquals(first.stored() * 2L, node.rowCount("outbox"), "a duplicate queues nothing");
    }

    @Test
    void categoryOnlyTheProvinceTakes_isQueuedForItAlone() throws Exception {
        Path file = credit.exchange.routes.support.Seeds.writeRows(credit.exchange.routes.support.Seeds.SEED, "redlist", 50, 50,
                java.nio.file.Files.createTempDirectory("outbox").resolve("redlist.csv"));

        ImportSummary summary = node.importFile(file, "redlist");

        assertEquals(summary.stored(), count("select count(*) from outbox where destination = 'zhejiang'"));
        assertEquals(0, count("select count(*) from outbox where destination = 'national'"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Partner partner(String id, boolean enabled, Partner.Push push) {
        return new Partner(id, id, Partner.Level.PROVINCIAL, enabled, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of(), Optional.of(push), Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1),
                Duration.ofSeconds(4), Path.of(id + ".yaml"));
    }
}
