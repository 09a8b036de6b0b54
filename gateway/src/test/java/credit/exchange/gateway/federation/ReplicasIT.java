package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.ArtemisPair;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.NodeProcesses;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.infra.EmbeddedBroker;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.CrashPoint;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.seed.SeedGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out (docs/operations.md, "Scaling out"): two replicas of Hangzhou — one node identity,
 * one PostgreSQL, one broker — and one of them killed (-9) right after it handed the nation's
 * triggers of records to the broker and before it committed. The other replica delivers every
 * record to the nation (from the triggers, which the broker kept), and the nation holds each once;
 * the checkpoints both replicas send for countersigning are delivered once each.
 */
class ReplicasIT {

    private static final Path DEPLOY = Path.of(System.getProperty("credit.project.root", "..")).resolve("deploy");

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
                                .with("gateway.crl.port", Integer.toString(TestNodes.freePort()))
                                .with("gateway.outbox.relay-ms", "100"),
                        "http://127.0.0.1:" + api + "/health/ready", CrashPoint.RELAY_AFTER_SEND, DeliveryKind.PUBLICITY);

                Path seed = root.resolve("seed");
                new SeedGenerator(7, LocalDate.now()).writeDataSet(60, seed);
                var imported = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/imports?type=licensing",
                        "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
                assertEquals(200, imported.statusCode(), imported.body());
                long toNation = count(db, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national'");
                assertTrue(toNation > 0);
                assertTrue(twin.waitFor(60, TimeUnit.SECONDS), "the twin halts after handing triggers to the broker; see "
                        + root.resolve("hangzhou-twin.out"));
                assertEquals(137, twin.exitValue());

                String nationApi = alliance.apiUrl(DemoAlliance.member("national"));
                TestNodes.await("the surviving replica delivers every record to the nation once", Duration.ofSeconds(120),
                        () -> received(nationApi) == toNation
                                && count(db, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national' and state = 'DELIVERED'") == toNation);
                assertEquals(toNation, received(nationApi), "each record held once");
                // the replicas' other deliveries (the audit checkpoints both send the nation for countersigning) go
                // through the same engine: delivered, each by exactly one answered attempt, whichever replica made it
                TestNodes.await("a checkpoint countersigned by the nation", Duration.ofSeconds(60), () -> count(db,
                        "select count(*) from outbox where kind = 'CHECKPOINT' and destination = 'national' and state = 'DELIVERED'") > 0);
                assertEquals(0, count(db, """
                        select count(*) from outbox o where o.kind = 'CHECKPOINT' and o.state = 'DELIVERED'
                          and (select count(*) from outbox_attempt a where a.outbox_id = o.id and a.outcome = 'OK') <> 1"""));
            } finally {
                broker.close();
            }
        } finally {
            if (twin != null) {
                twin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The whole scale-out of docs/operations.md on loopback: two replicas of Hangzhou on one
     * PostgreSQL and the Artemis pair of deploy/artemis (primary and backup, replication), records
     * imported all along and a joint punishment notice issued at one of them. One replica is killed
     * (-9), then the primary broker: the department's imports are all accepted (a refusal while the
     * broker fails over would be retried, as a client does), the nation holds every record once,
     * Huzhou the notice once, and no delivery of any kind succeeded twice.
     */
    @Test
    void underLoad_aReplicaThenThePrimaryBrokerKilled_everyRecordReachesTheNationOnce() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        Process twin = null;
        try (EmbeddedPostgres db = EmbeddedPostgres.builder().start();
             ArtemisPair brokers = ArtemisPair.start(root, DEPLOY.resolve("artemis"));
             Node national = alliance.start(DemoAlliance.member("national"));
             Node huzhou = alliance.start(DemoAlliance.member("huzhou"))) {
            NodeConfig shared = alliance.config(DemoAlliance.member("hangzhou"))
                    .with("gateway.database.url", db.getJdbcUrl("postgres", "postgres")).with("gateway.database.user", "postgres")
                    .with("gateway.broker.url", brokers.url())
                    .with("gateway.broker.user", ArtemisPair.USER).with("gateway.broker.password", ArtemisPair.PASSWORD)
                    .with("gateway.outbox.requeue-seconds", "10");
            try (Node survivor = Node.start(shared)) {
                int twinApi = TestNodes.freePort();
                twin = NodeProcesses.start(root, "hangzhou-twin", shared.with("gateway.http.port", Integer.toString(twinApi))
                                .with("gateway.exchange.port", Integer.toString(TestNodes.freePort()))
                                .with("gateway.soap.port", Integer.toString(TestNodes.freePort()))
                                .with("gateway.crl.port", Integer.toString(TestNodes.freePort())),
                        "http://127.0.0.1:" + twinApi + "/health/ready", null);
                String survivorApi = alliance.apiUrl(DemoAlliance.member("hangzhou"));
                String twinUrl = "http://127.0.0.1:" + twinApi;
                String nationApi = alliance.apiUrl(DemoAlliance.member("national"));

                // the department imports all along, alternating between the replicas as a load balancer would
                AtomicBoolean loading = new AtomicBoolean(true);
                Process dying = twin;
                CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
                    int n = 0;
                    while (loading.get()) {
                        importBatch(n % 2 == 1 && dying.isAlive() ? twinUrl : survivorApi, survivorApi, n);
                        n++;
                    }
                    return n;
                });
                TestNodes.await("records reach the nation through both replicas and the primary broker", Duration.ofSeconds(60),
                        () -> received(nationApi) >= 40);
                // a joint punishment notice, issued at the twin while both replicas' engines consume the partners' queues
                String operator = AllianceApi.operator(twinUrl);
                var listed = AllianceApi.call("POST", twinUrl + "/api/v1/lists", operator, """
                        {"listType": "BLACK", "uscc": "91330100716105852F", "partyName": "杭州演示失信企业有限公司",
                         "legalBasis": "《失信行为纠正后的信用信息修复管理办法》", "authority": "杭州市市场监督管理局",
                         "documentNumber": "杭市监〔2026〕88号", "listedOn": "%s", "severity": "SERIOUS"}""".formatted(LocalDate.now()));
                assertEquals(201, listed.statusCode(), listed.body());
                var issued = AllianceApi.call("POST", twinUrl + "/api/v1/sanctions", operator, "{\"entryId\": \""
                        + Json.mapper().readTree(listed.body()).path("id").asText() + "\", \"measures\": [\"m\"]}");
                assertEquals(201, issued.statusCode(), issued.body());
                twin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                long beforeFailover = received(nationApi);
                TestNodes.await("the survivor delivers more", Duration.ofSeconds(60), () -> received(nationApi) > beforeFailover + 40);
                brokers.killPrimary();
                long afterFailover = received(nationApi);
                TestNodes.await("records reach the nation through the backup", Duration.ofSeconds(90),
                        () -> received(nationApi) > afterFailover + 40);
                loading.set(false);
                int imports = load.get(60, TimeUnit.SECONDS);
                assertTrue(imports >= 6, "the department kept importing");
                long toNation = count(db, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national'");
                assertTrue(toNation > 0);
                TestNodes.await("every record reaches the nation after the replica and the primary broker died", Duration.ofSeconds(180),
                        () -> count(db, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national' and state = 'DELIVERED'") == toNation);
                assertEquals(toNation, received(nationApi), "the nation holds each record once");
                TestNodes.await("the notice reaches Huzhou", Duration.ofSeconds(60), () -> count(db,
                        "select count(*) from outbox where kind = 'NOTICE' and destination = 'huzhou' and state = 'DELIVERED'") == 1);
                assertEquals("1", TestNodes.rows(alliance.config(DemoAlliance.member("huzhou")),
                        "select count(*) from alliance_received where kind = 'sanction'").first(), "Huzhou holds the notice once");
                assertEquals(0, count(db, """
                        select count(*) from (select a.outbox_id from outbox_attempt a join outbox o on o.id = a.outbox_id
                        where a.outcome = 'OK' group by a.outbox_id having count(*) > 1) twice"""),
                        "no delivery of any kind (records, notices, checkpoints) succeeded twice");
                System.out.printf("ReplicasIT: %d imports, %d records delivered to the nation once each, through a replica's and"
                        + " the primary broker's death%n", imports, toNation);
            }
        } finally {
            if (twin != null) {
                twin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A department's licensing file of new records, sent as its client does: a 503 or a lost
     * connection (the replica died) is retried, on the other replica; any other refusal fails.
     */
    private void importBatch(String api, String otherApi, int n) {
        try {
            Path seed = root.resolve("seed-" + n);
            new SeedGenerator(100 + n, LocalDate.now()).writeDataSet(20, seed);
            byte[] file = Files.readAllBytes(seed.resolve("licensing.csv"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            String target = api;
            while (true) {
                try {
                    var imported = TestNodes.operatorPost(target + "/api/v1/imports?type=licensing", "text/csv", file);
                    if (imported.statusCode() == 200) {
                        return;
                    }
                    assertEquals(503, imported.statusCode(), "only a retry, never a refusal: " + imported.body());
                } catch (IOException replicaGone) {
                    target = otherApi;
                }
                assertTrue(Instant.now().isBefore(deadline), "the import was not accepted within a minute");
                Thread.sleep(500);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the nation holds from Hangzhou (its store keeps each message id once). */
    private static long received(String nationApi) {
        try {
            long n = 0;
            JsonNode counts = Json.mapper().readTree(TestNodes.operatorGet(nationApi + "/api/v1/received").body()).path("received").path("hangzhou");
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
