package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateValidatorTest {

    private static final Instant ISSUED = Instant.parse("2026-03-01T08:00:00Z");

    private final MutableClock clock = new MutableClock(ISSUED);

    /** One CA of a suite with a node issued a year, and a validator trusting it (CRL valid for a week). */
    private final class Alliance {
        final AllianceCa ca;
        final NodeCredentials node;

        Alliance(Suite suite) {
            ca = AllianceCa.init(suite, "Alliance Root " + suite, Duration.ofDays(3650), clock);
            node = ca.issueNode("huzhou", Duration.ofDays(365));
        }

        CertificateValidator validator() {
            return new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(7))), clock);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_issuedCertificate_isTrustedForSigningAndEncryption(Suite suite) {
        Alliance alliance = new Alliance(suite);
        CertificateValidator validator = alliance.validator();

        assertSame(alliance.node.certificate(), validator.validate(alliance.node.certificate(), suite, Usage.SIGNING));
        assertSame(alliance.node.certificate(), validator.validate(alliance.node.certificate(), suite, Usage.ENCRYPTION));
    }

    @Test
    void validate_intlCertificateParsedByTheJdk_isTrusted() throws Exception {
        Alliance alliance = new Alliance(Suite.INTL);
        X509Certificate jdkParsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(alliance.node.certificate().getEncoded()));

        assertSame(jdkParsed, alliance.validator().validate(jdkParsed, Suite.INTL, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_afterNotAfter_isE_CERT_EXPIRED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()),
                List.of(alliance.ca.crl(Duration.ofDays(800))), clock);
        validator.validate(alliance.node.certificate(), suite, Usage.SIGNING);

        clock.set(alliance.node.certificate().getNotAfter().toInstant().plusSeconds(1));

        assertCode(ErrorCode.E_CERT_EXPIRED, () -> validator.validate(alliance.node.certificate(), suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_atNotAfter_isStillTrusted(Suite suite) {
        Alliance alliance = new Alliance(suite);
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()),
                List.of(alliance.ca.crl(Duration.ofDays(800))), clock);

        clock.set(alliance.node.certificate().getNotAfter().toInstant());

        validator.validate(alliance.node.certificate(), suite, Usage.SIGNING);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_beforeNotBefore_isE_CERT_EXPIRED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        CertificateValidator validator = alliance.validator();

        clock.set(alliance.node.certificate().getNotBefore().toInstant().minusSeconds(1));

        assertCode(ErrorCode.E_CERT_EXPIRED, () -> validator.validate(alliance.node.certificate(), suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_revokedCertificate_isE_CERT_REVOKED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        alliance.ca.revoke(alliance.node.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);

        assertCode(ErrorCode.E_CERT_REVOKED,
                () -> alliance.validator().validate(alliance.node.certificate(), suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_certificateOfAnotherCa_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance trusted = new Alliance(suite);
        Alliance other = new Alliance(suite);

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> trusted.validator().validate(other.node.certificate(), suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_certificateOfAnImpostorCaWithTheSameName_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance trusted = new Alliance(suite);
        AllianceCa impostor = AllianceCa.init(suite, "Alliance Root " + suite, Duration.ofDays(3650), clock);
        // the impostor copies the real CA's key identifier too, so only the signature gives it away
        X509Certificate forged = craft(impostor, trusted.ca.certificate(), suite.generateKeyPair().getPublic(), b -> { },
                new KeyUsage(KeyUsage.digitalSignature));

        var e = assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> trusted.validator().validate(forged, suite, Usage.SIGNING));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_tamperedCertificate_isRefused(Suite suite) throws Exception {
        Alliance alliance = new Alliance(suite);
        byte[] der = alliance.node.certificate().getEncoded();
        byte[] tampered = der.clone();
        int cn = indexOf(tampered, "huzhou".getBytes());
        tampered[cn] = 'x'; // CN=xuzhou: same length, still parses, signature no longer matches

        X509Certificate forged = PemFiles.certificate(tampered);
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> alliance.validator().validate(forged, suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_otherSuiteThanExpected_isE_SUITE_MISMATCH(Suite suite) {
        Suite other = suite == Suite.GM ? Suite.INTL : Suite.GM;
        Alliance mine = new Alliance(suite);
        Alliance theirs = new Alliance(other);
        CertificateValidator validator = new CertificateValidator(List.of(mine.ca.certificate(), theirs.ca.certificate()),
                List.of(mine.ca.crl(Duration.ofDays(7)), theirs.ca.crl(Duration.ofDays(7))), clock);

        validator.validate(theirs.node.certificate(), other, Usage.SIGNING);
        assertCode(ErrorCode.E_SUITE_MISMATCH, () -> validator.validate(theirs.node.certificate(), suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_encryptionWithASigningOnlyCertificate_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        X509Certificate signingOnly = craft(alliance.ca, suite.generateKeyPair().getPublic(), b -> { },
                new KeyUsage(KeyUsage.digitalSignature));
        CertificateValidator validator = alliance.validator();

        validator.validate(signingOnly, suite, Usage.SIGNING);
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> validator.validate(signingOnly, suite, Usage.ENCRYPTION));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_encryptionBitOfTheOtherSuite_doesNotCount(Suite suite) {
        Alliance alliance = new Alliance(suite);
        int otherSuitesBit = suite == Suite.GM ? KeyUsage.keyAgreement : KeyUsage.keyEncipherment;
        X509Certificate wrongBit = craft(alliance.ca, suite.generateKeyPair().getPublic(), b -> { },
                new KeyUsage(KeyUsage.digitalSignature | otherSuitesBit));

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> alliance.validator().validate(wrongBit, suite, Usage.ENCRYPTION));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_signingWithAnEncryptionOnlyCertificate_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        int encryptionBit = suite == Suite.GM ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        X509Certificate encryptionOnly = craft(alliance.ca, suite.generateKeyPair().getPublic(), b -> { },
                new KeyUsage(encryptionBit));

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> alliance.validator().validate(encryptionOnly, suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_theCaCertificateAsANodeCertificate_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance alliance = new Alliance(suite);

        var e = assertCode(ErrorCode.E_CERT_UNTRUSTED,
                () -> alliance.validator().validate(alliance.ca.certificate(), suite, Usage.SIGNING));
        assertTrue(e.getMessage().contains("CA certificate"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_aCaCertificateIssuedByTheAnchor_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        X509Certificate subCa = craft(alliance.ca, suite.generateKeyPair().getPublic(),
                b -> add(b, Extension.basicConstraints, true, new BasicConstraints(true)),
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> alliance.validator().validate(subCa, suite, Usage.SIGNING));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void validate_unknownCriticalExtension_isE_CERT_UNTRUSTED(Suite suite) {
        Alliance alliance = new Alliance(suite);
        X509Certificate odd = craft(alliance.ca, suite.generateKeyPair().getPublic(),
                b -> add(b, new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("must understand")),
                new KeyUsage(KeyUsage.digitalSignature));

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> alliance.validator().validate(odd, suite, Usage.SIGNING));
    }

    @Test
    void validate_whenTheCaCertificateHasExpired_isE_CERT_EXPIRED() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Short-lived Root", Duration.ofDays(30), clock);
        NodeCredentials node = ca.issueNode("huzhou", Duration.ofDays(30));
        CertificateValidator validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(90))),
                clock);

        clock.set(ca.certificate().getNotAfter().toInstant().plusSeconds(1));

        assertCode(ErrorCode.E_CERT_EXPIRED, () -> validator.validate(node.certificate(), Suite.INTL, Usage.SIGNING));
    }

    // ---- revocation policy: fail closed -------------------------------------------------------------

    @Test
    void validate_withoutACrlOfTheIssuer_isE_CERT_UNTRUSTED() {
        Alliance alliance = new Alliance(Suite.GM);
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()), List.of(), clock);

        var e = assertCode(ErrorCode.E_CERT_UNTRUSTED,
                () -> validator.validate(alliance.node.certificate(), Suite.GM, Usage.SIGNING));
        assertTrue(e.getMessage().contains("revocation status unknown"), e.getMessage());
    }

    @Test
    void validate_afterTheCrlsNextUpdate_isE_CERT_UNTRUSTED_evenForACachedCertificate() {
        Alliance alliance = new Alliance(Suite.INTL);
        CertificateValidator validator = alliance.validator();
        validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING);

        clock.advance(Duration.ofDays(7).plusSeconds(1));

        var e = assertCode(ErrorCode.E_CERT_UNTRUSTED,
                () -> validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING));
        assertTrue(e.getMessage().contains("revocation status unknown"), e.getMessage());
    }

    @Test
    void validate_staleCrlWithinTheGracePeriod_isStillUsed() {
        Alliance alliance = new Alliance(Suite.INTL);
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()),
                List.of(alliance.ca.crl(Duration.ofDays(7))), clock, Duration.ofHours(12));

        clock.advance(Duration.ofDays(7).plusHours(11));
        validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING);

        clock.advance(Duration.ofHours(2));
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING));
    }

    @Test
    void updateCrl_revokingACachedCertificate_takesEffectOnTheNextCall() {
        Alliance alliance = new Alliance(Suite.GM);
        CertificateValidator validator = alliance.validator();
        validator.validate(alliance.node.certificate(), Suite.GM, Usage.SIGNING);
        assertEquals(1, validator.cachedCertificates());

        alliance.ca.revoke(alliance.node.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        assertTrue(validator.updateCrl(alliance.ca.crl(Duration.ofDays(7))));

        assertCode(ErrorCode.E_CERT_REVOKED, () -> validator.validate(alliance.node.certificate(), Suite.GM, Usage.SIGNING));
    }

    @Test
    void updateCrl_anOlderCrl_isIgnored_soARevocationCannotBeRolledBack() {
        Alliance alliance = new Alliance(Suite.INTL);
        X509CRL before = alliance.ca.crl(Duration.ofDays(7));
        alliance.ca.revoke(alliance.node.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()),
                List.of(alliance.ca.crl(Duration.ofDays(7))), clock);

        assertFalse(validator.updateCrl(before));

        assertCode(ErrorCode.E_CERT_REVOKED, () -> validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING));
    }

    @Test
    void constructor_ofSeveralCrlsOfOneIssuer_usesTheNewest() {
        Alliance alliance = new Alliance(Suite.INTL);
        X509CRL before = alliance.ca.crl(Duration.ofDays(7));
        alliance.ca.revoke(alliance.node.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        X509CRL after = alliance.ca.crl(Duration.ofDays(7));

        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()), List.of(after, before), clock);

        assertCode(ErrorCode.E_CERT_REVOKED, () -> validator.validate(alliance.node.certificate(), Suite.INTL, Usage.SIGNING));
        assertEquals(after.getNextUpdate().toInstant(), validator.revocationCurrentUntil(alliance.ca.certificate()).orElseThrow());
    }

    @Test
    void crlOfAnotherCa_isRefusedWithE_CERT_UNTRUSTED() {
        Alliance trusted = new Alliance(Suite.INTL);
        AllianceCa impostor = AllianceCa.init(Suite.INTL, "Alliance Root INTL", Duration.ofDays(3650), clock);

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> new CertificateValidator(List.of(trusted.ca.certificate()),
                List.of(impostor.crl(Duration.ofDays(7))), clock));
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> trusted.validator().updateCrl(impostor.crl(Duration.ofDays(7))));
    }

    @Test
    void trustAnchorThatIsNoCa_isRefusedWithE_CERT_UNTRUSTED() {
        Alliance alliance = new Alliance(Suite.INTL);

        assertCode(ErrorCode.E_CERT_UNTRUSTED,
                () -> new CertificateValidator(List.of(alliance.node.certificate()), List.of(), clock));
    }

    // ---- cache --------------------------------------------------------------------------------------

    @Test
    void validate_cachedCertificate_stillChecksSuiteUsageAndClock() {
        Alliance alliance = new Alliance(Suite.INTL);
        X509Certificate signingOnly = craft(alliance.ca, Suite.INTL.generateKeyPair().getPublic(), b -> { },
                new KeyUsage(KeyUsage.digitalSignature));
        CertificateValidator validator = new CertificateValidator(List.of(alliance.ca.certificate()),
                List.of(alliance.ca.crl(Duration.ofDays(800))), clock);
        validator.validate(signingOnly, Suite.INTL, Usage.SIGNING);
        assertEquals(1, validator.cachedCertificates());

        assertCode(ErrorCode.E_SUITE_MISMATCH, () -> validator.validate(signingOnly, Suite.GM, Usage.SIGNING));
        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> validator.validate(signingOnly, Suite.INTL, Usage.ENCRYPTION));
        clock.set(signingOnly.getNotAfter().toInstant().plusSeconds(1));
        assertCode(ErrorCode.E_CERT_EXPIRED, () -> validator.validate(signingOnly, Suite.INTL, Usage.SIGNING));
    }

    @Test
    void validate_refusedCertificate_isNotCached() {
        Alliance alliance = new Alliance(Suite.INTL);
        Alliance other = new Alliance(Suite.INTL);
        CertificateValidator validator = alliance.validator();

        assertCode(ErrorCode.E_CERT_UNTRUSTED, () -> validator.validate(other.node.certificate(), Suite.INTL, Usage.SIGNING));

        assertEquals(0, validator.cachedCertificates());
    }

    @Test
    void validate_manyNodes_cacheStaysBounded() {
        Alliance alliance = new Alliance(Suite.INTL);
        CertificateValidator validator = alliance.validator();
        for (int i = 0; i < 50; i++) {
            validator.validate(alliance.ca.issueNode("node" + i, Duration.ofDays(30)).certificate(), Suite.INTL, Usage.SIGNING);
        }
        assertEquals(50, validator.cachedCertificates());
        assertTrue(CertificateValidator.MAX_CACHE_ENTRIES >= 1000);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A node certificate outside the alliance profile, signed with the CA's key. */
    private X509Certificate craft(AllianceCa ca, PublicKey key, Consumer<X509v3CertificateBuilder> extensions, KeyUsage keyUsage) {
        return craft(ca, ca.certificate(), key, extensions, keyUsage);
    }

    /** As above, naming {@code issuer} (its subject and key identifier) while signing with {@code ca}'s key. */
    private X509Certificate craft(AllianceCa ca, X509Certificate issuer, PublicKey key, Consumer<X509v3CertificateBuilder> extensions,
            KeyUsage keyUsage) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(ISSUED.minusSeconds(60)), Date.from(ISSUED.plus(Duration.ofDays(30))),
                    new X500Name("CN=crafted,O=" + AllianceProfile.ORGANIZATION), key);
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(AllianceCaTest.subjectKeyIdentifier(issuer)));
            if (keyUsage != null) {
                builder.addExtension(Extension.keyUsage, true, keyUsage);
            }
            extensions.accept(builder);
            return PemFiles.certificate(builder.build(new JcaContentSignerBuilder(ca.suite().signatureAlgorithm())
                    .setProvider(Providers.bc()).build(ca.privateKey())).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
            ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        throw new IllegalArgumentException("not found");
    }
}
