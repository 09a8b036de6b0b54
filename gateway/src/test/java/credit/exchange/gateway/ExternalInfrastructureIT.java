package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape: a PostgreSQL server and an Artemis broker that the node did not start,
 * named in its configuration. Readiness follows them.
 */
class ExternalInfrastructureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void node_onExternalDatabaseAndBroker_isReady_andNotReadyWhenTheBrokerGoes(@TempDir Path dir) throws Exception {
        int brokerPort = TestNodes.freePort();
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false).setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort));
        broker.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            NodeConfig config = TestNodes.config(dir, Map.of(
                    "gateway.database.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "gateway.database.user", "postgres",
                    "gateway.broker.url", "tcp://127.0.0.1:" + brokerPort));
            try (Node node = Node.start(config)) {
                String ready = TestNodes.baseUrl(config) + "/health/ready";
                var answer = TestNodes.get(ready);
                assertEquals(200, answer.statusCode(), answer.body());
                assertFalse(Files.exists(config.nodeDir().resolve("postgres")), "the node started a database of its own");
                assertFalse(Files.exists(config.nodeDir().resolve("broker")), "the node started a broker of its own");

                broker.stop();
                answer = TestNodes.get(ready);
                assertEquals(503, answer.statusCode(), answer.body());
                var checks = JSON.readTree(answer.body()).get("checks");
                assertEquals("DOWN", checks.get("broker").asText());
                assertEquals("UP", checks.get("database").asText());
            }
        } finally {
            broker.stop();
        }
    }
}
