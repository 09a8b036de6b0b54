package credit.exchange.gateway;

import credit.exchange.gateway.cli.GatewayCtl;
import credit.exchange.routes.delivery.CrashPoint;
import credit.exchange.routes.delivery.DeliveryKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nodes in JVMs of their own: for the load driver (a node with its own heap, collector and JIT,
 * as in production) and for tests that kill them (-9) or let them halt at a crash point.
 */
public final class NodeProcesses {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeProcesses() {
    }

    /**
     * Starts {@code gatewayctl run} with this configuration (saved as {@code <dir>/<name>.properties},
     * output in {@code <dir>/<name>.out}), armed to halt at the crash point if one is given; returns
     * once the node answers {@code readyUrl} with 200, or once it halted before (a crash point that
     * comes first).
     *
     * @throws IllegalStateException if it is not ready within 90 seconds (it is then killed)
     */
    public static Process start(Path dir, String name, NodeConfig config, String readyUrl, CrashPoint crashAt) throws Exception {
        return start(dir, name, config, readyUrl, crashAt, null);
    }

    /** As {@link #start(Path, String, NodeConfig, String, CrashPoint)}, halting only where a delivery of {@code kind} reaches the point. */
    public static Process start(Path dir, String name, NodeConfig config, String readyUrl, CrashPoint crashAt, DeliveryKind kind)
            throws Exception {
        Path file = dir.resolve(name + ".properties");
        config.save(file);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (crashAt != null) {
            command.add("-Dgateway.fault.halt-at=" + (kind == null ? crashAt.propertyValue() : crashAt.armedFor(kind)));
        }
        command.addAll(List.of(GatewayCtl.class.getName(), "run", "--config", file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile())).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline) && p.isAlive()) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
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
        throw new IllegalStateException(name + " did not become ready; see " + dir.resolve(name + ".out"));
    }

    /** Stops the node as an operator does (SIGTERM, a graceful shutdown); kills it if it is not gone within {@code grace}. */
    public static void stop(Process node, Duration grace) throws InterruptedException {
        node.destroy();
        if (!node.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
