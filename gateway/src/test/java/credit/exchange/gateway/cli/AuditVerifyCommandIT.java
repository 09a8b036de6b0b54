package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.infra.CreditStoreConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
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
            // the command works beside the running node (it finds its embedded PostgreSQL); wait for a signed checkpoint of all 25
            TestNodes.await("a signed checkpoint at the trail's head", Duration.ofSeconds(30), () -> CliRun.of("audit", "verify", "--config",
                    file.toString()).out().matches("(?s).*events 1–25 verified.*[1-9]\\d* signed checkpoint\\(s\\) matched.*"));
        }

        CliRun intact = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(0, intact.exit(), intact.out());
        assertTrue(intact.out().matches("(?s)audit trail of hangzhou \\(SM3\\): events 1–25 verified in .*[1-9]\\d* signed checkpoint\\(s\\) matched.*"),
                intact.out());

        try (CreditStoreConnection store = CreditStoreConnection.open(config);
             Connection c = store.database().connection(); Statement s = c.createStatement()) {
            s.execute("update audit_event set dataset = 'penalty' where seq = 5");
            try (ResultSet rs = s.executeQuery("select count(*) from audit_event where seq is not null")) {
                rs.next();
                assertEquals(25, rs.getInt(1), "the partner configuration in force at start, and eight datasets for each of three queries");
            }
        }
        CliRun broken = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("BROKEN at event 5: MODIFIED"), broken.out());
    }

}
