package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explicit dev mode: exchange listeners on plain HTTP without client certificates, partners
 * called at http:// endpoints; the envelope alone proves the sender. And a node not in dev mode
 * refuses to call a partner's plain-HTTP endpoint.
 */
class DevModeIT {

    @Test
    void devModeNodes_exchangeOverPlainHttp_andATlsNodeRefusesToCallAPlainEndpoint(@TempDir Path root) throws Exception {
        int base = DemoAlliance.freeBasePort();
        DemoAlliance alliance = DemoAlliance.prepare(root, base, null);
        for (String id : List.of("hangzhou", "huzhou")) {
            try (Stream<Path> files = Files.list(root.resolve(id).resolve("partner-configs"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.writeString(f, Files.readString(f).replace("endpoint: https://", "endpoint: http://"));
                }
            }
        }
        List<Node> nodes = new ArrayList<>();
        try {
            NodeConfig hangzhou = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.exchange.dev-mode", "true");
            NodeConfig huzhou = alliance.config(DemoAlliance.member("huzhou")).with("gateway.exchange.dev-mode", "true");
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(huzhou));

            JsonNode answered = Json.mapper().readTree(TestNodes.readerGet(TestNodes.baseUrl(hangzhou)
                    + "/api/v1/alliance/subjects/91330100716105852F/records?partners=huzhou").body());
            assertEquals("ANSWERED", answered.path("partners").get(0).path("outcome").asText(), answered.toString());

            nodes.remove(0).close();
            nodes.add(0, Node.start(hangzhou.with("gateway.exchange.dev-mode", "false")));
            JsonNode refused = Json.mapper().readTree(TestNodes.readerGet(TestNodes.baseUrl(hangzhou)
                    + "/api/v1/alliance/subjects/91330100716105852F/records?partners=huzhou").body());
            JsonNode result = refused.path("partners").get(0);
            assertEquals("FAILED", result.path("outcome").asText(), refused.toString());
            assertTrue(result.path("message").asText().contains("only a node in dev mode"), refused.toString());
        } finally {
            nodes.forEach(Node::close);
        }
    }
}
