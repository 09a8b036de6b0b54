package credit.exchange.routes.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The double-publicity deadline monitor: an undelivered delivery is at risk on its deadline day
 * (under 24 hours left, China Standard Time) and overdue the day after; delivered ones count for
 * nothing, whatever their deadline was.
 */
@ExtendWith(CleanCreditStore.class)
class PublicityDeadlinesTest {

    private final TestNode node;

    PublicityDeadlinesTest(TestNode node) {
        this.node = node;
    }

    @Test
    void atRiskOnTheDeadlineDay_overdueAfterIt_deliveredNeverLate() throws Exception {
        new PushSubscriptions(node.database(), CategoryCatalogue.load(node.database())).sync(List.of(new Partner("national",
                "national", Partner.Level.NATIONAL, true, URI.create("https://127.0.0.1:1"), Suite.GM, null, Optional.empty(),
                Set.of(), false, Set.of(), Optional.of(Partner.Push.delivered(Set.of("penalty"), Optional.of(7))), Optional.empty(),
                new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of("n.yaml"))));
        Path file = Seeds.writeRows(Seeds.SEED, "penalty", 10, 5, Files.createTempDirectory("deadlines").resolve("penalty.csv"));
        assertEquals(10, node.importFile(file, "penalty").stored());
        LocalDate today = LocalDate.now(ZoneId.of(PublicityDeadlines.DEADLINE_ZONE));
        try (Connection c = node.database().connection(); Statement s = c.createStatement()) {
            s.execute("update outbox set deadline = date '" + today.plusDays(3) + "'");
            s.execute("update outbox set deadline = date '" + today + "' where id in (select id from outbox order by id limit 2)");
            s.execute("update outbox set deadline = date '" + today.minusDays(1)
                    + "' where id in (select id from outbox order by id offset 2 limit 3)");
            s.execute("update outbox set state = 'DELIVERED', finished_at = now(), deadline = date '" + today.minusDays(30)
                    + "' where id in (select id from outbox order by id offset 5 limit 1)");
        }
        PublicityDeadlines deadlines = new PublicityDeadlines(node.database(), Clock.systemUTC());

        assertEquals(List.of(new PublicityDeadlines.Summary("national", 9, 2, 3)), deadlines.summary());
        List<PublicityDeadlines.Late> late = deadlines.late(100);
        assertEquals(5, late.size());
        assertTrue(late.get(0).overdue() && late.get(0).deadline().equals(today.minusDays(1)), "the most urgent first");
        assertEquals(3, late.stream().filter(PublicityDeadlines.Late::overdue).count());

        // the injected clock decides, not the database's: three days on, the last four are on their deadline day
        Clock threeDaysOn = Clock.fixed(today.plusDays(3).atTime(12, 0).atZone(ZoneId.of(PublicityDeadlines.DEADLINE_ZONE)).toInstant(),
                ZoneOffset.UTC);
        assertEquals(List.of(new PublicityDeadlines.Summary("national", 9, 4, 5)),
                new PublicityDeadlines(node.database(), threeDaysOn).summary());
        assertEquals(9, new PublicityDeadlines(node.database(), threeDaysOn).late(100).size());
    }
}
