package credit.exchange.security.identity;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.OwnerOnlyFiles;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The node's two secrets for personal identifiers: the lookup (HMAC) key and the sealing (AES)
 * key, 32 bytes each. Whoever holds them can unseal every stored resident ID number and test any
 * guess against the lookup hashes, so they live in a key file readable by the node's user only,
 * and, when the node has a key passphrase ({@code gateway.credentials.passphrase}, the one its
 * private keys are encrypted under), encrypted under it: a copy of the data directory or of a
 * backup then reveals nothing without the passphrase, which is kept elsewhere.
 *
 * <p>Two forms of the file ({@link Form}): {@code PLAIN}, the keys in Base64, and {@code
 * ENCRYPTED}, the same text sealed with AES-256-GCM under a key derived from the passphrase by
 * PBKDF2-HMAC-SHA256 ({@value PemFiles#KDF_ITERATIONS} iterations, as the node's private key files
 * use, and a fresh salt). Given a passphrase, {@link #loadOrCreate(Path, char[])} creates the file
 * encrypted and encrypts a plain file it finds (migration); without one, it keeps or creates the
 * plain form and makes it owner read/write only. Losing the file (or the passphrase) makes stored
 * numbers unrecoverable and unsearchable, so operators back both up, apart.
 *
 * <p>Errors: an encrypted file without a passphrase gives {@link ErrorCode#E_FIELD_MISSING}; a
 * wrong passphrase or a damaged file (indistinguishable by design) {@link ErrorCode#E_MALFORMED}.
 * Messages name the file, never a key or the passphrase.
 */
public final class ProtectionKeys {

    /** How the key file is kept on disk. */
    public enum Form { PLAIN, ENCRYPTED }

    private static final int KEY_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final String ENCRYPTED_FORMAT = "pbkdf2-hmac-sha256+aes-256-gcm";
    private static final String OWNER_ONLY = "rw-------";
    private static final SecureRandom RANDOM = new SecureRandom();

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
        byte[] lookup = new byte[KEY_BYTES];
        byte[] sealing = new byte[KEY_BYTES];
        RANDOM.nextBytes(lookup);
        RANDOM.nextBytes(sealing);
        return new ProtectionKeys(lookup, sealing);
    }

    /** {@link #loadOrCreate(Path, char[])} without a passphrase: the plain form, owner read/write only. */
    public static ProtectionKeys loadOrCreate(Path file) throws IOException {
        return loadOrCreate(file, null);
    }

    /**
     * Reads the key file, creating it with fresh keys if it does not exist: encrypted under the
     * passphrase when one is given (null or empty: none), else plain. A plain file found while a
     * passphrase is given is replaced, atomically, by its encrypted form; a plain file kept plain
     * is made owner read/write only. Where the file cannot be changed (a read-only mount) it is
     * used as it is: check {@link #form} and {@link #isOwnerOnly} afterwards.
     */
    public static ProtectionKeys loadOrCreate(Path file, char[] passphrase) throws IOException {
        return loadOrCreate(file, passphrase, PemFiles.KDF_ITERATIONS);
    }

    /** As {@link #loadOrCreate(Path, char[])} with a chosen iteration count (tests). */
    static ProtectionKeys loadOrCreate(Path file, char[] passphrase, int iterations) throws IOException {
        boolean encrypt = passphrase != null && passphrase.length > 0;
        if (!Files.exists(file)) {
            ProtectionKeys keys = generate();
            try {
                OwnerOnlyFiles.create(file, encrypt ? keys.encryptedText(passphrase, iterations) : keys.plainText());
            } catch (FileAlreadyExistsException raced) {
                // another process created it first; its keys win
            }
        }
        ProtectionKeys keys = read(file, passphrase);
        if (form(file) == Form.PLAIN) {
            try {
                if (encrypt) {
                    OwnerOnlyFiles.replace(file, keys.encryptedText(passphrase, iterations));
                } else {
                    ownerOnly(file);
                }
            } catch (IOException readOnly) {
                // a key file mounted read-only (a Kubernetes secret) is used as it is; the caller
                // sees the outcome through form() and isOwnerOnly() and tells the operator
            }
        }
        return keys;
    }

    /** Reads a plain key file. */
    public static ProtectionKeys read(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads a key file of either form; the passphrase is needed for the encrypted one only. */
    public static ProtectionKeys read(Path file, char[] passphrase) throws IOException {
        Properties p = properties(file);
        if (p.getProperty("sealed") != null) {
            if (passphrase == null || passphrase.length == 0) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "key file " + file
                        + " is encrypted; the node's key passphrase (gateway.credentials.passphrase) is needed to read it");
            }
            p = decrypt(p, passphrase, file);
        }
        String lookup = p.getProperty("lookup");
        String sealing = p.getProperty("sealing");
        if (lookup == null || sealing == null) {
            throw new IOException("key file " + file + " lacks the 'lookup' or 'sealing' entry");
        }
        return new ProtectionKeys(Base64.getDecoder().decode(lookup.trim()), Base64.getDecoder().decode(sealing.trim()));
    }

    /** Whether no one but the file's owner may read or write it (always true without POSIX permissions). */
    public static boolean isOwnerOnly(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file).stream().allMatch(p -> p.name().startsWith("OWNER_"));
        } catch (UnsupportedOperationException notPosix) {
            return true;
        }
    }

    /** The form the key file is kept in. */
    public static Form form(Path file) throws IOException {
        return properties(file).getProperty("sealed") != null ? Form.ENCRYPTED : Form.PLAIN;
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static Properties decrypt(Properties encrypted, char[] passphrase, Path file) throws IOException {
        try {
            if (!ENCRYPTED_FORMAT.equals(encrypted.getProperty("format"))) {
                throw new IllegalArgumentException("unknown format");
            }
            int iterations = Integer.parseInt(encrypted.getProperty("iterations", "").trim());
            byte[] salt = Base64.getDecoder().decode(encrypted.getProperty("salt", "").trim());
            byte[] sealed = Base64.getDecoder().decode(encrypted.getProperty("sealed").trim());
            byte[] plain = PersonalIdProtector.unseal(wrappingKey(passphrase, salt, iterations), sealed);
            Properties p = new Properties();
            p.load(new StringReader(new String(plain, StandardCharsets.UTF_8)));
            Arrays.fill(plain, (byte) 0);
            return p;
        } catch (IllegalArgumentException e) {
            // wrong passphrase, damaged file, unknown format: one answer, no detail about the keys
            throw new CodedException(ErrorCode.E_MALFORMED,
                    "key file " + file + " cannot be decrypted: wrong passphrase or damaged file");
        }
    }

    private static SecretKeySpec wrappingKey(char[] passphrase, byte[] salt, int iterations) {
        if (iterations < 1 || iterations > 10_000_000 || salt.length < 8) {
            throw new IllegalArgumentException("implausible key derivation parameters");
        }
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BYTES * 8);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2-HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private String plainText() {
        return String.join("\n",
                "# personal-ID protection keys of this node; back up with care, never share",
                "lookup=" + Base64.getEncoder().encodeToString(lookupKey),
                "sealing=" + Base64.getEncoder().encodeToString(sealingKey)) + "\n";
    }

    private String encryptedText(char[] passphrase, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] plain = plainText().getBytes(StandardCharsets.UTF_8);
        byte[] sealed = PersonalIdProtector.seal(wrappingKey(passphrase, salt, iterations), plain, RANDOM);
        Arrays.fill(plain, (byte) 0);
        return String.join("\n",
                "# personal-ID protection keys of this node, encrypted under the node's key passphrase",
                "# (gateway.credentials.passphrase); back up with care, never share",
                "format=" + ENCRYPTED_FORMAT,
                "iterations=" + iterations,
                "salt=" + Base64.getEncoder().encodeToString(salt),
                "sealed=" + Base64.getEncoder().encodeToString(sealed)) + "\n";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            if (!isOwnerOnly(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(OWNER_ONLY));
            }
        } catch (UnsupportedOperationException notPosix) {
            // permissions are the file system's business there
        }
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
