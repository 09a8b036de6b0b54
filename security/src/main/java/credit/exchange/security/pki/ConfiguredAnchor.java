package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** A configured trust anchor (identity equality: one per configured certificate). */
final class ConfiguredAnchor {
    private final X509Certificate certificate;
    private final PublicKey publicKey;
    private final Suite suite;
    private final byte[] keyIdentifier;

    private ConfiguredAnchor(X509Certificate certificate, PublicKey publicKey, Suite suite, byte[] keyIdentifier) {
        this.certificate = certificate;
        this.publicKey = publicKey;
        this.suite = suite;
        this.keyIdentifier = keyIdentifier;
    }

    static ConfiguredAnchor of(X509Certificate configured) {
        X509Certificate certificate;
        try {
            certificate = PemFiles.certificate(configured.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a trust anchor cannot be encoded");
        }
        String name = certificate.getSubjectX500Principal().getName();
        Suite suite = Suite.ofKey(certificate.getPublicKey()).orElseThrow(() -> new CodedException(
                ErrorCode.E_SUITE_MISMATCH, "trust anchor " + name + " holds a key of neither suite"));
        boolean[] keyUsage = certificate.getKeyUsage();
        if (certificate.getBasicConstraints() < 0
                || (keyUsage != null && !CertificateValidator.bit(keyUsage, Usage.KeyUsageBits.KEY_CERT_SIGN))) {
            throw CertificateValidator.untrusted("trust anchor " + name + " is not a CA certificate that may sign certificates");
        }
        try {
            certificate.verify(certificate.getPublicKey(), Providers.bc());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw CertificateValidator.untrusted("trust anchor " + name + " is not a valid self-signed certificate");
        }
        byte[] keyIdentifier;
        try {
            keyIdentifier = subjectKeyIdentifier(certificate);
        } catch (Exception e) {
            throw CertificateValidator.untrusted("trust anchor " + name + " has a malformed subject key identifier");
        }
        return new ConfiguredAnchor(certificate, certificate.getPublicKey(), suite, keyIdentifier);
    }

    X509Certificate certificate() {
        return certificate;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    Suite suite() {
        return suite;
    }

    byte[] keyIdentifier() {
        return keyIdentifier;
    }

    private static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (value == null) {
            return null;
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifier();
    }
}
