package credit.exchange.security.pki;

import credit.exchange.security.Suite;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates and CRLs of {@link AllianceCa}, built to its profile (RFC 5280; the profile is
 * described there). The CA decides what to issue and keeps its state; this builds and signs.
 */
final class CaProfile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CaProfile() {
    }

    /** The self-signed root: CA, path length 0, signing certificates and CRLs only. */
    static X509Certificate root(Suite suite, KeyPair keyPair, X500Name subject, BigInteger serial, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new SubjectKeyIdentifier(subjectKeyIdentifier(keyPair.getPublic())));
            return toCertificate(builder.build(signer(suite, keyPair.getPrivate())));
        } catch (IOException e) {
            throw new IllegalStateException("the CA certificate cannot be built", e);
        }
    }

    /** A node certificate: signing, and key transport (GM) or key agreement (INTL); mutual TLS; the CRL's distribution point, if any. */
    static X509Certificate node(Suite suite, PrivateKey caKey, X509Certificate ca, byte[] caKeyIdentifier, BigInteger serial,
                                Instant notBefore, Instant notAfter, String nodeId, PublicKey nodeKey, GeneralName[] names,
                                List<URI> distributionPoint) {
        int encryptionBit = suite == Suite.GM ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), serial,
                    Date.from(notBefore), Date.from(notAfter), AllianceProfile.subject(nodeId), nodeKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | encryptionBit))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyIdentifier))
                    .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyIdentifier(nodeKey)));
            if (!distributionPoint.isEmpty()) {
                GeneralName[] locations = distributionPoint.stream()
                        .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u.toString())).toArray(GeneralName[]::new);
                // one point, its full name every location of the same CRL (RFC 5280 §4.2.1.13); no reasons, no cRLIssuer
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(locations)), null, null)}));
            }
            return toCertificate(builder.build(signer(suite, caKey)));
        } catch (IOException e) {
            throw new IllegalStateException("the node certificate cannot be built", e);
        }
    }

    /** A v2 CRL of every revocation, numbered, with reason codes unless unspecified. */
    static X509CRL crl(Suite suite, PrivateKey caKey, X509Certificate ca, byte[] caKeyIdentifier, Instant thisUpdate, Instant nextUpdate,
                       Collection<AllianceCa.Revoked> revoked, BigInteger crlNumber) {
        try {
            JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca, Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (AllianceCa.Revoked r : revoked) {
                Extensions entryExtensions = r.reason() == RevocationReason.UNSPECIFIED ? null
                        : new Extensions(new Extension(Extension.reasonCode, false,
                                new DEROctetString(CRLReason.lookup(r.reason().code()).getEncoded())));
                builder.addCRLEntry(r.serial(), Date.from(r.revokedAt()), entryExtensions);
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyIdentifier));
            X509CRLHolder holder = builder.build(signer(suite, caKey));
            return new JcaX509CRLConverter().setProvider(Providers.bc()).getCRL(holder);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the CRL cannot be built", e);
        }
    }

    /** 128 random bits, never zero. */
    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    static byte[] subjectKeyIdentifier(PublicKey key) {
        try {
            // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL computes it
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available for key identifiers", e);
        }
    }

    private static ContentSigner signer(Suite suite, PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(suite.signatureAlgorithm()).setProvider(Providers.bc()).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + suite.signatureAlgorithm() + " signer", e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) throws IOException {
        return PemFiles.certificate(holder.getEncoded());
    }
}
