package credit.exchange.security.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectionKeysTest {

    @TempDir
    Path dir;

    @Test
    void loadOrCreate_missingFile_createsItOwnerReadWriteOnly() throws IOException {
        Path file = dir.resolve("keys/personal-id.keys");

        ProtectionKeys.loadOrCreate(file);

        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void loadOrCreate_leavesNoTemporaryFileBehind() throws IOException {
        Path file = dir.resolve("personal-id.keys");

        ProtectionKeys.loadOrCreate(file);

        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void loadOrCreate_existingFile_readsBackTheSameKeys() throws IOException {
        Path file = dir.resolve("personal-id.keys");

        ProtectionKeys created = ProtectionKeys.loadOrCreate(file);
        ProtectionKeys loaded = ProtectionKeys.loadOrCreate(file);

        assertEquals(created, loaded);
        assertEquals(created, ProtectionKeys.read(file));
    }

    @Test
    void loadOrCreate_existingFile_keepsHashesAndSealedValuesUsable() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        PersonalIdProtector before = new PersonalIdProtector(ProtectionKeys.loadOrCreate(file));
        byte[] sealed = before.seal("330106197402051137");

        PersonalIdProtector afterRestart = new PersonalIdProtector(ProtectionKeys.loadOrCreate(file));

        assertEquals(before.lookupHashHex("330106197402051137"), afterRestart.lookupHashHex("330106197402051137"));
        assertEquals("330106197402051137", afterRestart.unseal(sealed));
    }

    @Test
    void loadOrCreate_twoFiles_holdDifferentKeys() throws IOException {
        assertNotEquals(ProtectionKeys.loadOrCreate(dir.resolve("a.keys")), ProtectionKeys.loadOrCreate(dir.resolve("b.keys")));
    }

    @Test
    void read_fileWithoutSealingEntry_failsWithIOException() throws IOException {
        Path file = dir.resolve("broken.keys");
        Files.writeString(file, "lookup=" + Base64.getEncoder().encodeToString(new byte[32]) + "\n");

        assertThrows(IOException.class, () -> ProtectionKeys.read(file));
    }

    @Test
    void constructor_keyOfWrongLength_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProtectionKeys(new byte[16], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new ProtectionKeys(new byte[32], new byte[31]));
    }

    @Test
    void toString_neverRevealsKeyBytes() {
        ProtectionKeys keys = ProtectionKeys.generate();
        String text = keys.toString();

        for (byte[] key : List.of(keys.lookupKey(), keys.sealingKey())) {
            assertFalse(text.contains(Base64.getEncoder().encodeToString(key)), text);
            assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(key)), text);
            assertFalse(text.contains(java.util.Arrays.toString(key)), text);
        }
        assertTrue(text.contains("redacted"), text);
    }

    @Test
    void generate_givesFreshKeysEachTime() {
        ProtectionKeys first = ProtectionKeys.generate();
        ProtectionKeys second = ProtectionKeys.generate();

        assertNotEquals(first, second);
        assertNotEquals(HexFormat.of().formatHex(first.lookupKey()), HexFormat.of().formatHex(first.sealingKey()),
                "the lookup and sealing keys must be independent");
    }
}
