package credit.exchange.gateway;

import credit.exchange.gateway.cli.GatewayCtl;
import credit.exchange.routes.push.CrashPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Nodes in JVMs of their own, for tests that kill them (-9) or let them halt at a crash point. */
public final class NodeProcesses {

    private NodeProcesses() {
    }

    /**
     * Starts {@code gatewayctl run} with this configuration (saved as {@code <dir>/<name>.properties},
     * output in {@code <dir>/<name>.out}), armed to halt at the crash point if one is given; returns
     * once the node answers {@code readyUrl} with 200, or once it halted before (a crash point that
     * comes first).
     */
    public static Process start(Path dir, String name, NodeConfig config, String readyUrl, CrashPoint crashAt) throws Exception {
        Path file = dir.resolve(name + ".properties");
        config.save(file);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (crashAt != null) {
            command.add("-Dgateway.fault.halt-at=" + crashAt.propertyValue());
        }
        command.addAll(List.of(GatewayCtl.class.getName(), "run", "--config", file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile())).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline) && p.isAlive()) {
            try {
                if (TestNodes.get(readyUrl).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        if (!p.isAlive() && crashAt != null) {
            return p;
        }
        p.destroyForcibly();
        throw new AssertionError(name + " did not become ready; see " + dir.resolve(name + ".out"));
    }
}
