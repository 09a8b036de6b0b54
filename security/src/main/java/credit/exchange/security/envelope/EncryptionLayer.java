package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm2KeyTransRecipient;
import credit.exchange.security.gm.Sm2KeyTransRecipientInfoGenerator;
import credit.exchange.security.gm.Sm2Keys;
import credit.exchange.security.gm.Sm4CbcContentEncryptor;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.operator.OutputAEADEncryptor;

/**
 * The encryption layer of the envelope for one node: sealing a SignedData for a recipient (GM:
 * SM2 key transport of an SM4-CBC key; INTL: ECDH P-256 agreement on an AES-256-GCM key) and
 * taking it off an envelope addressed to this node. Part of {@link Envelopes}.
 */
final class EncryptionLayer {

    private final NodeCredentials self;
    private final Suite suite;
    private final EnvelopePolicy policy;
    private final byte[] ownIssuerAndSerial;
    /** GM, per recipient certificate: its parsed key, which keeps BouncyCastle's point precomputation across messages. */
    private final PeerCache<ECPublicKeyParameters> gmRecipientKeys = new PeerCache<>();

    EncryptionLayer(NodeCredentials self, EnvelopePolicy policy, byte[] ownIssuerAndSerial) {
        this.self = self;
        this.suite = self.suite();
        this.policy = policy;
        this.ownIssuerAndSerial = ownIssuerAndSerial;
    }

    byte[] encrypt(byte[] signedData, X509Certificate recipient) {
        try {
            if (suite == Suite.GM) {
                CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                X509CertificateHolder holder = new JcaX509CertificateHolder(recipient);
                generator.addRecipientInfoGenerator(new Sm2KeyTransRecipientInfoGenerator(holder,
                        gmRecipientKeys.get(recipient, () -> Sm2Keys.publicKey(holder)), new SecureRandom()));
                return generator.generate(new CMSProcessableByteArray(signedData), new Sm4CbcContentEncryptor())
                        .toASN1Structure().getEncoded(ASN1Encoding.DER);
            }
            KeyPair ephemeral = suite.generateKeyPair();
            CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                    ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .addRecipient(recipient).setProvider(Providers.bc()));
            return generator.generate(new CMSProcessableByteArray(signedData),
                    (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(Providers.bc()).build())
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | GeneralSecurityException | IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * GM: SM2 key transport and SM4-CBC. CBC has no integrity of its own; the inner signature
     * is what refuses altered ciphertext. Every failure from decryption up to a parsed SignedData
     * gets the same code and message, so that refusals reveal nothing about the padding (no
     * padding oracle). Returns the SignedData inside, not yet verified.
     */
    CMSSignedData decryptGm(ContentInfo outer) {
        if (outer.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData)) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "an INTL (AuthEnvelopedData) envelope sent to a GM node");
        }
        if (!outer.getContentType().equals(CMSObjectIdentifiers.envelopedData)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is neither EnvelopedData nor AuthEnvelopedData");
        }
        EnvelopedData structure = EnvelopedData.getInstance(outer.getContent());
        EnvelopeProfile.checkGm(structure, ownIssuerAndSerial);
        RecipientInformation mine;
        try {
            mine = ownRecipient(new CMSEnvelopedData(outer));
        } catch (CMSException | IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the EnvelopedData cannot be parsed", e);
        }
        CMSSignedData signed;
        try {
            byte[] signedData = mine.getContent(new Sm2KeyTransRecipient(self.privateKey()));
            DerLimits.check(signedData, policy.maxBytes());
            signed = EnvelopeProfile.signedData(signedData);
        } catch (CMSException | RuntimeException e) { // CodedException (size, form) included: one answer for all
            throw new CodedException(ErrorCode.E_DECRYPTION_FAILED, "the envelope does not decrypt under this node's key");
        }
        return signed;
    }

    /**
     * The recipient info naming this node, matched by the bytes of its issuer and serial number
     * (as {@link EnvelopeProfile#checkGm} matched them), never through a name object shared between
     * messages: BouncyCastle's lookup hashes the issuer's X500Name, whose lazily cached hash is not
     * thread-safe (it is marked computed before it is), so a thread racing the first lookup read a
     * hash of 0 and a node refused some of its first concurrent envelopes with E_NOT_RECIPIENT.
     */
    private RecipientInformation ownRecipient(CMSEnvelopedData data) throws IOException {
        for (RecipientInformation recipient : data.getRecipientInfos().getRecipients()) {
            if (recipient.getRID() instanceof KeyTransRecipientId id && id.getIssuer() != null && id.getSerialNumber() != null
                    && Arrays.equals(new IssuerAndSerialNumber(id.getIssuer(), id.getSerialNumber()).getEncoded(ASN1Encoding.DER),
                            ownIssuerAndSerial)) {
                return recipient;
            }
        }
        throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "no recipient info of the envelope names this node's certificate");
    }

    /** INTL: ECDH key agreement and AES-256-GCM; returns the SignedData's bytes inside, not yet verified. */
    byte[] decryptIntl(ContentInfo outer) {
        ASN1ObjectIdentifier type = outer.getContentType();
        if (type.equals(CMSObjectIdentifiers.envelopedData)) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "a GM (EnvelopedData) envelope sent to an INTL node");
        }
        if (!type.equals(CMSObjectIdentifiers.authEnvelopedData)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is neither AuthEnvelopedData nor EnvelopedData");
        }
        CMSAuthEnvelopedData data;
        try {
            AuthEnvelopedData structure = AuthEnvelopedData.getInstance(outer.getContent());
            EnvelopeProfile.checkIntl(structure);
            EnvelopeProfile.requireExactlyNamed(structure, ownIssuerAndSerial);
            data = new CMSAuthEnvelopedData(outer);
        } catch (CMSException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the AuthEnvelopedData cannot be parsed", e);
        }
        RecipientInformation mine = data.getRecipientInfos().get(new JceKeyAgreeRecipientId(self.certificate()));
        if (mine == null) {
            throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "no recipient info of the envelope names this node's certificate");
        }
        try {
            return mine.getContent(new JceKeyAgreeAuthEnvelopedRecipient(self.privateKey()).setProvider(Providers.bc()));
        } catch (CMSException | RuntimeException e) {
            throw new CodedException(ErrorCode.E_DECRYPTION_FAILED, "the envelope does not decrypt under this node's key", e);
        }
    }
}
