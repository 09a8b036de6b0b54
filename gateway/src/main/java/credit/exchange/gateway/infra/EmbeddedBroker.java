package credit.exchange.gateway.infra;

import java.nio.file.Path;
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
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

    private final EmbeddedActiveMQ server;
    private final String url;

    private EmbeddedBroker(EmbeddedActiveMQ server, String url) {
        this.server = server;
        this.url = url;
    }

    public static EmbeddedBroker start(Path nodeDir, int tcpPort) throws Exception {
        Path dir = nodeDir.resolve("broker");
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
                .setAutoCreateAddresses(true));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        if (!server.getActiveMQServer().isActive()) {
            server.stop();
            throw new IllegalStateException("the embedded broker did not start; see the log above");
        }
        return new EmbeddedBroker(server, url);
    }

    /** The URL clients of this JVM use. */
    public String url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
