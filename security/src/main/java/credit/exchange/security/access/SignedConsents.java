package credit.exchange.security.access;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks a data subject's consent signed with the subject's own certificate (an enterprise's or a
 * person's digital certificate from a CA this node trusts for subjects, such as a provincial
 * CA): a CMS SignedData, as {@code openssl cms -sign -nodetach} makes it, whose encapsulated
 * content is the consent statement. The signature must verify, the signer's certificate must
 * chain to a configured subject CA and be valid (and not revoked, where CRLs are configured),
 * and it must name the subject: its serialNumber (2.5.4.5) or organizationIdentifier (2.5.4.97,
 * optionally as NTRCN-&lt;code&gt;) is the subject's USCC or resident ID number. What the statement
 * says is for the caller to read; whether the subject signed it is decided here.
 */
public final class SignedConsents {

    /** A signed consent is a small document: anything larger is refused before parsing. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final ASN1ObjectIdentifier ORGANIZATION_IDENTIFIER = new ASN1ObjectIdentifier("2.5.4.97");

    /** A consent whose signature verified and whose signer chains to a subject CA. */
    public record VerifiedConsent(byte[] statement, X509Certificate signer) {

        /** Whether the signer's certificate names this subject (a USCC or a resident ID number). */
        public boolean signedBy(String subjectIdentifier) {
            String wanted = subjectIdentifier == null ? "" : subjectIdentifier.strip().toUpperCase(Locale.ROOT);
            return !wanted.isEmpty() && identifiers(signer).contains(wanted);
        }
    }

    private final Set<TrustAnchor> anchors;
    private final List<X509CRL> crls;
    private final Clock clock;

    /**
     * @param anchors the CAs trusted to certify data subjects (gateway.trust.subject-anchors); none:
     *        every signed consent is refused with E_CERT_UNTRUSTED
     * @param crls their CRLs; with any, revocation is checked and a CA without a current CRL fails closed
     */
    public SignedConsents(Collection<X509Certificate> anchors, Collection<X509CRL> crls, Clock clock) {
        Set<TrustAnchor> trusted = new HashSet<>();
        anchors.forEach(a -> trusted.add(new TrustAnchor(a, null)));
        this.anchors = Set.copyOf(trusted);
        this.crls = List.copyOf(crls);
        this.clock = clock;
    }

    public VerifiedConsent verify(byte[] signed) {
        if (signed == null || signed.length == 0 || signed.length > MAX_BYTES) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a signed consent is a CMS SignedData of at most " + MAX_BYTES + " bytes");
        }
        CMSSignedData data;
        try {
            data = new CMSSignedData(signed);
        } catch (CMSException | RuntimeException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signed consent is not a CMS SignedData");
        }
        if (data.getSignedContent() == null || !(data.getSignedContent().getContent() instanceof byte[] statement)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signed consent carries no statement (sign with -nodetach)");
        }
        Collection<SignerInformation> signers = data.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a consent has exactly one signer, the subject; this one has " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        List<X509Certificate> certificates = new ArrayList<>();
        X509Certificate signerCertificate = null;
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Providers.bc());
        try {
            for (X509CertificateHolder holder : data.getCertificates().getMatches(null)) {
                X509Certificate c = converter.getCertificate(holder);
                certificates.add(c);
                if (signer.getSID().match(holder)) {
                    signerCertificate = c;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a certificate in the signed consent cannot be read");
        }
        if (signerCertificate == null) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the signed consent does not carry its signer's certificate");
        }
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bc()).build(signerCertificate))) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the consent's signature does not verify");
            }
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, "the subject's certificate was not valid when the consent was signed");
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            if (e instanceof CodedException coded) {
                throw coded;
            }
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the consent's signature does not verify");
        }
        validate(signerCertificate, certificates);
        return new VerifiedConsent(statement, signerCertificate);
    }

    private void validate(X509Certificate signer, List<X509Certificate> carried) {
        if (anchors.isEmpty()) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED,
                    "this node trusts no CA for data subjects' certificates (gateway.trust.subject-anchors)");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", Providers.bc());
            List<X509Certificate> path = new ArrayList<>(List.of(signer));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setDate(Date.from(clock.instant()));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(carried)));
            parameters.setRevocationEnabled(false); // checked below, against the configured CRLs only
            for (X509Certificate c : carried) { // intermediates the subject sent, nearest first
                X509Certificate last = path.get(path.size() - 1);
                if (!c.equals(last) && c.getSubjectX500Principal().equals(last.getIssuerX500Principal())
                        && anchors.stream().noneMatch(a -> a.getTrustedCert().equals(c))) {
                    path.add(c);
                }
            }
            var result = (java.security.cert.PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX", Providers.bc())
                    .validate(factory.generateCertPath(path), parameters);
            if (!crls.isEmpty()) {
                notRevoked(signer, path.size() > 1 ? path.get(1).getPublicKey() : result.getTrustAnchor().getTrustedCert().getPublicKey());
            }
        } catch (CertPathValidatorException e) {
            CertPathValidatorException.Reason reason = e.getReason();
            if (reason == CertPathValidatorException.BasicReason.EXPIRED || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                throw new CodedException(ErrorCode.E_CERT_EXPIRED, "the subject's certificate is not valid now");
            }
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the subject's certificate does not chain to a trusted subject CA");
        } catch (GeneralSecurityException e) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the subject's certificate cannot be validated");
        }
    }

    /**
     * Revocation, once CRLs are configured: a current CRL of the signer's issuer, signed by it,
     * must be there (fail closed), and must not list the signer.
     */
    private void notRevoked(X509Certificate signer, java.security.PublicKey issuerKey) {
        Date now = Date.from(clock.instant());
        boolean current = false;
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(signer.getIssuerX500Principal())) {
                continue;
            }
            try {
                crl.verify(issuerKey, Providers.bc());
            } catch (GeneralSecurityException e) {
                continue; // not its issuer's CRL
            }
            if (crl.isRevoked(signer)) {
                throw new CodedException(ErrorCode.E_CERT_REVOKED, "the subject's certificate is revoked");
            }
            current |= crl.getNextUpdate() == null || crl.getNextUpdate().after(now);
        }
        if (!current) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "no current CRL of the subject's CA is configured (gateway.trust.subject-crls)");
        }
    }

    /** The subject identifiers a certificate names: serialNumber and organizationIdentifier values, upper case. */
    static Set<String> identifiers(X509Certificate certificate) {
        Set<String> out = new HashSet<>();
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (value.getType().equals(BCStyle.SERIALNUMBER) || value.getType().equals(ORGANIZATION_IDENTIFIER)) {
                    String v = IETFUtils.valueToString(value.getValue()).strip().toUpperCase(Locale.ROOT);
                    out.add(v.startsWith("NTRCN-") ? v.substring("NTRCN-".length()) : v);
                }
            }
        }
        return out;
    }
}
