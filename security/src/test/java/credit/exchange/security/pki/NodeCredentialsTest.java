package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeCredentialsTest {

    private static final char[] PASSPHRASE = "node passphrase".toCharArray();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void saveAndLoad_roundTrip_givesKeyCertificateAndChain(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(365));
        NodeCredentials node = ca.issueNode("huzhou", Duration.ofDays(30));

        node.save(dir.resolve("node.key.pem"), dir.resolve("node.cert.pem"), PASSPHRASE);
        NodeCredentials loaded = NodeCredentials.load(dir.resolve("node.key.pem"), dir.resolve("node.cert.pem"), PASSPHRASE);

        assertArrayEquals(node.privateKey().getEncoded(), loaded.privateKey().getEncoded());
        assertEquals(node.certificate(), loaded.certificate());
        assertEquals(List.of(ca.certificate()), loaded.caChain());
        assertEquals(List.of(node.certificate(), ca.certificate()), loaded.certificateChain());
        assertEquals("huzhou", loaded.nodeId());
        assertEquals(suite, loaded.suite());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.key.pem"))));
    }

    @Test
    void load_keyOfAnotherNode_isE_MALFORMED() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(365));
        NodeCredentials huzhou = ca.issueNode("huzhou", Duration.ofDays(30));
        NodeCredentials jiaxing = ca.issueNode("jiaxing", Duration.ofDays(30));
        huzhou.save(dir.resolve("huzhou.key.pem"), dir.resolve("huzhou.cert.pem"), PASSPHRASE);
        jiaxing.save(dir.resolve("jiaxing.key.pem"), dir.resolve("jiaxing.cert.pem"), PASSPHRASE);

        assertCode(ErrorCode.E_MALFORMED,
                () -> NodeCredentials.load(dir.resolve("jiaxing.key.pem"), dir.resolve("huzhou.cert.pem"), PASSPHRASE));
    }

    @Test
    void new_keyOfTheOtherSuite_isE_MALFORMED() {
        NodeCredentials gm = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(365)).issueNode("huzhou", Duration.ofDays(30));
        NodeCredentials intl = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(365)).issueNode("huzhou", Duration.ofDays(30));

        assertCode(ErrorCode.E_MALFORMED, () -> new NodeCredentials(intl.privateKey(), gm.certificate(), List.of()));
    }

    @Test
    void toString_namesTheNodeButShowsNoKey() {
        NodeCredentials node = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(365)).issueNode("huzhou", Duration.ofDays(30));
        String text = node.toString();

        assertTrue(text.contains("huzhou") && text.contains("redacted"), text);
        assertFalse(text.contains(((ECPrivateKey) node.privateKey()).getS().toString(16)));
        assertFalse(text.contains(((ECPrivateKey) node.privateKey()).getS().toString()));
        assertFalse(text.contains(Base64.getEncoder().encodeToString(node.privateKey().getEncoded()).substring(0, 20)));
    }
}
