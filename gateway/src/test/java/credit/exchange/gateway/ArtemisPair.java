package credit.exchange.gateway;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;

/**
 * The Artemis primary/backup pair of {@code deploy/artemis/}, each broker in a JVM of its own on
 * loopback, so that a test can kill the primary (-9) under load. The brokers run the shipped
 * {@code broker.xml} files unchanged; what Kubernetes gives them (host names, ports, the cluster
 * password, the user the image creates in role {@code amq}) comes as system properties and a JAAS
 * in-VM login, as the image's own login would.
 */
public final class ArtemisPair implements AutoCloseable {

    public static final String USER = "gateway";
    public static final String PASSWORD = "pair-test-password";
    private static final String SYNCED = "PAIR-STATE replica synchronised";
    private static final String ACTIVE = "PAIR-STATE active";

    private final Path dir;
    private final int primaryPort;
    private final int backupPort;
    private Process primary;
    private Process backup;

    private ArtemisPair(Path dir, int primaryPort, int backupPort) {
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.backupPort = backupPort;
    }

    /** Starts the primary, then the backup, and returns once the backup has synchronised with the primary. */
    public static ArtemisPair start(Path dir, Path deployArtemis) throws Exception {
        ArtemisPair pair = new ArtemisPair(dir, TestNodes.freePort(), TestNodes.freePort());
        try {
            pair.primary = pair.launch("primary", deployArtemis.resolve("live/broker.xml"), pair.primaryPort, pair.backupPort);
            pair.awaitPort(pair.primaryPort, pair.primary, "primary");
            pair.backup = pair.launch("backup", deployArtemis.resolve("backup/broker.xml"), pair.backupPort, pair.primaryPort);
            pair.awaitLog("primary", ACTIVE, Duration.ofSeconds(60));
            pair.awaitLog("backup", SYNCED, Duration.ofSeconds(90));
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    /** The URL the gateways connect with: both brokers, as docs/operations.md gives it. */
    public String url() {
        return "(tcp://127.0.0.1:" + primaryPort + ",tcp://127.0.0.1:" + backupPort + ")?ha=true";
    }

    /** Kills the primary (-9) and returns once the backup has become active. */
    public void killPrimary() throws Exception {
        primary.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        awaitLog("backup", ACTIVE, Duration.ofSeconds(60));
    }

    public Path log(String name) {
        return dir.resolve("artemis-" + name + ".out");
    }

    private Process launch(String name, Path brokerXml, int port, int peerPort) throws IOException {
        Path instance = Files.createDirectories(dir.resolve("artemis-" + name));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dartemis.instance=" + instance, "-Dartemis.host=127.0.0.1", "-Dartemis.port=" + port,
                // the primary names its peer artemis.backup.*, the backup artemis.live.*
                "-Dartemis.backup.host=127.0.0.1", "-Dartemis.backup.port=" + peerPort,
                "-Dartemis.live.host=127.0.0.1", "-Dartemis.live.port=" + peerPort,
                "-Dartemis.cluster.password=" + PASSWORD,
                Broker.class.getName(), brokerXml.toAbsolutePath().toUri().toString()));
        return new ProcessBuilder(command).directory(instance.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
    }

    private void awaitPort(int port, Process process, String name) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the " + name + " broker did not listen on " + port + "; see " + log(name));
    }

    private void awaitLog(String name, String message, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log(name)) && Files.readString(log(name), StandardCharsets.UTF_8).contains(message)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the " + name + " broker did not log " + message + " within " + timeout + "; see " + log(name));
    }

    @Override
    public void close() throws Exception {
        for (Process p : new Process[] {backup, primary}) {
            if (p != null) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One broker of the pair: its broker.xml (a URL), the gateway user in role amq as the image creates it. */
    public static final class Broker {
        public static void main(String[] args) throws Exception {
            SecurityConfiguration users = new SecurityConfiguration();
            users.addUser(USER, PASSWORD);
            users.addRole(USER, "amq");
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
            broker.setConfigResourcePath(args[0]);
            broker.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
            broker.start();
            // the pair's state on standard output, for the test to wait on (the brokers log at WARN here)
            ActiveMQServer server = broker.getActiveMQServer();
            boolean synced = false;
            boolean active = false;
            while (true) {
                if (!synced && server.isReplicaSync()) {
                    synced = true;
                    System.out.println(SYNCED);
                }
                if (!active && server.isActive()) {
                    active = true;
                    System.out.println(ACTIVE);
                }
                Thread.sleep(100);
            }
        }
    }
}
