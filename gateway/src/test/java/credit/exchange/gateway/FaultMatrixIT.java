package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.SimulatedPartner;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.PemFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix (docs/RELIABILITY.md) beyond the faults other integration tests cover: the
 * database restarting under a running node, and a partner whose clock is off. Each with the
 * coded outcome a caller sees, and nothing accepted lost.
 */
class FaultMatrixIT {

    @TempDir
    Path dir;

    /**
     * PostgreSQL stops under a running node and comes back: meanwhile the node is not ready, and
     * uploads and queries are refused with E_UNAVAILABLE (a retryable code, no stack trace), so
     * nothing is half-accepted; afterwards it is ready again by itself, holds every record it
     * accepted before, accepts new ones, and its audit trail verifies.
     */
    @Test
    void theDatabaseRestarting_underARunningNode_refusesWithACode_thenRecovers_losingNothing() throws Exception {
        int port = TestNodes.freePort();
        Path data = dir.resolve("pgdata");
        EmbeddedPostgres postgres = start(data, port);
        try {
            NodeConfig config = TestNodes.config(dir.resolve("node"), Map.of(
                    "gateway.database.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                    "gateway.database.user", "postgres"));
            Path seed = dir.resolve("seed");
            new SeedGenerator(3, LocalDate.now()).writeDataSet(30, seed);
            try (Node node = Node.start(config)) {
                String api = TestNodes.baseUrl(config);
                HttpResponse<String> imported = TestNodes.operatorPost(api + "/api/v1/imports?type=licensing", "text/csv",
                        Files.readAllBytes(seed.resolve("licensing.csv")));
                assertEquals(200, imported.statusCode(), imported.body());
                long before = Long.parseLong(TestNodes.rows(config, "select count(*) from credit_record").first());
                String uscc = TestNodes.rows(config, "select uscc from subject where uscc is not null limit 1").first();

                postgres.close();
                HttpResponse<String> ready = TestNodes.get(api + "/health/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertEquals("DOWN", Json.mapper().readTree(ready.body()).path("checks").path("database").asText());
                HttpResponse<String> refusedUpload = TestNodes.operatorPost(api + "/api/v1/imports?type=penalty", "text/csv",
                        Files.readAllBytes(seed.resolve("penalty.csv")));
                assertUnavailable(refusedUpload);
                assertUnavailable(TestNodes.get(api + "/api/v1/records?uscc=" + uscc));

                postgres = start(data, port);
                TestNodes.await("the node ready again", Duration.ofSeconds(60), () -> {
                    try {
                        return TestNodes.get(api + "/health/ready").statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertEquals(before, Long.parseLong(TestNodes.rows(config, "select count(*) from credit_record").first()),
                        "every record accepted before the restart is there");
                HttpResponse<String> after = TestNodes.operatorPost(api + "/api/v1/imports?type=penalty", "text/csv",
                        Files.readAllBytes(seed.resolve("penalty.csv")));
                assertEquals(200, after.statusCode(), after.body());
                HttpResponse<String> records = TestNodes.get(api + "/api/v1/records?uscc=" + uscc);
                assertEquals(200, records.statusCode(), records.body());
            }
            Path file = dir.resolve("node.properties");
            config.save(file);
            CliRun verify = CliRun.of("audit", "verify", "--config", file.toString());
            assertEquals(0, verify.exit(), verify.out() + verify.err());
        } finally {
            postgres.close();
        }
    }

    /**
     * A partner whose clock is off by more than the freshness window (±300 s) has its envelopes
     * refused with E_STALE, and the refusal is on the node's audit trail; ten minutes slow, with
     * certificates issued a minute before, it refuses the node's own certificate as not valid yet
     * (E_CERT_EXPIRED); within the window its exchanges are answered.
     */
    @Test
    void aPartnersClock_offBeyondTheFreshnessWindow_isRefusedWithE_STALE_andWithinItAnswered() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dir.resolve("alliance"), DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        DemoAlliance.Member huzhou = DemoAlliance.member("huzhou");
        NodeConfig config = alliance.config(hangzhou);
        try (Node node = alliance.start(hangzhou)) {
            NodeIdentity trust = NodeIdentity.load(config, Clock.systemUTC()).orElseThrow();
            byte[] query = "{\"uscc\":\"91330100716105852F\",\"requestedBy\":\"officer 7\",\"purpose\":\"loan review\"}"
                    .getBytes(StandardCharsets.UTF_8);
            Map<String, Optional<String>> outcomes = new java.util.LinkedHashMap<>();
            for (Duration skew : new Duration[] {Duration.ofMinutes(10), Duration.ofMinutes(-10), Duration.ofMinutes(2), Duration.ofMinutes(-2)}) {
                SimulatedPartner partner = new SimulatedPartner("huzhou", Map.of(Suite.GM, alliance.credential(huzhou, Suite.GM),
                        Suite.INTL, alliance.credential(huzhou, Suite.INTL)), Suite.GM, trust.validator(), trust.policy(), "hangzhou",
                        URI.create(alliance.exchangeUrl(hangzhou)),
                        PemFiles.readCertificate(alliance.root().resolve("certs").resolve("hangzhou.gm.pem")),
                        Clock.offset(Clock.systemUTC(), skew));
                outcomes.put(skew.toString(), partner.exchange("query", query));
            }
            assertEquals(Optional.of("E_STALE"), outcomes.get("PT10M"), outcomes.toString());
            // ten minutes slow, the partner sees the certificates issued a minute ago as not valid yet: refused too, by its own code
            assertEquals(Optional.of("E_CERT_EXPIRED"), outcomes.get("PT-10M"), outcomes.toString());
            assertEquals(Optional.empty(), outcomes.get("PT2M"), outcomes.toString());
            assertEquals(Optional.empty(), outcomes.get("PT-2M"), outcomes.toString());
            TestNodes.await("the refusals on the trail", Duration.ofSeconds(10), () -> TestNodes.rows(config,
                    "select count(*) from audit_event where action = 'exchange.in' and outcome = 'REFUSED' and reason = 'E_STALE'"
                            + " and actor = 'huzhou'").first().equals("1"));
        }
    }

    /**
     * The broker's journal disk fills up while records arrive (simulated: the broker's
     * max-disk-usage below what the disk already holds, so Artemis blocks producers as on a full
     * disk): the records are accepted and their deliveries wait in PostgreSQL; once the disk has
     * room again (the broker restarted on the same journal with its normal limit), every record
     * reaches the nation, once.
     */
    @Test
    void theBrokersDiskFull_whileRecordsArrive_blocksDeliveries_andLosesNone() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dir.resolve("alliance"), DemoAlliance.freeBasePort(), null);
        int brokerPort = TestNodes.freePort();
        Path journal = dir.resolve("broker");
        EmbeddedActiveMQ full = broker(journal, brokerPort, 1);
        NodeConfig config = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.broker.url", "tcp://127.0.0.1:" + brokerPort)
                .with("gateway.outbox.requeue-seconds", "3");
        String nationApi = alliance.apiUrl(DemoAlliance.member("national"));
        try (Node national = alliance.start(DemoAlliance.member("national")); Node hangzhou = Node.start(config)) {
            Path seed = dir.resolve("seed");
            new SeedGenerator(5, LocalDate.now()).writeDataSet(30, seed);
            HttpResponse<String> imported = TestNodes.operatorPost(TestNodes.baseUrl(config) + "/api/v1/imports?type=licensing", "text/csv",
                    Files.readAllBytes(seed.resolve("licensing.csv")));
            assertEquals(200, imported.statusCode(), imported.body());
            long toNation = Long.parseLong(TestNodes.rows(config, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national'").first());
            // the operator hears of it: readiness names the blocked relay (the node stays ready: it answers), as does the gauge
            String ready = TestNodes.baseUrl(config) + "/health/ready";
            TestNodes.await("readiness reports the relay blocked", Duration.ofSeconds(30),
                    () -> relayCheck(ready).startsWith("BLOCKED"));
            assertEquals(200, TestNodes.get(ready).statusCode());
            TestNodes.await("the gauge shows the wait", Duration.ofSeconds(15), () -> metric(TestNodes.baseUrl(config),
                    "gateway_outbox_relay_blocked_seconds") >= 10);
            // the relay has been held for over 10 s: nothing passed the full broker meanwhile
            assertEquals(0, receivedFrom(nationApi), "nothing passes a full broker");
            assertEquals(200, TestNodes.get(TestNodes.baseUrl(config) + "/api/v1/records?uscc="
                    + TestNodes.rows(config, "select uscc from subject where uscc is not null limit 1").first()).statusCode(),
                    "queries are answered meanwhile");

            full.stop();
            EmbeddedActiveMQ roomy = broker(journal, brokerPort, 100);
            try {
                TestNodes.await("every record reaches the nation once the disk has room", Duration.ofSeconds(120),
                        () -> receivedFrom(nationApi) == toNation);
                assertEquals(toNation, Long.parseLong(TestNodes.rows(config,
                        "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'national' and state = 'DELIVERED'").first()));
                assertEquals("UP", relayCheck(ready));
            } finally {
                hangzhou.close();
                roomy.stop();
            }
        } finally {
            full.stop();
        }
    }

    private static EmbeddedActiveMQ broker(Path journal, int port, int maxDiskUsage) throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(true).setSecurityEnabled(false).setMaxDiskUsage(maxDiskUsage).setDiskScanPeriod(200)
                .setJournalDirectory(journal.resolve("journal").toString()).setBindingsDirectory(journal.resolve("bindings").toString())
                .setPagingDirectory(journal.resolve("paging").toString()).setLargeMessagesDirectory(journal.resolve("large").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
        broker.start();
        return broker;
    }

    private static String relayCheck(String readyUrl) {
        try {
            return Json.mapper().readTree(TestNodes.get(readyUrl).body()).path("checks").path("relay").asText();
        } catch (Exception e) {
            return "";
        }
    }

    /** A gauge's value from the node's Prometheus text (the first sample of that name), or -1. */
    private static double metric(String api, String name) {
        try {
            for (String line : TestNodes.operatorGet(api + "/metrics").body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            // not yet
        }
        return -1;
    }

    private static long receivedFrom(String nationApi) {
        try {
            long n = 0;
            for (JsonNode c : Json.mapper().readTree(TestNodes.operatorGet(nationApi + "/api/v1/received").body()).path("received").path("hangzhou")) {
                n += c.asLong();
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertEquals(503, response.statusCode(), response.body());
        JsonNode error = Json.mapper().readTree(response.body());
        assertEquals("E_UNAVAILABLE", error.path("code").asText(), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), "no stack trace: " + response.body());
        assertTrue(error.path("message").asText().length() > 10, "a message a person can act on: " + response.body());
    }
}
