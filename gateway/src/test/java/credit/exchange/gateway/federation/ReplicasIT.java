package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.NodeProcesses;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.infra.EmbeddedBroker;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.push.CrashPoint;
import credit.exchange.routes.seed.SeedGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out (docs/operations.md, "Scaling out"): two replicas of Hangzhou — one node identity,
 * one PostgreSQL, one broker — and one of them killed (-9) right after it handed the nation's
 * triggers to the broker and before it committed. The other replica delivers every record to the
 * nation (from the triggers, which the broker kept), and the nation holds each once.
 */
class ReplicasIT {

    @TempDir
    Path root;

    @Test
    void oneOfTwoReplicasKilledMidRelay_theOtherDeliversEveryRecordOnce() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        int brokerPort = TestNodes.freePort();
        Process twin = null;
        try (EmbeddedPostgres db = EmbeddedPostgres.builder().start();
             Node national = alliance.start(DemoAlliance.member("national"))) {
            EmbeddedBroker broker = EmbeddedBroker.start(root.resolve("broker"), brokerPort);
            NodeConfig shared = alliance.config(DemoAlliance.member("hangzhou"))
                    .with("gateway.database.url", db.getJdbcUrl("postgres", "postgres")).with("gateway.database.user", "postgres")
                    .with("gateway.broker.url", "tcp://127.0.0.1:" + brokerPort).with("gateway.outbox.requeue-seconds", "3");
            // the survivor's relay passes once at its start and not again within the test, so that the twin is the one that
            // takes the records and dies with them; the survivor delivers them from the triggers the twin left in the broker
            try (Node survivor = Node.start(shared.with("gateway.outbox.relay-ms", "600000"))) {
                int api = TestNodes.freePort();
                twin = NodeProcesses.start(root, "hangzhou-twin", shared.with("gateway.http.port", Integer.toString(api))
                                .with("gateway.exchange.port", Integer.toString(TestNodes.freePort()))
                                .with("gateway.soap.port", Integer.toString(TestNodes.freePort()))
                                .with("gateway.outbox.relay-ms", "100"),
                        "http://127.0.0.1:" + api + "/health/ready", CrashPoint.RELAY_AFTER_SEND);

                Path seed = root.resolve("seed");
                new SeedGenerator(7, LocalDate.now()).writeDataSet(60, seed);
                var imported = TestNodes.post(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/imports?type=licensing",
                        "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
                assertEquals(200, imported.statusCode(), imported.body());
                long toNation = count(db, "select count(*) from outbox where destination = 'national'");
                assertTrue(toNation > 0);
                assertTrue(twin.waitFor(60, TimeUnit.SECONDS), "the twin halts after handing triggers to the broker; see "
                        + root.resolve("hangzhou-twin.out"));
                assertEquals(137, twin.exitValue());

                String nationApi = alliance.apiUrl(DemoAlliance.member("national"));
                TestNodes.await("the surviving replica delivers every record to the nation once", Duration.ofSeconds(120),
                        () -> received(nationApi) == toNation
                                && count(db, "select count(*) from outbox where destination = 'national' and state = 'DELIVERED'") == toNation);
                assertEquals(toNation, received(nationApi), "each record held once");
            } finally {
                broker.close();
            }
        } finally {
            if (twin != null) {
                twin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Records the nation holds from Hangzhou (its store keeps each message id once). */
    private static long received(String nationApi) {
        try {
            long n = 0;
            JsonNode counts = Json.mapper().readTree(TestNodes.get(nationApi + "/api/v1/received").body()).path("received").path("hangzhou");
            for (JsonNode c : counts) {
                n += c.asLong();
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(EmbeddedPostgres db, String sql) {
        try (var c = db.getPostgresDatabase().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
