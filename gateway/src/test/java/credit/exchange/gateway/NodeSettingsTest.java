package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's configuration is read and checked once at start: every default valid, an unknown key or a malformed value refused by name. */
class NodeSettingsTest {

    @Test
    void everyShippedDefault_isValid() {
        NodeSettings settings = NodeSettings.read(NodeConfig.of(Map.of()));
        assertEquals("hangzhou", settings.nodeId());
        assertEquals(8080, settings.api().port());
        assertEquals(Duration.ofSeconds(60), settings.push().requeueAfter());
        assertEquals(Duration.ofMinutes(60), settings.alliance().repairExpiry());
        assertEquals(Duration.ofMillis(10_000), settings.transport().headerTimeout());
        assertEquals(20, settings.alliance().userQueries().burst());
    }

    @Test
    void unknownGatewayKey_isRefusedByName() {
        CodedException e = assertThrows(CodedException.class,
                () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.outbox.requeue-secs", "30"))));
        assertEquals(ErrorCode.E_CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("gateway.outbox.requeue-secs"), e.getMessage());
    }

    @Test
    void unknownKeyInAConfigurationFile_isRefusedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, "gateway.http.port=9090\ngateway.exchange.devmode=true\n");
        NodeConfig config = NodeConfig.load(file, Map.of(), new Properties());
        CodedException e = assertThrows(CodedException.class, () -> NodeSettings.read(config));
        assertTrue(e.getMessage().contains("gateway.exchange.devmode"), e.getMessage());
    }

    @Test
    void openFamiliesAndOtherNamespaces_areKnown() {
        NodeSettings.read(NodeConfig.of(Map.of("gateway.disclosure.fines", "partyName", "gateway.fault.halt-at", "",
                "other.tool.key", "x")));
    }

    @Test
    void malformedNumber_isRefusedWithItsKeyAndValue() {
        CodedException e = assertThrows(CodedException.class,
                () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.audit.chain-ms", "100ms"))));
        assertEquals(ErrorCode.E_CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("gateway.audit.chain-ms") && e.getMessage().contains("'100ms'"), e.getMessage());
    }

    @Test
    void malformedFlag_isRefusedRatherThanReadAsFalse() {
        CodedException e = assertThrows(CodedException.class,
                () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.exchange.dev-mode", "yes"))));
        assertTrue(e.getMessage().contains("gateway.exchange.dev-mode") && e.getMessage().contains("true or false"), e.getMessage());
    }

    @Test
    void outOfRangeValues_areRefusedByName() {
        assertTrue(assertThrows(CodedException.class, () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.http.port", "70000"))))
                .getMessage().contains("gateway.http.port"));
        assertTrue(assertThrows(CodedException.class,
                () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.partners.reload-seconds", "0"))))
                .getMessage().contains("gateway.partners.reload-seconds"));
        assertTrue(assertThrows(CodedException.class, () -> NodeSettings.read(NodeConfig.of(Map.of("gateway.audit.suite", "SM9"))))
                .getMessage().contains("gateway.audit.suite"));
    }
}
