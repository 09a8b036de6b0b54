package credit.exchange.security.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.Providers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * A data subject's consent signed with its own certificate, in both suites' algorithms: accepted
 * only when the signature verifies, the certificate chains to a subject CA, is valid and not
 * revoked; and it names the subject only through its serialNumber or organizationIdentifier.
 */
class SignedConsentsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String USCC = "91330100716105852F";
    private static final byte[] STATEMENT = """
            {"subject":"91330100716105852F","grantee":"jiaxing","purpose":"tender review","datasets":["tax"],
             "validFrom":"2026-11-27T00:00:00Z","validUntil":"2027-11-27T00:00:00Z"}""".getBytes(StandardCharsets.UTF_8);

    /** A CA for subjects and one enterprise certificate from it, in one algorithm family. */
    private record Issuer(KeyPair caKeys, X509Certificate ca, String algorithm, String curve) {

        static Issuer of(String curve, String algorithm) throws Exception {
            KeyPair keys = keys(curve);
            X500Name name = new X500Name("CN=Test Subject CA " + curve + ", O=Zhejiang Test CA, C=CN");
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(NOW.minus(Duration.ofDays(30))),
                    Date.from(NOW.plus(Duration.ofDays(3650))), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Issuer(keys, certificate(builder, algorithm, keys), algorithm, curve);
        }

        Subject enterprise(String dn, Instant notBefore, Instant notAfter, long serial) throws Exception {
            KeyPair keys = keys(curve);
            var builder = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serial), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(dn), keys.getPublic())
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            return new Subject(keys, certificate(builder, algorithm, caKeys));
        }

        X509CRL crlRevoking(BigInteger serial) throws Exception {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    Date.from(NOW.minus(Duration.ofHours(1))));
            builder.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(7))));
            builder.addCRLEntry(serial, Date.from(NOW.minus(Duration.ofMinutes(30))), CRLReason.keyCompromise);
            return new JcaX509CRLConverter().setProvider(Providers.bc())
                    .getCRL(builder.build(new JcaContentSignerBuilder(algorithm).setProvider(Providers.bc()).build(caKeys.getPrivate())));
        }

        private static X509Certificate certificate(org.bouncycastle.cert.X509v3CertificateBuilder builder, String algorithm, KeyPair signer)
                throws Exception {
            return new JcaX509CertificateConverter().setProvider(Providers.bc())
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).setProvider(Providers.bc()).build(signer.getPrivate())));
        }

        private static KeyPair keys(String curve) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.bc());
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        }
    }

    private record Subject(KeyPair keys, X509Certificate certificate) {

        byte[] sign(byte[] statement, String algorithm, boolean attached) throws Exception {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider(Providers.bc())
                    .build(algorithm, keys.getPrivate(), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            return generator.generate(new CMSProcessableByteArray(statement), attached).getEncoded();
        }
    }

    private static final String ENTERPRISE_DN = "CN=杭州矩阵测试科技有限公司, SERIALNUMBER=" + USCC + ", O=杭州矩阵测试科技有限公司, C=CN";

    @Test
    void aConsentSignedByTheSubject_verifies_inBothSuitesAlgorithms() throws Exception {
        for (Issuer issuer : List.of(Issuer.of("secp256r1", "SHA256withECDSA"), Issuer.of("sm2p256v1", "SM3withSM2"))) {
            Subject enterprise = issuer.enterprise(ENTERPRISE_DN, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), 7);
            SignedConsents consents = new SignedConsents(List.of(issuer.ca()), List.of(), CLOCK);

            SignedConsents.VerifiedConsent consent = consents.verify(enterprise.sign(STATEMENT, issuer.algorithm(), true));

            assertArrayEquals(STATEMENT, consent.statement(), issuer.algorithm());
            assertTrue(consent.signedBy(USCC), issuer.algorithm());
            assertTrue(consent.signedBy(" " + USCC.toLowerCase() + " "), "compared as a code, not as typed");
            assertFalse(consent.signedBy("914403001922038216"), "another subject");
        }
    }

    @Test
    void theSubjectIsNamed_onlyByTheCertificatesSerialNumberOrOrganizationIdentifier() throws Exception {
        Issuer issuer = Issuer.of("secp256r1", "SHA256withECDSA");
        SignedConsents consents = new SignedConsents(List.of(issuer.ca()), List.of(), CLOCK);
        Subject etsi = issuer.enterprise("CN=Matrix Ltd, 2.5.4.97=NTRCN-" + USCC + ", C=CN", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), 8);
        Subject inName = issuer.enterprise("CN=" + USCC + ", O=Matrix Ltd, C=CN", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), 9);

        assertTrue(consents.verify(etsi.sign(STATEMENT, issuer.algorithm(), true)).signedBy(USCC));
        assertFalse(consents.verify(inName.sign(STATEMENT, issuer.algorithm(), true)).signedBy(USCC),
                "a common name is a display name, not an identifier");
    }

    @Test
    void aConsentThatDoesNotProveItsSigner_isRefusedWithItsCode() throws Exception {
        Issuer issuer = Issuer.of("secp256r1", "SHA256withECDSA");
        Subject enterprise = issuer.enterprise(ENTERPRISE_DN, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), 10);
        Subject expired = issuer.enterprise(ENTERPRISE_DN, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)), 11);
        SignedConsents consents = new SignedConsents(List.of(issuer.ca()), List.of(), CLOCK);
        byte[] signed = enterprise.sign(STATEMENT, issuer.algorithm(), true);

        byte[] tampered = signed.clone();
        int at = indexOf(tampered, "tender".getBytes(StandardCharsets.UTF_8));
        tampered[at] = 'T';
        assertCode(ErrorCode.E_SIGNATURE_INVALID, () -> consents.verify(tampered));
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> new SignedConsents(List.of(Issuer.of("secp256r1", "SHA256withECDSA").ca()),
                List.of(), CLOCK).verify(signed));
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> new SignedConsents(List.of(), List.of(), CLOCK).verify(signed));
        assertCode(ErrorCode.E_CERT_EXPIRED, () -> consents.verify(expired.sign(STATEMENT, issuer.algorithm(), true)));
        assertCode(ErrorCode.E_CERT_REVOKED, () -> new SignedConsents(List.of(issuer.ca()),
                List.of(issuer.crlRevoking(BigInteger.valueOf(10))), CLOCK).verify(signed));
        assertTrue(new SignedConsents(List.of(issuer.ca()), List.of(issuer.crlRevoking(BigInteger.valueOf(99))), CLOCK)
                .verify(signed).signedBy(USCC), "a CRL that does not list it leaves it valid");
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> new SignedConsents(List.of(issuer.ca()),
                List.of(Issuer.of("secp256r1", "SHA256withECDSA").crlRevoking(BigInteger.TWO)), CLOCK).verify(signed));
        assertCode(ErrorCode.E_MALFORMED, () -> consents.verify(enterprise.sign(STATEMENT, issuer.algorithm(), false)));
        assertCode(ErrorCode.E_MALFORMED, () -> consents.verify("not a signature".getBytes(StandardCharsets.UTF_8)));
        assertCode(ErrorCode.E_MALFORMED, () -> consents.verify(new byte[SignedConsents.MAX_BYTES + 1]));
    }

    @Property(tries = 300)
    void anyBytes_giveACodedRefusal_neverAnotherException(@ForAll @Size(max = 2048) byte[] input) {
        SignedConsents consents = new SignedConsents(List.of(), List.of(), CLOCK);
        CodedException refused = assertThrows(CodedException.class, () -> consents.verify(input));
        assertTrue(refused.code() == ErrorCode.E_MALFORMED || refused.code() == ErrorCode.E_CERT_UNTRUSTED
                || refused.code() == ErrorCode.E_SIGNATURE_INVALID, refused.code().name());
    }

    private static void assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(CodedException.class, call).code());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
