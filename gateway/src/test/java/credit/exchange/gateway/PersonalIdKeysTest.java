package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.identity.ProtectionKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a node loads its personal-ID keys with and without a key passphrase, per profile. */
class PersonalIdKeysTest {

    @TempDir
    Path dir;

    @Test
    void load_withPassphraseFile_keepsTheKeyFileEncrypted() throws IOException {
        NodeConfig config = config("development", passphraseFile());

        ProtectionKeys keys = PersonalIdKeys.load(config);

        assertEquals(ProtectionKeys.Form.ENCRYPTED, ProtectionKeys.form(config.personalIdKeyFile()));
        assertEquals(keys, PersonalIdKeys.load(config));
    }

    @Test
    void load_plainFileOfAnEarlierVersion_isEncryptedOnceAPassphraseIsConfigured() throws IOException {
        ProtectionKeys plain = PersonalIdKeys.load(config("development", "env:GATEWAY_TEST_UNSET_PASSPHRASE"));
        NodeConfig withPassphrase = config("production", passphraseFile());
        assertEquals(ProtectionKeys.Form.PLAIN, ProtectionKeys.form(withPassphrase.personalIdKeyFile()));

        assertEquals(plain, PersonalIdKeys.load(withPassphrase));

        assertEquals(ProtectionKeys.Form.ENCRYPTED, ProtectionKeys.form(withPassphrase.personalIdKeyFile()));
    }

    @Test
    void load_developmentWithoutPassphrase_startsWithAPlainOwnerOnlyFile() throws IOException {
        NodeConfig config = config("development", "env:GATEWAY_TEST_UNSET_PASSPHRASE");

        PersonalIdKeys.load(config);

        assertEquals(ProtectionKeys.Form.PLAIN, ProtectionKeys.form(config.personalIdKeyFile()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.personalIdKeyFile())));
    }

    @Test
    void load_productionWithoutPassphrase_isRefusedBeforeAnyKeyIsWritten() {
        NodeConfig config = config("production", "env:GATEWAY_TEST_UNSET_PASSPHRASE");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PersonalIdKeys.load(config));

        assertTrue(e.getMessage().contains("gateway.credentials.passphrase"), e.getMessage());
        assertFalse(Files.exists(config.personalIdKeyFile()));
    }

    private NodeConfig config(String profile, String passphrase) {
        return NodeConfig.of(Map.of("gateway.data-dir", dir.resolve("data").toString(), "gateway.profile", profile,
                "gateway.credentials.passphrase", passphrase));
    }

    private String passphraseFile() throws IOException {
        Path file = dir.resolve("passphrase");
        if (!Files.exists(file)) {
            Files.writeString(file, "correct horse battery staple\n");
        }
        return "file:" + file;
    }
}
