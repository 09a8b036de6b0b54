package credit.exchange.security.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.GmAlgorithms;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stock OpenSSL (3.0 on these machines) reads what the PKI writes and the PKI reads what OpenSSL
 * writes. Passphrases reach OpenSSL through {@code -pass file:}, never the command line, and are
 * not ASCII, so both sides are shown to agree on UTF-8.
 *
 * <p>GM: OpenSSL 3.x signs and verifies SM2 in X.509 with an <em>empty</em> signer ID unless told
 * otherwise, while GM/T 0009/0015 (and BouncyCastle, and this PKI) use 1234567812345678. Node
 * certificates verify with {@code openssl verify -vfyopt distid:1234567812345678}; OpenSSL 3.0 has no
 * way to pass the ID for CRL signatures, so it cannot check a standard SM2 CRL (see
 * {@link #gm_openssl30Limitations_areAsDocumented}).
 */
class OpensslInteropTest {

    private static final char[] PASSPHRASE = "联盟 key passphrase".toCharArray();
    private static final String DISTID = "distid:" + GmAlgorithms.DEFAULT_SIGNER_ID;

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() {
        // interoperability with stock OpenSSL 3 is a requirement: its absence fails the build, it is not skipped
        assertTrue(version().startsWith("OpenSSL 3"), "these tests need OpenSSL 3 on the PATH, found: " + version());
    }

    // ---- encrypted private keys ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Suite.class)
    void ourEncryptedKey_isReadByOpensslPkey(Suite suite) throws Exception {
        KeyPair keys = suite.generateKeyPair();
        Path key = dir.resolve("key.pem");
        PemFiles.writePrivateKey(key, keys.getPrivate(), PASSPHRASE);

        Result pkey = openssl("pkey", "-in", key.toString(), "-passin", "file:" + passphraseFile(), "-pubout");

        assertEquals(0, pkey.exit(), pkey.output());
        assertArrayEquals(keys.getPublic().getEncoded(), publicKey(pkey.output()).getEncoded());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void ourEncryptedKey_withAWrongPassphrase_isRefusedByOpenssl(Suite suite) throws Exception {
        Path key = dir.resolve("key.pem");
        PemFiles.writePrivateKey(key, suite.generateKeyPair().getPrivate(), PASSPHRASE);

        Result pkey = openssl("pkey", "-in", key.toString(), "-passin", "pass:wrong", "-noout");

        assertNotEquals(0, pkey.exit());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void opensslEncryptedKey_isReadByUs(Suite suite) throws Exception {
        Path key = dir.resolve("openssl.key.pem");
        String curve = suite == Suite.GM ? "SM2" : "P-256";
        Result genpkey = openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve,
                "-aes-256-cbc", "-pass", "file:" + passphraseFile(), "-out", key.toString());
        assertEquals(0, genpkey.exit(), genpkey.output());
        Result pubout = openssl("pkey", "-in", key.toString(), "-passin", "file:" + passphraseFile(), "-pubout");
        PublicKey publicKey = publicKey(pubout.output());

        PrivateKey privateKey = PemFiles.readPrivateKey(key, PASSPHRASE);

        assertEquals(suite, Suite.ofKey(publicKey).orElseThrow());
        assertTrue(signsFor(suite, privateKey, publicKey), "the key read is the key OpenSSL generated");
        assertThrows(CodedException.class, () -> PemFiles.readPrivateKey(key, "wrong".toCharArray()));
    }

    // ---- INTL certificates and CRLs --------------------------------------------------------------------

    @Test
    void intl_issuedCertificate_passesOpensslVerify() throws Exception {
        Pki pki = new Pki(Suite.INTL);

        Result verify = openssl("verify", "-CAfile", pki.ca.toString(), pki.good.toString());

        assertEquals(0, verify.exit(), verify.output());
        assertEquals(pki.good + ": OK", verify.output().strip());
    }

    @Test
    void intl_crl_passesOpensslCrlVerify() throws Exception {
        Pki pki = new Pki(Suite.INTL);

        Result crl = openssl("crl", "-in", pki.crl.toString(), "-CAfile", pki.ca.toString(), "-noout");

        assertEquals(0, crl.exit(), crl.output());
        assertEquals("verify OK", crl.output().strip());
    }

    @Test
    void intl_crlCheck_opensslReportsTheRevokedCertificateAsRevoked_andTheOtherAsOk() throws Exception {
        Pki pki = new Pki(Suite.INTL);

        Result revoked = openssl("verify", "-crl_check", "-CRLfile", pki.crl.toString(), "-CAfile", pki.ca.toString(),
                pki.revoked.toString());
        Result good = openssl("verify", "-crl_check", "-CRLfile", pki.crl.toString(), "-CAfile", pki.ca.toString(),
                pki.good.toString());

        assertNotEquals(0, revoked.exit());
        assertTrue(revoked.output().contains("error 23 at 0 depth lookup: certificate revoked"), revoked.output());
        assertEquals(0, good.exit(), good.output());
        assertEquals(pki.good + ": OK", good.output().strip());
    }

    @Test
    void intl_certificate_showsTheNodeProfileToOpenssl() throws Exception {
        Pki pki = new Pki(Suite.INTL);

        Result text = openssl("x509", "-in", pki.good.toString(), "-noout", "-ext",
                "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName", "-subject");

        String out = text.output();
        assertTrue(out.contains("subject=O = Credit City Alliance, CN = huzhou"), out);
        assertTrue(out.contains("X509v3 Basic Constraints: critical\n    CA:FALSE"), out);
        assertTrue(out.contains("X509v3 Key Usage: critical\n    Digital Signature, Key Agreement"), out);
        assertTrue(out.contains("TLS Web Client Authentication, TLS Web Server Authentication"), out);
        assertTrue(out.contains("DNS:huzhou, DNS:localhost"), out);
    }

    // ---- GM certificates and CRLs ------------------------------------------------------------------------

    @Test
    void gm_issuedCertificate_passesOpensslVerifyGivenTheStandardSignerId() throws Exception {
        Pki pki = new Pki(Suite.GM);

        Result verify = openssl("verify", "-vfyopt", DISTID, "-CAfile", pki.ca.toString(), pki.good.toString());

        assertEquals(0, verify.exit(), verify.output());
        assertEquals(pki.good + ": OK", verify.output().strip());
    }

    @Test
    void gm_certificate_isSm2WithSm3ToOpenssl() throws Exception {
        Pki pki = new Pki(Suite.GM);

        Result text = openssl("x509", "-in", pki.good.toString(), "-noout", "-text");

        assertTrue(text.output().contains("Signature Algorithm: SM2-with-SM3"), text.output());
        assertTrue(text.output().contains("ASN1 OID: SM2"), text.output());
        assertTrue(text.output().contains("Digital Signature, Key Encipherment"), text.output());
    }

    @Test
    void gm_certificateSignedByOpensslWithTheStandardSignerId_verifiesWithUs() throws Exception {
        Path caKey = dir.resolve("ossl-ca.key");
        Path caCert = dir.resolve("ossl-ca.pem");
        Path nodeKey = dir.resolve("ossl-node.key");
        Path csr = dir.resolve("ossl-node.csr");
        Path standard = dir.resolve("ossl-node-standard.pem");
        Path legacy = dir.resolve("ossl-node-empty-id.pem");
        run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", caKey.toString());
        run("req", "-new", "-x509", "-key", caKey.toString(), "-sm3", "-sigopt", DISTID, "-subj", "/CN=OpenSSL SM2 CA",
                "-days", "30", "-out", caCert.toString());
        run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", nodeKey.toString());
        run("req", "-new", "-key", nodeKey.toString(), "-sm3", "-sigopt", DISTID, "-subj", "/CN=huzhou", "-out", csr.toString());
        run("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-sm3",
                "-sigopt", DISTID, "-vfyopt", DISTID, "-set_serial", "7", "-days", "30", "-out", standard.toString());
        run("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-sm3",
                "-vfyopt", DISTID, "-set_serial", "8", "-days", "30", "-out", legacy.toString());
        PublicKey caPublicKey = PemFiles.readCertificate(caCert).getPublicKey();

        PemFiles.readCertificate(standard).verify(caPublicKey, Providers.bc());
        // OpenSSL's default (no -sigopt distid) signs with an empty ID: not a GM/T 0015 certificate
        X509Certificate emptyId = PemFiles.readCertificate(legacy);
        assertThrows(SignatureException.class, () -> emptyId.verify(caPublicKey, Providers.bc()));
    }

    /**
     * What OpenSSL 3.0 (the machines' version) says about standard SM2 certificates and CRLs. A
     * later OpenSSL may behave better (openssl/openssl#29953 proposes the standard default ID):
     * then this fails, and docs/protocol.md's note on OpenSSL and GM is to be updated.
     */
    @Test
    void gm_openssl30Limitations_areAsDocumented() throws Exception {
        Pki pki = new Pki(Suite.GM);

        Result noDistid = openssl("verify", "-CAfile", pki.ca.toString(), pki.good.toString());
        Result crlVerify = openssl("crl", "-in", pki.crl.toString(), "-CAfile", pki.ca.toString(), "-noout");
        Result crlCheck = openssl("verify", "-vfyopt", DISTID, "-crl_check", "-CRLfile", pki.crl.toString(),
                "-CAfile", pki.ca.toString(), pki.revoked.toString());

        assertNotEquals(0, noDistid.exit());
        assertTrue(noDistid.output().contains("error 7 at 0 depth lookup: certificate signature failure"), noDistid.output());
        assertTrue(crlVerify.output().contains("verify failure"), crlVerify.output());
        assertNotEquals(0, crlCheck.exit());
        assertTrue(crlCheck.output().contains("error 8 at 0 depth lookup: CRL signature failure"), crlCheck.output());
        // the same CRL verifies with the standard signer ID
        PemFiles.readCrl(pki.crl).verify(PemFiles.readCertificate(pki.ca).getPublicKey(), Providers.bc());
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    /** A CA of a suite with one good and one revoked node, written as OpenSSL expects them. */
    private final class Pki {
        final Path ca = dir.resolve("ca.pem");
        final Path good = dir.resolve("node.pem");
        final Path revoked = dir.resolve("revoked.pem");
        final Path crl = dir.resolve("crl.pem");

        Pki(Suite suite) throws IOException {
            AllianceCa authority = AllianceCa.init(suite, "Credit City Alliance Root", Duration.ofDays(3650));
            NodeCredentials huzhou = authority.issueNode("huzhou", Duration.ofDays(365), List.of("localhost"));
            NodeCredentials jiaxing = authority.issueNode("jiaxing", Duration.ofDays(365));
            authority.revoke(jiaxing.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);
            PemFiles.writeCertificate(ca, authority.certificate());
            PemFiles.writeCertificate(good, huzhou.certificate());
            PemFiles.writeCertificate(revoked, jiaxing.certificate());
            PemFiles.writeCrl(crl, authority.crl(Duration.ofDays(7)));
        }
    }

    private Path passphraseFile() throws IOException {
        Path file = dir.resolve("passphrase.txt");
        if (!Files.exists(file)) {
            Files.writeString(file, new String(PASSPHRASE) + "\n", StandardCharsets.UTF_8);
        }
        return file;
    }

    private static PublicKey publicKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaPEMKeyConverter().setProvider(Providers.bc()).getPublicKey((SubjectPublicKeyInfo) parser.readObject());
        }
    }

    private static boolean signsFor(Suite suite, PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        byte[] message = "interop".getBytes(StandardCharsets.US_ASCII);
        Signature signer = suite.newSignature();
        signer.initSign(privateKey);
        signer.update(message);
        Signature verifier = suite.newSignature();
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signer.sign());
    }

    record Result(int exit, String output) {
    }

    private void run(String... args) throws Exception {
        Result result = openssl(args);
        assertEquals(0, result.exit(), result.output());
    }

    private static Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static String version() {
        try {
            return openssl("version").output().strip();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    static {
        assertFalse(new String(PASSPHRASE).chars().allMatch(c -> c < 128), "the passphrase is not ASCII on purpose");
    }
}
