package credit.exchange.gateway.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The node's in-JVM ActiveMQ Artemis broker, persistent, journal under {@code <node dir>/broker}.
 * Clients in this JVM connect with its {@link #url()} ({@code vm://<n>}, a number of its own, so
 * that several nodes can share a JVM as in the demo and the tests); with a TCP port configured,
 * other processes (replicas, tools) can connect too. The broker carries triggers; the database keeps
 * every delivery's state and retry policy, so a trigger whose processing failed (the database
 * was down) is simply redelivered, after a second, without limit.
 *
 * <p>One node at a time runs on a data directory: a second one started on it fails at once, naming
 * the directory, instead of waiting forever for Artemis's journal lock ({@code broker/node.lock}).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

    private final EmbeddedActiveMQ server;
    private final String url;
    private final FileChannel lock;

    private EmbeddedBroker(EmbeddedActiveMQ server, String url, FileChannel lock) {
        this.server = server;
        this.url = url;
        this.lock = lock;
    }

    public static EmbeddedBroker start(Path nodeDir, int tcpPort) throws Exception {
        Path dir = nodeDir.resolve("broker");
        FileChannel lock = exclusive(nodeDir, dir);
        try {
            return start(dir, tcpPort, lock);
        } catch (Exception | Error e) {
            lock.close();
            throw e;
        }
    }

    /** The data directory's lock, held while the broker runs; refused at once if another node holds it. */
    private static FileChannel exclusive(Path nodeDir, Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (OverlappingFileLockException inThisJvm) {
            held = null;
        }
        if (held == null) {
            channel.close();
            throw new IllegalArgumentException("another node is running on the data directory " + nodeDir + "; stop it, or start"
                    + " this one with another --data-dir");
        }
        return channel;
    }

    private static EmbeddedBroker start(Path dir, int tcpPort, FileChannel lock) throws Exception {
        String url = "vm://" + IN_VM_IDS.getAndIncrement();
        Configuration config = new ConfigurationImpl()
                .setName("gateway-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setNodeManagerLockDirectory(dir.toString())
                .addAcceptorConfiguration("in-vm", url);
        if (tcpPort > 0) {
            config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + tcpPort);
        }
        config.addAddressSetting("#", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1000)
                // never used (deliveries are not limited), named so that the broker has one to name
                .setDeadLetterAddress(SimpleString.of("gateway.dead-letter"))
                .setExpiryAddress(SimpleString.of("gateway.expired"))
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                // a partner's queue outlives its consumer: Artemis would delete an auto-created queue the moment
                // it has neither consumer nor message, and a trigger sent then (by a producer that knows the queue)
                // would be dropped, its deliveries waiting for the requeue instead of being delivered
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        if (!server.getActiveMQServer().isActive()) {
            server.stop();
            throw new IllegalStateException("the embedded broker did not start; see the log above");
        }
        return new EmbeddedBroker(server, url, lock);
    }

    /** The URL clients of this JVM use. */
    public String url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            lock.close(); // releases the data directory's lock
        }
    }
}
