package credit.exchange.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.NodeProcesses;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's stop (SIGTERM) of a node whose partners are down, so that pulls, countersigning
 * and deliveries are retrying when the stop comes: the node is gone within 10 seconds, says
 * nothing alarming (no stack trace, no error) while stopping, leaves no database server running,
 * and a node started on the same data directory afterwards is ready again.
 */
class NodeStopIT {

    @Test
    void aStopIsQuickAndQuiet_andTheDatabaseStopsLast(@TempDir Path dir) throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dir.resolve("alliance"), DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        NodeConfig config = alliance.config(hangzhou);
        String ready = alliance.apiUrl(hangzhou) + "/health/ready";
        Process node = NodeProcesses.start(dir, "hangzhou", config, ready, null);
        Path out = dir.resolve("hangzhou.out");
        // records for the nation and the province: deliveries retrying (no partner runs) when the stop comes
        var imported = credit.exchange.gateway.cli.CliRun.of("import", "--config", dir.resolve("hangzhou.properties").toString(),
                "--file", TestNodes.samples().resolve("licensing-sample.csv").toString(), "--type", "licensing");
        assertTrue(imported.out().contains("stored"), imported.out() + imported.err());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TestNodes.rows(config, "select count(*) from outbox_attempt").first().equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long before = Files.size(out);

        long stopAt = System.nanoTime();
        node.destroy(); // SIGTERM
        assertTrue(node.waitFor(10, TimeUnit.SECONDS), "the node did not stop within 10 s");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
        System.out.printf("stopped in %d ms%n", tookMs);

        byte[] log = Files.readAllBytes(out);
        String stopping = new String(log, (int) before, log.length - (int) before, StandardCharsets.UTF_8);
        assertFalse(stopping.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("ERROR") || l.contains("Exception:")),
                "the stop was noisy:\n" + stopping);
        assertFalse(EmbeddedDatabaseServer.runningAt(config.nodeDir()).isPresent(), "the database still runs");

        Process again = NodeProcesses.start(dir, "hangzhou-again", config, ready, null); // returns once ready
        NodeProcesses.stop(again, Duration.ofSeconds(30));
    }
}
