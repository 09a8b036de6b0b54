package credit.exchange.gateway.infra;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** The node's connection factory to its Artemis broker, embedded or external. */
public final class BrokerConnection implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;

    public BrokerConnection(String url, String user, String password) {
        this.factory = new ActiveMQConnectionFactory(url);
        if (!user.isEmpty()) {
            factory.setUser(user);
            factory.setPassword(password);
        }
        factory.setCallTimeout(2_000);
        factory.setReconnectAttempts(0);
    }

    public ActiveMQConnectionFactory factory() {
        return factory;
    }

    /** True when the broker accepts a connection and a session within the call timeout. */
    public boolean answers() {
        try (Connection c = factory.createConnection()) {
            c.createSession().close();
            return true;
        } catch (JMSException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
