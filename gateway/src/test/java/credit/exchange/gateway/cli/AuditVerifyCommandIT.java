package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.infra.CreditStoreConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatewayctl audit verify} on a node's real trail: the API's queries leave access events,
 * the node chains them and signs checkpoints with its GM credential; the command verifies chain
 * and checkpoints (exit 0), and after a row is changed in PostgreSQL reports where and how (exit 1).
 */
class AuditVerifyCommandIT {

    @TempDir
    Path root;

    @Test
    void aNodesTrail_verifies_untilARowIsChanged() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        NodeConfig config = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.audit.checkpoint-events", "4");
        String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        Path file = root.resolve("hangzhou.properties");
        config.save(file);
        try (Node node = Node.start(config)) {
            for (String uscc : new String[] {"91330100716105852F", "914403001922038216", "9144030071526726XG"}) {
                assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=" + uscc).statusCode());
            }
            // the command works beside the running node (it finds its embedded PostgreSQL); wait for a signed checkpoint of the head
            TestNodes.await("a signed checkpoint at the trail's head", Duration.ofSeconds(30), () -> CliRun.of("audit", "verify", "--config",
                    file.toString()).out().matches("(?s).*events 1–\\d+ verified.*[1-9]\\d* signed checkpoint\\(s\\) matched.*"));
            // more events after that checkpoint, themselves signed: a range to purge and a trail after it
            long checkpointed = Long.parseLong(TestNodes.rows(config, "select max(seq) from audit_checkpoint").first());
            assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=91330100716105852F").statusCode());
            // (not necessarily at the head: the countersigning's failed exchanges with the partners that are not running follow it)
            TestNodes.await("a later signed checkpoint of the query's events", Duration.ofSeconds(30), () -> TestNodes.rows(config,
                    "select 1 from audit_checkpoint k where k.seq >= (select max(seq) from audit_event where action = 'access')"
                            + " and k.seq > " + checkpointed).contains("1"));
        }
        assertEquals("5", TestNodes.rows(config, "select count(*) from audit_event where action in ('access', 'config')").first(),
                "the partner configuration in force at start, and one event for each of four queries");
        assertEquals("32", TestNodes.rows(config, "select sum(cardinality(decisions)) from audit_event where action = 'access'").first(),
                "each query's event holds its eight datasets' decisions");
        long head = Long.parseLong(TestNodes.rows(config, "select seq from audit_chain_head").first());

        CliRun intact = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(0, intact.exit(), intact.out());
        assertTrue(intact.out().matches("(?s)audit trail of hangzhou \\(SM3\\): events 1–" + head
                + " verified in .*[1-9]\\d* signed checkpoint\\(s\\) matched.*"), intact.out());

        // the oldest range is archived and purged; the rest still verifies, and so does the archive, offline
        long first = Long.parseLong(TestNodes.rows(config, "select min(seq) from audit_checkpoint").first());
        Path archives = root.resolve("archives");
        CliRun purged = CliRun.of("audit", "purge", "--config", file.toString(), "--through", Long.toString(first),
                "--archive-dir", archives.toString());
        assertEquals(0, purged.exit(), purged.out());
        CliRun afterPurge = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(0, afterPurge.exit(), afterPurge.out());
        assertTrue(afterPurge.out().contains("events " + (first + 1) + "–"), afterPurge.out());
        CliRun purges = CliRun.of("audit", "purges", "--config", file.toString());
        assertTrue(purges.out().startsWith("events 1–" + first + ": audit-hangzhou-1-" + first + ".zip (SHA-256 "), purges.out());
        CliRun archive = CliRun.of("audit", "verify-bundle", archives.resolve("audit-hangzhou-1-" + first + ".zip").toString(),
                "--trust", config.get("gateway.trust.anchors"));
        assertEquals(0, archive.exit(), archive.out());

