package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM files of the alliance PKI, in the forms OpenSSL reads and writes: certificates
 * ({@code CERTIFICATE}), CRLs ({@code X509 CRL}) and private keys, which exist on disk only
 * encrypted ({@code ENCRYPTED PRIVATE KEY}: PKCS#8 EncryptedPrivateKeyInfo, PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf
 * hmacWithSHA256} makes them).
 *
 * <p>Files are replaced atomically (written beside the target, then moved over it). Key files are
 * created owner read/write only ({@code rw-------}) from the first byte; certificates and CRLs are
 * public and get the process's default permissions.
 *
 * <p>Content that cannot be parsed, and a key that cannot be decrypted (wrong passphrase or a
 * damaged file: the two are indistinguishable by design), give {@link ErrorCode#E_MALFORMED}; a
 * file larger than {@link #MAX_FILE_BYTES} gives {@link ErrorCode#E_TOO_LARGE}. Messages name the
 * file, never a key or a passphrase.
 */
public final class PemFiles {

    /** The largest PEM file read; certificates and keys are a few KiB, a large CRL a few MiB. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    /**
     * PBKDF2 iterations for keys written here (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). Keys are
     * decrypted once at start-up, so the ~0.2 s this costs is paid rarely, by the owner only.
     */
    public static final int KDF_ITERATIONS = 600_000;

    private static final String OWNER_ONLY = "rw-------";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PemFiles() {
    }

    // ---- certificates -------------------------------------------------------------------------

    /** Writes one certificate. */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        writeCertificates(file, List.of(certificate));
    }

    /** Writes certificates in order (a node's certificate first, then the CA certificates above it). */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        writeAtomically(file, toPem(certificates).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        return readCertificates(file).get(0);
    }

    /** Every certificate of a PEM file, in file order; at least one. Other PEM objects are refused. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(read(file), file.toString());
    }

    /** PEM text of certificates, in the given order. */
    public static String toPem(List<X509Certificate> certificates) {
        return toPemText(new ArrayList<>(certificates));
    }

    /** Every certificate in PEM text; at least one. */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(pem, "the PEM text");
    }

    private static List<X509Certificate> parseCertificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : parseAll(pem, source)) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw malformed(source + " holds something other than certificates");
            }
            certificates.add(certificate(holder, source));
        }
        if (certificates.isEmpty()) {
            throw malformed(source + " holds no PEM certificate");
        }
        return List.copyOf(certificates);
    }

    /** A certificate from its DER encoding, as the BouncyCastle provider parses it. */
    public static X509Certificate certificate(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Providers.bc());
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw malformed("the certificate cannot be parsed");
        }
    }

    private static X509Certificate certificate(X509CertificateHolder holder, String source) {
        try {
            return certificate(holder.getEncoded());
        } catch (IOException e) {
            throw malformed("a certificate in " + source + " cannot be parsed");
        }
    }

    // ---- CRLs ---------------------------------------------------------------------------------

    /** Writes a CRL. */
    public static void writeCrl(Path file, X509CRL crl) throws IOException {
        writeAtomically(file, toPemText(List.of(crl)).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** The one CRL of a PEM file. */
    public static X509CRL readCrl(Path file) throws IOException {
        List<Object> objects = parseAll(read(file), file.toString());
        if (objects.size() != 1 || !(objects.get(0) instanceof X509CRLHolder holder)) {
            throw malformed(file + " does not hold exactly one PEM CRL");
        }
        try {
            return crl(holder.getEncoded());
        } catch (IOException e) {
            throw malformed("the CRL in " + file + " cannot be parsed");
        }
    }

    /**
     * A CRL as a distribution point serves it: DER (RFC 5280 §4.2.1.13), or one PEM CRL.
     *
     * @throws CodedException {@link ErrorCode#E_MALFORMED} if it is neither
     */
    public static X509CRL parseCrl(byte[] derOrPem) {
        if (derOrPem.length > 0 && derOrPem[0] == 0x30) {
            return crl(derOrPem);
        }
        List<Object> objects = parseAll(new String(derOrPem, StandardCharsets.US_ASCII), "the CRL");
        if (objects.size() != 1 || !(objects.get(0) instanceof X509CRLHolder holder)) {
            throw malformed("the answer holds no CRL");
        }
        try {
            return crl(holder.getEncoded());
        } catch (IOException e) {
            throw malformed("the CRL cannot be parsed");
        }
    }

    /** A CRL from its DER encoding, as the BouncyCastle provider parses it. */
    static X509CRL crl(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Providers.bc());
            return (X509CRL) factory.generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | CRLException | RuntimeException e) {
            throw malformed("the CRL cannot be parsed");
        }
    }

    // ---- private keys -------------------------------------------------------------------------

    /**
     * Writes a private key encrypted under the passphrase (PKCS#8, PBES2: PBKDF2-HMAC-SHA256 with
     * {@value #KDF_ITERATIONS} iterations and a fresh salt, AES-256-CBC), owner read/write only.
     */
    public static void writePrivateKey(Path file, PrivateKey key, char[] passphrase) throws IOException {
        writePrivateKey(file, key, passphrase, KDF_ITERATIONS);
    }

    /** As {@link #writePrivateKey(Path, PrivateKey, char[])} with a chosen iteration count (tests). */
    static void writePrivateKey(Path file, PrivateKey key, char[] passphrase, int iterations) throws IOException {
        requirePassphrase(passphrase);
        String pem;
        try {
            // PBKDF2 and AES come from the JDK's provider: its PBKDF2 runs about twice as fast as
            // BouncyCastle's here, and the iteration count makes that the whole cost of a key file
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(iterations)
                    .setRandom(RANDOM)
                    .setPassword(passphrase)
                    .build();
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(key, encryptor));
            }
            pem = out.toString();
        } catch (Exception e) {
            // the cause may describe key material; keep only its type
            throw new IllegalStateException("the private key cannot be encrypted (" + e.getClass().getSimpleName() + ")");
        }
        writeAtomically(file, pem.getBytes(StandardCharsets.US_ASCII), true);
    }

    /**
     * Reads and decrypts an encrypted PKCS#8 private key (as written here, or by {@code openssl
     * genpkey -aes-256-cbc} / {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}). An unencrypted key is
     * refused: keys are kept encrypted at rest.
     *
     * @throws CodedException {@link ErrorCode#E_MALFORMED} if the passphrase is wrong, the file is
     *     damaged or it holds no encrypted private key
     */
    public static PrivateKey readPrivateKey(Path file, char[] passphrase) throws IOException {
        requirePassphrase(passphrase);
        List<Object> objects = parseAll(read(file), file.toString());
        if (objects.size() != 1) {
            throw malformed(file + " does not hold exactly one PEM private key");
        }
        Object object = objects.get(0);
        if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair || object instanceof PEMEncryptedKeyPair) {
            throw malformed("the private key in " + file + " is not in encrypted PKCS#8 form; keys are kept encrypted at rest"
                    + " (convert with: openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256)");
        }
        if (!(object instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
            throw malformed(file + " holds no encrypted private key");
        }
        try {
            // JDK provider for the PBE part (faster PBKDF2); BouncyCastle for the key itself (SM2)
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().build(passphrase));
            return new JcaPEMKeyConverter().setProvider(Providers.bc()).getPrivateKey(info);
        } catch (Exception e) {
            // wrong passphrase and damaged file look the same (bad padding, or garbage that is not a key)
            throw malformed("the private key in " + file + " cannot be decrypted: wrong passphrase or damaged file");
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private static void requirePassphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a passphrase is required for a private key file");
        }
    }

    private static String toPemText(List<Object> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return out.toString();
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new CodedException(ErrorCode.E_TOO_LARGE, file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    }

    private static List<Object> parseAll(String pem, String source) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw malformed(source + " is not valid PEM");
        }
        return objects;
    }

    private static CodedException malformed(String message) {
        return new CodedException(ErrorCode.E_MALFORMED, message);
    }

    /**
     * Replaces {@code file} with {@code content} atomically: a reader sees the old or the new file,
     * never half of one. With {@code ownerOnly} the file is {@code rw-------} from its creation, so a
     * secret is never readable by others, not even for a moment.
     */
    static void writeAtomically(Path file, byte[] content, boolean ownerOnly) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
        try {
            if (ownerOnly) {
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(tmp);
                }
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
