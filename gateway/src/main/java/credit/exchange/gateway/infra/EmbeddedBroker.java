package credit.exchange.gateway.infra;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The node's in-JVM ActiveMQ Artemis broker, persistent, journal under {@code <node dir>/broker}.
 * Clients in this JVM connect with {@code vm://0}; with a TCP port configured, other processes
 * (replicas, tools) can connect too. Redelivery is the database's business (the broker is a
 * trigger), so the broker itself does not redeliver.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String IN_VM_URL = "vm://0";

    private final EmbeddedActiveMQ server;

    private EmbeddedBroker(EmbeddedActiveMQ server) {
        this.server = server;
    }

    public static EmbeddedBroker start(Path nodeDir, int tcpPort) throws Exception {
        Path dir = nodeDir.resolve("broker");
        Configuration config = new ConfigurationImpl()
                .setName("gateway-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setNodeManagerLockDirectory(dir.toString())
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (tcpPort > 0) {
            config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + tcpPort);
        }
        config.addAddressSetting("#", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        return new EmbeddedBroker(server);
    }

    /** The URL clients of this JVM use. */
    public String url() {
        return IN_VM_URL;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