        long changed = first + 1;
        try (CreditStoreConnection store = CreditStoreConnection.open(config);
             Connection c = store.database().connection(); Statement s = c.createStatement()) {
            s.execute("update audit_event set detail = 'rewritten' where seq = " + changed);
        }
        CliRun broken = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("BROKEN at event " + changed + ": MODIFIED"), broken.out());
    }

    /**
     * The operator's path: no configuration file, only the node's data directory (as the demo's
     * hints print it). The CLI acts with the configuration the node left there, so the bundle it
     * exports carries the node's CRLs and verifies offline with the alliance CA certificates alone;
     * a configuration without CRLs refuses the export, naming the setting, and writes nothing.
     */
    @Test
    void auditExport_fromTheNodesDataDirectory_verifiesOfflineWithTheAllianceCaAlone() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        NodeConfig config = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.audit.checkpoint-events", "4");
        String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String[] node = {"--data-dir", root.resolve("data").toString(), "--node", "hangzhou"};
        Path bundle = root.resolve("evidence.zip");
        try (Node running = Node.start(config)) {
            assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=91330100716105852F").statusCode());
            TestNodes.await("a signed checkpoint of the node's trail", Duration.ofSeconds(30),
                    () -> !TestNodes.rows(config, "select seq from audit_checkpoint").isEmpty());

            CliRun exported = CliRun.of(args(node, "audit", "export", "--from", Instant.now().minus(Duration.ofHours(1)).toString(),
                    "--to", Instant.now().plus(Duration.ofHours(1)).toString(), "--out", bundle.toString()));
            assertEquals(0, exported.exit(), exported.out() + exported.err());
            CliRun verified = CliRun.of(args(node, "audit", "verify"));
            assertEquals(AuditCommand.VERIFIED, verified.exit(), verified.out() + verified.err());
            assertTrue(verified.out().matches("(?s).*[1-9]\\d* signed checkpoint\\(s\\) matched.*"), verified.out());
        }
        try (var zip = new java.util.zip.ZipFile(bundle.toFile())) {
            String crls = new String(zip.getInputStream(zip.getEntry("crls.pem")).readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(crls.contains("-----BEGIN X509 CRL-----"), "the bundle carries the node's CRLs: " + crls);
        }
        CliRun offline = CliRun.of("audit", "verify-bundle", bundle.toString(), "--trust", config.get("gateway.trust.anchors"));
        assertEquals(0, offline.exit(), offline.out() + offline.err());
        assertTrue(offline.out().contains("verifies: events 1–"), offline.out());

        // a configuration that truly names no CRL (nor trust anchors): the export refuses, the verification says what it could not check
        Path bare = root.resolve("bare.properties");
        config.with("gateway.trust.crls", "").with("gateway.trust.anchors", "").with("gateway.credentials.gm.key", "")
                .with("gateway.credentials.intl.key", "").save(bare);
        Path none = root.resolve("none.zip");
        CliRun refused = CliRun.of("audit", "export", "--config", bare.toString(), "--from", Instant.now().minus(Duration.ofHours(1)).toString(),
                "--to", Instant.now().plus(Duration.ofHours(1)).toString(), "--out", none.toString());
        assertEquals(2, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().startsWith("error E_CONFIG_INVALID: ") && refused.err().contains("gateway.trust.crls"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());
        assertFalse(Files.exists(none), "no bundle without CRLs");
        CliRun unchecked = CliRun.of("audit", "verify", "--config", bare.toString());
        assertEquals(AuditCommand.CHECKPOINTS_NOT_CHECKED, unchecked.exit(), unchecked.out() + unchecked.err());
        assertTrue(unchecked.out().contains("signed checkpoints NOT checked: the configuration names no trust anchor (gateway.trust.anchors)"),
                unchecked.out());
        CliRun noPurge = CliRun.of("audit", "purge", "--config", bare.toString(), "--through", "1", "--archive-dir",
                root.resolve("archives").toString());
        assertEquals(2, noPurge.exit(), noPurge.out() + noPurge.err());
        assertTrue(noPurge.err().startsWith("error E_CONFIG_INVALID: ") && noPurge.err().contains("gateway.trust.anchors"), noPurge.err());
        CliRun noStore = CliRun.of("audit", "verify", "--config", root.resolve("missing.properties").toString());
        assertEquals(2, noStore.exit(), noStore.out() + noStore.err());
        assertTrue(noStore.err().startsWith("error"), noStore.err());
    }

    private static String[] args(String[] node, String... command) {
        String[] all = java.util.Arrays.copyOf(command, command.length + node.length);
        System.arraycopy(node, 0, all, command.length, node.length);
        return all;
    }

}
