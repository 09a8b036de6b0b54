package credit.exchange.security.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
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

    // a low iteration count keeps these tests fast; the format and the code path are the same
    private static final int FAST = 16;
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @Test
    void loadOrCreate_withPassphrase_createsItEncryptedAndOwnerOnly() throws IOException {
        Path file = dir.resolve("keys/personal-id.keys");

        ProtectionKeys keys = ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST);

        assertEquals(ProtectionKeys.Form.ENCRYPTED, ProtectionKeys.form(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        for (byte[] key : List.of(keys.lookupKey(), keys.sealingKey())) {
            assertFalse(text.contains(Base64.getEncoder().encodeToString(key)), "a key in the clear");
        }
        assertEquals(keys, ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST));
        assertEquals(keys, ProtectionKeys.read(file, PASSPHRASE));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void loadOrCreate_plainFileAndPassphrase_migratesItToTheEncryptedFormWithTheSameKeys() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys plain = ProtectionKeys.loadOrCreate(file);
        assertEquals(ProtectionKeys.Form.PLAIN, ProtectionKeys.form(file));
        byte[] sealed = new PersonalIdProtector(plain).seal("330106197402051137");

        ProtectionKeys migrated = ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST);

        assertEquals(plain, migrated);
        assertEquals(ProtectionKeys.Form.ENCRYPTED, ProtectionKeys.form(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("330106197402051137", new PersonalIdProtector(ProtectionKeys.read(file, PASSPHRASE)).unseal(sealed));
        assertFalse(Files.readString(file).contains(Base64.getEncoder().encodeToString(plain.sealingKey())));
    }

    @Test
    void loadOrCreate_plainFileReadableByOthers_withoutPassphrase_isMadeOwnerOnly() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys created = ProtectionKeys.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(created, ProtectionKeys.loadOrCreate(file, null));

        assertEquals(ProtectionKeys.Form.PLAIN, ProtectionKeys.form(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void loadOrCreate_encryptedFileWithoutPassphrase_isE_FIELD_MISSING() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST);

        CodedException e = assertThrows(CodedException.class, () -> ProtectionKeys.loadOrCreate(file));
        assertEquals(ErrorCode.E_FIELD_MISSING, e.code());
        assertEquals(ProtectionKeys.Form.ENCRYPTED, ProtectionKeys.form(file), "the file is left as it was");
    }

    @Test
    void read_encryptedFileWithWrongPassphrase_isE_MALFORMED_andNamesNoKey() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys keys = ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST);

        CodedException e = assertThrows(CodedException.class, () -> ProtectionKeys.read(file, "wrong".toCharArray()));

        assertEquals(ErrorCode.E_MALFORMED, e.code());
        assertFalse(e.getMessage().contains(Base64.getEncoder().encodeToString(keys.lookupKey())));
        assertFalse(e.getMessage().contains("correct horse"));
    }

    @Test
    void read_encryptedFileAltered_isE_MALFORMED() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST);
        String text = Files.readString(file);
        int at = text.indexOf("sealed=") + "sealed=".length() + 10;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(file, text.substring(0, at) + flipped + text.substring(at + 1));

        CodedException e = assertThrows(CodedException.class, () -> ProtectionKeys.read(file, PASSPHRASE));
        assertEquals(ErrorCode.E_MALFORMED, e.code());
    }

    @Test
    void loadOrCreate_defaultIterations_encryptedFileRecordsThem() throws IOException {
        Path file = dir.resolve("personal-id.keys");

        ProtectionKeys keys = ProtectionKeys.loadOrCreate(file, PASSPHRASE);

        assertTrue(Files.readString(file).contains("iterations=" + credit.exchange.security.pki.PemFiles.KDF_ITERATIONS));
        assertEquals(keys, ProtectionKeys.read(file, PASSPHRASE));
    }

    @Test
    void loadOrCreate_plainFileThatCannotBeReplaced_isUsedAsItIs() throws IOException {
        // a name so long that no temporary file can be made beside it (NAME_MAX): the file cannot be replaced, whoever
        // runs the test (a read-only mount, as a Kubernetes secret, refuses the same way; permissions do not stop root)
        Path made = dir.resolve("personal-id.keys");
        ProtectionKeys plain = ProtectionKeys.loadOrCreate(made);
        Path file = Files.move(made, dir.resolve("k".repeat(230) + ".keys"));

        assertEquals(plain, ProtectionKeys.loadOrCreate(file, PASSPHRASE, FAST));

        assertEquals(ProtectionKeys.Form.PLAIN, ProtectionKeys.form(file));
        assertTrue(ProtectionKeys.isOwnerOnly(file));
    }

    @Test
    void isOwnerOnly_groupReadable_isFalse() throws IOException {
        Path file = dir.resolve("personal-id.keys");
        ProtectionKeys.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertFalse(ProtectionKeys.isOwnerOnly(file));
    }
}
