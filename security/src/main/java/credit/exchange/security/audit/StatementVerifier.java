package credit.exchange.security.audit;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.VerifiedContent;
import credit.exchange.security.gm.Sm2VerifyingKey;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.Usage;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Selector;

/**
 * Verifies signed statements (audit checkpoints, countersignatures) without any node key: for an
 * auditor holding an evidence bundle and the alliance CA certificates, offline. The signer's
 * certificate must be valid under the given trust anchors and CRLs, in either suite, for signing.
 */
public final class StatementVerifier {

    private static final int MAX_BYTES = 1024 * 1024;

    private final CertificateValidator validator;

    public StatementVerifier(CertificateValidator validator) {
        this.validator = validator;
    }

    public VerifiedContent verify(byte[] signed, ASN1ObjectIdentifier contentType) {
        return verify(signed, null, contentType);
    }

    /**
     * Verifies a detached signature ({@link credit.exchange.security.envelope.Envelopes#signDetached}) of
     * this content, as a signed document carries it (a credit report's PDF signature); returns the content with its signer.
     */
    public VerifiedContent verifyDetached(byte[] signature, byte[] content) {
        return verify(signature, content, CMSObjectIdentifiers.data);
    }

    private VerifiedContent verify(byte[] signed, byte[] detachedContent, ASN1ObjectIdentifier contentType) {
        if (signed == null || signed.length == 0 || signed.length > MAX_BYTES) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a signed statement is a CMS SignedData of at most " + MAX_BYTES + " bytes");
        }
        try {
            CMSSignedData data = detachedContent == null ? new CMSSignedData(signed)
                    : new CMSSignedData(new CMSProcessableByteArray(detachedContent), signed);
            if (!contentType.getId().equals(data.getSignedContentTypeOID())) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the signed content is of type " + data.getSignedContentTypeOID());
            }
            Collection<SignerInformation> signers = data.getSignerInfos().getSigners();
            if (signers.size() != 1 || data.getSignedContent() == null || !(data.getSignedContent().getContent() instanceof byte[] payload)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the SignedData must carry its content and exactly one signer");
            }
            SignerInformation signer = signers.iterator().next();
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> matches = data.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (matches.size() != 1) {
                throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the SignedData does not carry its signer's certificate");
            }
            X509Certificate presented = new JcaX509CertificateConverter().setProvider(Providers.bc()).getCertificate(matches.iterator().next());
            Suite suite = Suite.ofKey(presented.getPublicKey()).orElseThrow(() -> new CodedException(ErrorCode.E_SUITE_MISMATCH,
                    "the signer's key is of neither suite"));
            X509Certificate trusted = validator.validate(presented, suite, Usage.SIGNING);
            // GM: the node's SM2 verifier, which takes both names of the signature algorithm (docs/protocol.md §3)
            SignerInformationVerifier verifier = suite == Suite.GM
                    ? Sm2VerifyingKey.of(new JcaX509CertificateHolder(trusted)).signerInformationVerifier()
                    : new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bc()).build(trusted);
            if (!signer.verify(verifier)) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the statement's signature does not verify");
            }
            return new VerifiedContent(payload, trusted, signer.getSignedAttributes(), null);
        } catch (CodedException e) {
            throw e;
        } catch (CMSException e) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the statement's signature does not verify");
        } catch (Exception e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the statement is not a readable SignedData");
        }
    }
}
