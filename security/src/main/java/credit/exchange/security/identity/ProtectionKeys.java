package credit.exchange.security.identity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The node's two secrets for personal identifiers: the lookup (HMAC) key and the sealing (AES)
 * key, 32 bytes each. They live in a key file readable by the node's user only; losing the file
 * makes stored numbers unrecoverable and unsearchable, so operators back it up with the keys.
 */
public final class ProtectionKeys {

    private static final int KEY_BYTES = 32;

    private final byte[] lookupKey;
    private final byte[] sealingKey;

    public ProtectionKeys(byte[] lookupKey, byte[] sealingKey) {
        if (lookupKey.length != KEY_BYTES || sealingKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("personal-ID keys must be " + KEY_BYTES + " bytes each");
        }
        this.lookupKey = lookupKey.clone();
        this.sealingKey = sealingKey.clone();
    }

    /** Fresh random keys. */
    public static ProtectionKeys generate() {
        SecureRandom random = new SecureRandom();
        byte[] lookup = new byte[KEY_BYTES];
        byte[] sealing = new byte[KEY_BYTES];
        random.nextBytes(lookup);
        random.nextBytes(sealing);
        return new ProtectionKeys(lookup, sealing);
    }

    /** Reads the key file, creating it (owner-only permissions) with fresh keys if it does not exist. */
    public static ProtectionKeys loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            ProtectionKeys keys = generate();
            try {
                keys.write(file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first; its keys win
            }
        }
        return read(file);
    }

    public static ProtectionKeys read(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        String lookup = p.getProperty("lookup");
        String sealing = p.getProperty("sealing");
        if (lookup == null || sealing == null) {
            throw new IOException("key file " + file + " lacks the 'lookup' or 'sealing' entry");
        }
        return new ProtectionKeys(Base64.getDecoder().decode(lookup.trim()), Base64.getDecoder().decode(sealing.trim()));
    }

    private void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> lines = List.of(
                "# personal-ID protection keys of this node; back up with care, never share",
                "lookup=" + Base64.getEncoder().encodeToString(lookupKey),
                "sealing=" + Base64.getEncoder().encodeToString(sealingKey));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, lines, StandardOpenOption.TRUNCATE_EXISTING);
        Files.createLink(file, tmp);
        Files.delete(tmp);
    }

    byte[] lookupKey() {
        return lookupKey.clone();
    }

    byte[] sealingKey() {
        return sealingKey.clone();
    }

    @Override
    public String toString() {
        return "ProtectionKeys[redacted]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtectionKeys k && Arrays.equals(lookupKey, k.lookupKey) && Arrays.equals(sealingKey, k.sealingKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lookupKey);
    }
}
