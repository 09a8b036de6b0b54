package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/** The revoked serials of one anchor, from its newest CRL. */
record AnchorRevocations(ConfiguredAnchor anchor, X509CRL crl, BigInteger number, Instant nextUpdate, Instant currentUntil,
                         Set<BigInteger> serials) {

    static AnchorRevocations of(X509CRL configured, List<ConfiguredAnchor> anchors, Duration grace) {
        X509CRL crl;
        try {
            crl = PemFiles.crl(configured.getEncoded());
        } catch (CRLException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a CRL cannot be encoded");
        }
        ConfiguredAnchor signer = null;
        for (ConfiguredAnchor anchor : anchors) {
            if (!anchor.certificate().getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                continue;
            }
            boolean[] keyUsage = anchor.certificate().getKeyUsage();
            if (keyUsage != null && !CertificateValidator.bit(keyUsage, Usage.KeyUsageBits.CRL_SIGN)) {
                continue;
            }
            try {
                crl.verify(anchor.publicKey(), Providers.bc());
                signer = anchor;
                break;
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next anchor of that name
            }
        }
        String issuer = crl.getIssuerX500Principal().getName();
        if (signer == null) {
            throw CertificateValidator.untrusted("the CRL of " + issuer + " is not signed by a configured trust anchor");
        }
        if (crl.getNextUpdate() == null) {
            throw CertificateValidator.untrusted("the CRL of " + issuer + " has no nextUpdate; its currency cannot be judged");
        }
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && !critical.isEmpty()) {
            throw CertificateValidator.untrusted("the CRL of " + issuer + " has critical extensions this node does not process: " + critical);
        }
        BigInteger number = BigInteger.ZERO;
        byte[] numberValue = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (numberValue != null) {
            try {
                number = ASN1Integer.getInstance(ASN1OctetString.getInstance(numberValue).getOctets())
                        .getValue();
            } catch (RuntimeException e) {
                throw CertificateValidator.untrusted("the CRL of " + issuer + " has a malformed CRL number");
            }
        }
        Set<BigInteger> serials = new HashSet<>();
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null) {
            for (X509CRLEntry entry : entries) {
                if (entry.hasUnsupportedCriticalExtension() || entry.getCertificateIssuer() != null) {
                    // an indirect entry names another issuer; the alliance CA never makes one
                    throw CertificateValidator.untrusted("the CRL of " + issuer + " has entries this node does not process");
                }
                serials.add(entry.getSerialNumber());
            }
        }
        Instant nextUpdate = crl.getNextUpdate().toInstant();
        return new AnchorRevocations(signer, crl, number, nextUpdate, nextUpdate.plus(grace), Set.copyOf(serials));
    }

    static AnchorRevocations newer(AnchorRevocations a, AnchorRevocations b) {
        return a.number().compareTo(b.number()) >= 0 ? a : b;
    }
}
