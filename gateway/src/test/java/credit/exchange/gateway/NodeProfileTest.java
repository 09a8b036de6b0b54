package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict profiles: a node starts as development or production only, and a production node refuses
 * each setting fit only for a developer's machine, naming it — before it opens a file or a port.
 */
class NodeProfileTest {

    @TempDir
    Path dir;

    /** A production configuration that starts: a realm, no dev mode, the API on loopback, a strong key passphrase. */
    private Map<String, String> production() throws Exception {
        Path passphrase = dir.resolve("key.pass");
        Files.writeString(passphrase, "a strong key passphrase 口令\n");
        Map<String, String> values = new HashMap<>();
        values.put("gateway.data-dir", dir.resolve("data").toString());
        values.put("gateway.profile", "production");
        values.put("gateway.auth.issuer", "https://sso.example.test/realms/credit-exchange");
        values.put("gateway.credentials.intl.key", dir.resolve("node.key.pem").toString());
        values.put("gateway.credentials.passphrase", "file:" + passphrase);
        return values;
    }

    private static String refusal(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> Node.start(NodeConfig.of(values))).getMessage();
    }

    @Test
    void aProductionConfigurationFitForProduction_passesTheCheck() throws Exception {
        assertEquals(NodeProfile.PRODUCTION, NodeProfile.check(NodeConfig.of(production())));
    }

    @Test
    void anUnknownProfile_refusesToStart_namingTheSetting() throws Exception {
        for (String spelling : new String[] {"Production", "PRODUCTION", "prod", "", "staging"}) {
            Map<String, String> values = production();
            values.put("gateway.profile", spelling);
            String message = refusal(values);
            assertTrue(message.contains("gateway.profile") && message.contains("development or production"), message);
        }
    }

    @Test
    void production_refusesTheDevelopmentIssuer() throws Exception {
        Map<String, String> values = production();
        values.put("gateway.auth.issuer", "");
        assertTrue(refusal(values).contains("gateway.auth.issuer"));
    }

    @Test
    void production_refusesDevModeExchanges() throws Exception {
        Map<String, String> values = production();
        values.put("gateway.exchange.dev-mode", "true");
        assertTrue(refusal(values).contains("gateway.exchange.dev-mode=true"));
    }

    @Test
    void production_refusesPlainHttpOnANetworkAddress() throws Exception {
        Map<String, String> values = production();
        values.put("gateway.http.host", "0.0.0.0");
        String message = refusal(values);
        assertTrue(message.contains("gateway.http.host=0.0.0.0") && message.contains("gateway.http.tls"), message);
        values.put("gateway.http.tls", "true");
        assertEquals(NodeProfile.PRODUCTION, NodeProfile.check(NodeConfig.of(values)), "HTTPS with the node's certificate");
    }

    @Test
    void production_refusesAWeakKeyPassphrase() throws Exception {
        Map<String, String> values = production();
        Files.writeString(dir.resolve("key.pass"), "x\n");
        String message = refusal(values);
        assertTrue(message.contains("gateway.credentials.passphrase") && message.contains("too weak"), message);
        assertTrue(!message.contains(" x "), "the passphrase is never echoed");
    }

    @Test
    void development_runsWhatProductionRefuses() throws Exception {
        Map<String, String> values = production();
        values.put("gateway.profile", "development");
        values.put("gateway.auth.issuer", "");
        values.put("gateway.exchange.dev-mode", "true");
        values.put("gateway.http.host", "0.0.0.0");
        assertEquals(NodeProfile.DEVELOPMENT, NodeProfile.check(NodeConfig.of(values)));
    }
}
