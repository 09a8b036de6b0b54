package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner deliveries survive their faults with everything delivered exactly once: the sending
 * node killed (kill -9: the JVM halts at a crash point, nothing flushed) between the commit of the
 * records with their deliveries and the trigger's send, between the send and the relay's commit,
 * and between a delivery's answer and its commit — for records, for an alliance notice and for an
 * audit checkpoint sent for countersigning, the engine's three kinds that a partner answers; the
 * pulling node killed between keeping a batch and acknowledging it (the fourth kind, its pulls);
 * the broker restarted under the relay. A killed node runs as its own JVM against a PostgreSQL the
 * test owns, so the database outlives it as on a real host; its broker journal is on disk in its
 * data directory.
 */
class PushFaultsIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static EmbeddedPostgres hangzhouDb;
    static EmbeddedPostgres zhejiangDb;
    final List<Node> inProcess = new ArrayList<>();
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        // short visibility and requeue times, so that the recoveries happen within the test
        Path toProvince = root.resolve("hangzhou/partner-configs/zhejiang.yaml");
        Files.writeString(toProvince, Files.readString(toProvince).replace("visibility-ms: 30000", "visibility-ms: 2000"));
        hangzhouDb = EmbeddedPostgres.builder().start();
        zhejiangDb = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        hangzhouDb.close();
        zhejiangDb.close();
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        inProcess.forEach(Node::close);
    }

    @Test
    void senderKilledAtEachCrashPoint_thenRestarted_deliversEveryRecordExactlyOnce() throws Exception {
        inProcess.add(alliance.start(DemoAlliance.member("national")));
        inProcess.add(startInProcess("zhejiang", zhejiangDb));
        int seed = 101;
        for (CrashPoint point : List.of(CrashPoint.RELAY_BEFORE_SEND, CrashPoint.RELAY_AFTER_SEND, CrashPoint.DELIVERY_BEFORE_COMMIT)) {
            Process doomed = startChild("hangzhou", hangzhouDb, point, DeliveryKind.PUBLICITY);
            importFile("hangzhou", "licensing", seed++);
            assertTrue(doomed.waitFor(60, TimeUnit.SECONDS), "hangzhou halts at " + point.propertyValue());
            assertEquals(137, doomed.exitValue());
            children.remove(doomed);
            long toNation = outbox("national", null);
            long toProvince = outbox("zhejiang", null);
            assertTrue(toNation > 0 && outbox("national", "DELIVERED") < toNation, "the kill left deliveries undone");

            Process restarted = startChild("hangzhou", hangzhouDb, null, null);
            await("after the restart the nation holds every record once (" + point.propertyValue() + ")",
                    () -> received("national", "hangzhou") == toNation);
            await("and the province too", () -> received("zhejiang", "hangzhou") == toProvince);
            await("and every delivery is final", () -> outbox("national", "DELIVERED") == toNation
                    && outbox("zhejiang", "ACKNOWLEDGED") == toProvince);
            // stopped before the next round starts one on the same ports: gracefully if it stops in time (a busy machine
            // can take longer than Camel's 45 s shutdown timeout), else killed — either is a crash the design survives
            NodeProcesses.stop(restarted, Duration.ofSeconds(90));
            assertFalse(restarted.isAlive(), "the restarted node is gone before the next round");
            children.remove(restarted);
        }
    }

    @Test
    void pullerKilledBetweenKeepingABatchAndAcknowledgingIt_keepsEachRecordOnce() throws Exception {
        inProcess.add(startInProcess("hangzhou", hangzhouDb));
        importFile("hangzhou", "licensing", 111);
        long toProvince = outbox("zhejiang", null);
        assertTrue(outbox("zhejiang", "ACKNOWLEDGED") < toProvince);
        Process doomed = startChild("zhejiang", zhejiangDb, CrashPoint.PULLER_BEFORE_ACKNOWLEDGE, null);
        assertTrue(doomed.waitFor(60, TimeUnit.SECONDS), "the province halts after keeping its first batch");
        assertEquals(137, doomed.exitValue());
        children.remove(doomed);
        long kept = count(zhejiangDb, "select count(*) from received_delivery where sender = 'hangzhou'");
        assertTrue(kept > 0 && outbox("zhejiang", "ACKNOWLEDGED") < kept, "a batch kept and not acknowledged");

        startChild("zhejiang", zhejiangDb, null, null);
        await("every delivery acknowledged after the batch came again", () -> outbox("zhejiang", "ACKNOWLEDGED") == toProvince);
        assertEquals(toProvince, count(zhejiangDb, "select count(*) from received_delivery where sender = 'hangzhou'"),
                "each record kept once");
    }

    @Test
    void noticeSenderKilledAfterThePartnersAnswer_beforeItsCommit_isAnsweredAgain_andTheNoticeAppliedOnce() throws Exception {
        NodeConfig huzhou = alliance.config(DemoAlliance.member("huzhou"));
        inProcess.add(Node.start(huzhou));
        Process doomed = startChild("hangzhou", hangzhouDb, CrashPoint.DELIVERY_BEFORE_COMMIT, DeliveryKind.NOTICE);
        String hz = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String operator = AllianceApi.operator(hz);
        var listed = AllianceApi.call("POST", hz + "/api/v1/lists", operator, """
                {"listType": "BLACK", "uscc": "91330100716105852F", "partyName": "杭州演示失信企业有限公司", "legalBasis": "《失信行为纠正后的信用信息修复管理办法》",
                 "authority": "杭州市市场监督管理局", "documentNumber": "杭市监〔2026〕77号", "listedOn": "%s", "severity": "SERIOUS"}"""
                .formatted(LocalDate.now()));
        assertEquals(201, listed.statusCode(), listed.body());
        String entryId = Json.mapper().readTree(listed.body()).path("id").asText();
        try {
            AllianceApi.call("POST", hz + "/api/v1/sanctions", operator, "{\"entryId\": \"" + entryId + "\", \"measures\": [\"m\"]}");
        } catch (java.io.IOException haltedBeforeAnswering) {
            // the notice commits with its deliveries before the answer; the engine may halt the node first
        }
        assertTrue(doomed.waitFor(60, TimeUnit.SECONDS), "hangzhou halts once Huzhou has answered the notice");
        assertEquals(137, doomed.exitValue());
        children.remove(doomed);
        String toHuzhou = "select count(*) from outbox where kind = 'NOTICE' and destination = 'huzhou'";
        assertEquals(1, count(hangzhouDb, toHuzhou));
        assertEquals(0, count(hangzhouDb, toHuzhou + " and state = 'DELIVERED'"), "the answer was not committed");
        assertEquals("1", TestNodes.rows(huzhou, "select count(*) from alliance_received where kind = 'sanction'").first(),
                "Huzhou applied it");

        startChild("hangzhou", hangzhouDb, null, null);
        await("after the restart the notice is delivered again and its answer kept",
                () -> count(hangzhouDb, toHuzhou + " and state = 'DELIVERED'") == 1
                        && count(hangzhouDb, "select count(*) from alliance_notice_answer where partner = 'huzhou'") == 1);
        assertEquals("1", TestNodes.rows(huzhou, "select count(*) from alliance_received where kind = 'sanction'").first(),
                "Huzhou keeps the notice once, however often it came");
        assertTrue(count(hangzhouDb, "select count(*) from outbox_attempt a join outbox o on o.id = a.outbox_id"
                + " where o.kind = 'NOTICE' and o.destination = 'huzhou'") >= 1);
    }

    @Test
    void checkpointSenderKilledAfterTheCountersignature_beforeItsCommit_asksAgain_andKeepsTheSameCountersignature() throws Exception {
        NodeConfig huzhou = alliance.config(DemoAlliance.member("huzhou"));
        inProcess.add(Node.start(huzhou));
        Process doomed = startChild("hangzhou", hangzhouDb, CrashPoint.DELIVERY_BEFORE_COMMIT, DeliveryKind.CHECKPOINT);
        // the node's own start is audited, and the demo's configuration signs a checkpoint every 3 s and sends it every 2 s
        assertTrue(doomed.waitFor(90, TimeUnit.SECONDS), "hangzhou halts once Huzhou has countersigned a checkpoint");
        assertEquals(137, doomed.exitValue());
        children.remove(doomed);
        String witnessed = "select count(*) from audit_witnessed where partner = 'hangzhou'";
        long witnessedAtTheKill = Long.parseLong(TestNodes.rows(huzhou, witnessed).first());
        assertTrue(witnessedAtTheKill >= 1, "Huzhou countersigned");
        long keptAtTheKill = count(hangzhouDb, "select count(*) from audit_countersignature where partner = 'huzhou'");
        assertTrue(keptAtTheKill < witnessedAtTheKill, "the countersignature was not committed");

        startChild("hangzhou", hangzhouDb, null, null);
        await("after the restart every checkpoint Huzhou witnessed is countersigned at Hangzhou",
                () -> count(hangzhouDb, "select count(*) from audit_countersignature where partner = 'huzhou'")
                        >= Long.parseLong(TestNodes.rows(huzhou, witnessed).first())
                        && count(hangzhouDb, "select count(*) from outbox where kind = 'CHECKPOINT' and destination = 'huzhou'"
                        + " and state = 'DELIVERED'") >= witnessedAtTheKill);
        java.util.SortedSet<String> given = TestNodes.rows(huzhou,
                "select seq || ':' || encode(sha256(countersigned), 'hex') from audit_witnessed where partner = 'hangzhou'");
        java.util.SortedSet<String> kept = rows(hangzhouDb,
                "select seq || ':' || encode(sha256(signed), 'hex') from audit_countersignature where partner = 'huzhou'");
        assertTrue(given.containsAll(kept), "Hangzhou keeps the countersignature Huzhou gave, the same when asked again: " + kept + " " + given);
    }

    @Test
    void brokerRestartedWhileRecordsArrive_losesNone() throws Exception {
        Path brokerDir = root.resolve("external-broker");
        int port = TestNodes.freePort();
        EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, port);
        inProcess.add(alliance.start(DemoAlliance.member("national")));
        Node hangzhou = Node.start(database(alliance.config(DemoAlliance.member("hangzhou")), hangzhouDb)
                .with("gateway.broker.url", "tcp://127.0.0.1:" + port));
        inProcess.add(hangzhou);
        await("earlier deliveries settle", () -> received("national", "hangzhou") == outbox("national", null));

        broker.close();
        importFile("hangzhou", "licensing", 112);
        long toNation = outbox("national", null);
        // two relay passes against the stopped broker: each fails and keeps the deliveries due
        TestNodes.awaitRouteRuns(alliance.apiUrl(DemoAlliance.member("hangzhou")), "outbox-relay", 2);
        assertTrue(received("national", "hangzhou") < toNation);
        broker = EmbeddedBroker.start(brokerDir, port);
        try {
            await("after the broker's restart every record reaches the nation once",
                    () -> received("national", "hangzhou") == toNation && outbox("national", "DELIVERED") == toNation);
        } finally {
            hangzhou.close();
            inProcess.remove(hangzhou);
            broker.close();
        }
    }

    private Node startInProcess(String id, EmbeddedPostgres db) throws Exception {
        return Node.start(database(alliance.config(DemoAlliance.member(id)), db));
    }

    private static NodeConfig database(NodeConfig config, EmbeddedPostgres db) {
        return config.with("gateway.database.url", db.getJdbcUrl("postgres", "postgres"))
                .with("gateway.database.user", "postgres")
                .with("gateway.outbox.requeue-seconds", "3");
    }

    /**
     * A node in a JVM of its own, halting at the crash point if one is given (where a delivery of
     * {@code kind} reaches it, if one is given); returns once it is ready.
     */
    private Process startChild(String id, EmbeddedPostgres db, CrashPoint crashAt, DeliveryKind kind) throws Exception {
        Process p = NodeProcesses.start(root, id, database(alliance.config(DemoAlliance.member(id)), db),
                alliance.apiUrl(DemoAlliance.member(id)) + "/health/ready", crashAt, kind);
        children.add(p);
        return p;
    }

    /**
     * Imports a file of a seed of its own (each test its own records, whatever order they run in);
     * the node may halt before it answers (the import commits first, the relay may kill it).
     */
    private static void importFile(String node, String type, int seedNumber) throws Exception {
        Path seed = root.resolve("seed-" + seedNumber);
        if (!Files.exists(seed)) {
            new SeedGenerator(seedNumber, LocalDate.now()).writeDataSet(60, seed);
        }
        try {
            var r = TestNodes.operatorPost(alliance.apiUrl(DemoAlliance.member(node)) + "/api/v1/imports?type=" + type, "text/csv",
                    Files.readAllBytes(seed.resolve(type + ".csv")));
            assertEquals(200, r.statusCode(), r.body());
        } catch (java.io.IOException haltedBeforeAnswering) {
            assertTrue(count(hangzhouDb, "select count(*) from credit_record where category = '" + type + "'") > 0,
                    "the import committed before the node halted");
        }
    }

    private static JsonNode get(String node, String path) {
        try {
            var r = (path.startsWith("/api/v1/alliance/") ? TestNodes.readerGet(alliance.apiUrl(DemoAlliance.member(node)) + path)
                    : TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member(node)) + path));
            return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : Json.mapper().createObjectNode();
        } catch (Exception e) {
            return Json.mapper().createObjectNode(); // the node is restarting
        }
    }

    private static long received(String node, String sender) {
        long n = 0;
        for (JsonNode c : get(node, "/api/v1/received").path("received").path(sender)) {
            n += c.asLong();
        }
        return n;
    }

    /** Hangzhou's deliveries to a destination, in a state or all. */
    private static long outbox(String destination, String state) {
        return count(hangzhouDb, "select count(*) from outbox where kind = 'PUBLICITY' and destination = '" + destination + "'"
                + (state == null ? "" : " and state = '" + state + "'"));
    }

    private static long count(EmbeddedPostgres db, String sql) {
        try (var c = db.getPostgresDatabase().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return 0;
            }
            throw new IllegalStateException(e);
        }
    }

    private static java.util.SortedSet<String> rows(EmbeddedPostgres db, String sql) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        try (var c = db.getPostgresDatabase().getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestNodes.await(what, Duration.ofSeconds(120), condition);
    }
}
