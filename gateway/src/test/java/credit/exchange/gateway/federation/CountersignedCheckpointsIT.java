package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.GatewayCtl;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.infra.CreditStoreConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partners witness Hangzhou's audit trail over real exchanges: Hangzhou's signed checkpoints go
 * to Huzhou (GM) and Jiaxing (an INTL partner, countersigning with its GM credential, the chain's
 * suite) in sealed envelopes; each countersigns and keeps what it witnessed; Hangzhou keeps the
 * countersignatures, and {@code audit verify} checks them.
 */
class CountersignedCheckpointsIT {

    @TempDir
    Path root;

    @Test
    void hangzhousCheckpoints_areCountersignedByItsRunningPartners_andVerify() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        List<Node> nodes = new ArrayList<>();
        NodeConfig hangzhou = fast(alliance.config(DemoAlliance.member("hangzhou")));
        try {
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(fast(alliance.config(DemoAlliance.member("huzhou")))));
            nodes.add(Node.start(fast(alliance.config(DemoAlliance.member("jiaxing")))));
            String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
            for (String uscc : new String[] {"91330100716105852F", "914403001922038216"}) {
                assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=" + uscc).statusCode());
            }
            TestNodes.await("countersignatures of Hangzhou's checkpoint from Huzhou and Jiaxing", Duration.ofSeconds(60),
                    () -> rows(hangzhou, "select distinct partner from audit_countersignature").containsAll(Set.of("huzhou", "jiaxing")));
            assertEquals(Set.of("hangzhou"), rows(fast(alliance.config(DemoAlliance.member("huzhou"))),
                    "select distinct partner from audit_witnessed"), "Huzhou keeps what it witnessed");
        } finally {
            nodes.forEach(Node::close);
        }
        Path file = root.resolve("hangzhou.properties");
        hangzhou.save(file);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = GatewayCtl.execute("audit", "verify", "--config", file.toString());
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed);
        assertTrue(printed.matches("(?s).*countersigned by huzhou \\(\\d+\\), jiaxing \\(\\d+\\).*"), printed);
    }

    /** Checkpoints after a few events, countersignatures asked for every second. */
    private static NodeConfig fast(NodeConfig config) {
        return config.with("gateway.audit.checkpoint-events", "4").with("gateway.audit.countersign-seconds", "1");
    }

    private static Set<String> rows(NodeConfig config, String sql) {
        try (CreditStoreConnection store = CreditStoreConnection.open(config);
             Connection c = store.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Set<String> out = new TreeSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
