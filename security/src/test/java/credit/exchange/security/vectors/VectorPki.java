package credit.exchange.security.vectors;

import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.Usage;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The fixed test PKI of one suite under {@code docs/vectors/<suite>/pki/}: the alliance test CA,
 * its CRL and the vector nodes with their <em>unencrypted</em> private keys — public test
 * material, never a node's real credential. Both the generator and the tests that open the
 * committed vectors read it here.
 */
final class VectorPki {

    /** The city: answers queries, serves the pull, sends notices and checkpoints. */
    static final String CITY = "vector-city";
    /** The province: queries, pulls and acknowledges, countersigns. */
    static final String PROVINCE = "vector-province";
    /** A node whose certificate the vector CRL revokes. */
    static final String REVOKED = "vector-revoked";
    static final List<String> NODES = List.of(CITY, PROVINCE, REVOKED);

    final Suite suite;
    final Path dir;
    final X509Certificate ca;
    final X509CRL crl;

    private VectorPki(Suite suite, Path dir, X509Certificate ca, X509CRL crl) {
        this.suite = suite;
        this.dir = dir;
        this.ca = ca;
        this.crl = crl;
    }

    /** The directory of a suite's vectors, relative to docs/vectors: {@code intl} or {@code gm}. */
    static String suiteDir(Suite suite) {
        return suite.name().toLowerCase(Locale.ROOT);
    }

    static Path pkiDir(Path vectors, Suite suite) {
        return vectors.resolve(suiteDir(suite)).resolve("pki");
    }

    static VectorPki load(Path vectors, Suite suite) throws IOException {
        Path dir = pkiDir(vectors, suite);
        return new VectorPki(suite, dir, PemFiles.readCertificate(dir.resolve("ca.cert.pem")), PemFiles.readCrl(dir.resolve("crl.pem")));
    }

    NodeCredentials node(String id) throws IOException {
        return new NodeCredentials(readKey(dir.resolve(id + ".key.pem")), PemFiles.readCertificate(dir.resolve(id + ".cert.pem")),
                List.of(ca));
    }

    /** The envelopes of a node of this PKI whose clock stands at {@code at}: the CA and its CRL trusted, judged at that instant. */
    Envelopes envelopes(NodeCredentials self, Instant at, ReplayGuard replay) {
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        return new Envelopes(self, trust(clock), replay, clock, EnvelopePolicy.DEFAULT);
    }

    CertificateValidator validator(Clock clock) {
        return new CertificateValidator(List.of(ca), List.of(crl), clock);
    }

    private PeerTrust trust(Clock clock) {
        CertificateValidator validator = validator(clock);
        return (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
    }

    /** An unencrypted PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}), as {@code openssl pkey} reads it. */
    static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object read = parser.readObject();
            if (!(read instanceof PrivateKeyInfo info)) {
                throw new IOException(file + " holds no unencrypted PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().setProvider(Providers.bc()).getPrivateKey(info);
        }
    }

    static void writeKey(Path file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }
}
