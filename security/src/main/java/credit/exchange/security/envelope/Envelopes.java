package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.GmAlgorithms;
import credit.exchange.security.gm.Sm2KeyTransRecipient;
import credit.exchange.security.gm.Sm2KeyTransRecipientInfoGenerator;
import credit.exchange.security.gm.Sm2Keys;
import credit.exchange.security.gm.Sm2SigningKey;
import credit.exchange.security.gm.Sm2VerifyingKey;
import credit.exchange.security.gm.Sm4CbcContentEncryptor;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Selector;

/**
 * Seals and opens the alliance envelope: standard CMS (RFC 5652), a SignedData by the sending
 * node inside an encryption layer for the recipient node. INTL: AuthEnvelopedData (RFC 5083)
 * with ECDH P-256 ephemeral-static key agreement (dhSinglePass-stdDH-sha256kdf) wrapping an
 * AES-256-GCM content key, as {@code openssl cms -sign | openssl cms -encrypt -aes-256-gcm}
 * produces it. GM: EnvelopedData with SM2 key transport (GM/T 0010, SM2Cipher in C1C3C2 order)
 * of an SM4-CBC content key, around an SM3withSM2 SignedData (signer ID 1234567812345678).
 * docs/protocol.md describes the format for partners.
 *
 * <p>Every failure of {@link #open} is a {@link CodedException}; no other exception escapes it.
 * Thread-safe: one instance serves a node.
 */
public final class Envelopes {

    private final NodeCredentials self;
    private final Suite suite;
    private final PeerTrust trust;
    private final ReplayGuard replay;
    private final Clock clock;
    private final EnvelopePolicy policy;
    /** GM only: the SM2 key with its Z value computed once, not at every signature. */
    private final Sm2SigningKey gmSigner;
    /** Our certificate as CMS structures take it, and our IssuerAndSerialNumber (DER) as recipient infos name it. */
    private final X509CertificateHolder ownCertificate;
    private final byte[] ownIssuerAndSerial;
    /**
     * Per peer certificate: the signature verifier (once the PKI trusted it as a signer) and, GM,
     * the recipient's parsed key. Kept across messages, a key object keeps BouncyCastle's point
     * precomputation (and a GM verifier its signer's Z value): rebuilding them per message cost
     * more than the verification itself (docs/PERFORMANCE.md).
     */
    private final PeerCache<SignerInformationVerifier> verifiers = new PeerCache<>();
    private final PeerCache<ECPublicKeyParameters> gmRecipientKeys = new PeerCache<>();
    /** Batch signing only: what signs envelopes and receipts. */
    private final BatchSigner batchSigner;

    /**
     * How a node signs what it makes per message (envelopes and receipts). Statements meant to be
     * kept and checked by anyone (audit checkpoints, recognition statements) are always signed
     * one by one. Either way a node verifies both forms.
     */
    public enum Signing {
        /** Each message its own signature: what any CMS tool (openssl cms -verify) verifies. */
        PER_MESSAGE,
        /** Messages signed at the same moment share one signature of a Merkle root, each with its inclusion path (docs/protocol.md). */
        BATCHED
    }

    public Envelopes(NodeCredentials self, PeerTrust trust, ReplayGuard replay, Clock clock, EnvelopePolicy policy) {
        this(self, trust, replay, clock, policy, Signing.PER_MESSAGE);
    }

    public Envelopes(NodeCredentials self, PeerTrust trust, ReplayGuard replay, Clock clock, EnvelopePolicy policy,
                     Signing signing) {
        this.self = self;
        this.suite = self.suite();
        this.gmSigner = suite == Suite.GM ? Sm2SigningKey.of(self.privateKey()) : null;
        try {
            this.batchSigner = signing == Signing.BATCHED ? new BatchSigner(this::singleSigner, digestCalculators()) : null;
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest for " + suite, e);
        }
        try {
            this.ownCertificate = new JcaX509CertificateHolder(self.certificate());
            this.ownIssuerAndSerial = new IssuerAndSerialNumber(ownCertificate.toASN1Structure()).getEncoded(ASN1Encoding.DER);
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException("this node's certificate cannot be encoded", e);
        }
        this.trust = trust;
        this.replay = replay;
        this.clock = clock;
        this.policy = policy;
    }

    /** Signs the payload with our key and encrypts it for the recipient's certificate. */
    public byte[] seal(byte[] payload, ExchangeHeaders headers, X509Certificate recipient) {
        if (Suite.ofKey(recipient.getPublicKey()).orElse(null) != suite) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH,
                    "the recipient's certificate is not of this node's suite " + suite);
        }
        return encrypt(sign(payload, headers), recipient);
    }

    /** Signs headers and payload into a ContentInfo(SignedData), DER, with our certificate attached. */
    byte[] sign(byte[] payload, ExchangeHeaders headers) {
        return sign(new CMSProcessableByteArray(payload), ExchangeAttributes.toTable(headers), perMessageSigner());
    }

    /** A single-use signer of one message's own signature. */
    private ContentSigner singleSigner() {
        try {
            return gmSigner != null ? gmSigner.contentSigner()
                    : new JcaContentSignerBuilder(suite.signatureAlgorithm()).setProvider(Providers.bc()).build(self.privateKey());
        } catch (OperatorCreationException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The signer of what is made per message: batched if this node batches. */
    private ContentSigner perMessageSigner() {
        return batchSigner != null ? batchSigner.contentSigner() : singleSigner();
    }

    private byte[] sign(CMSTypedData content, AttributeTable signedAttributes, ContentSigner signer) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digestCalculators())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes))
                    .build(signer, ownCertificate));
            generator.addCertificate(ownCertificate);
            return generator.generate(content, true).getEncoded("DER");
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Signs a receipt. The result is a SignedData, not encrypted, so that whoever keeps it (the
     * sender, an auditor, a court) can verify it without any node's private key; its content,
     * of type {@link ReceiptCodec#CONTENT_TYPE}, is the DER receipt.
     */
    public byte[] signReceipt(Receipt receipt) {
        return sign(new CMSProcessableByteArray(ReceiptCodec.CONTENT_TYPE, ReceiptCodec.encode(receipt)), signingTime(),
                perMessageSigner());
    }

    /**
     * Signs a statement this node vouches for — an audit checkpoint, a partner's checkpoint it
     * countersigns, a recognition statement — as a SignedData with the signing time and a signature
     * of its own (never batched): verifiable by anyone who trusts the alliance CA, with any CMS
     * tool, without any private key.
     */
    public byte[] signStatement(ASN1ObjectIdentifier contentType, byte[] statement) {
        return sign(new CMSProcessableByteArray(contentType, statement), signingTime(), singleSigner());
    }

    private AttributeTable signingTime() {
        return new AttributeTable(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(java.util.Date.from(clock.instant())))));
    }

    /** Verifies a statement of this content type signed by a node this one trusts (in this suite); returns it with its signer. */
    public VerifiedContent verifyStatement(byte[] signed, ASN1ObjectIdentifier contentType) {
        try {
            DerLimits.check(signed, policy.maxBytes());
            return verify(signed, null, contentType);
        } catch (CodedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the statement is not a well-formed CMS structure", e);
        }
    }

    /**
     * Verifies a receipt for an envelope we sent: signed by a trusted node that is the receipt's
     * receiver, naming us as sender, and carrying the digest of exactly the bytes we sent.
     */
    public Receipt verifyReceipt(byte[] signedReceipt, byte[] sentEnvelope) {
        try {
            DerLimits.check(signedReceipt, policy.maxBytes());
            VerifiedContent content = verify(signedReceipt, null, ReceiptCodec.CONTENT_TYPE);
            Receipt receipt = ReceiptCodec.decode(content.payload());
            if (!receipt.receiver().equals(AllianceProfile.nodeId(content.signer()))) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID,
                        "the receipt names receiver " + receipt.receiver() + " but is signed by " + AllianceProfile.nodeId(content.signer()));
            }
            if (!receipt.sender().equals(self.nodeId())) {
                throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "the receipt is about a message of " + receipt.sender());
            }
            if (!MessageDigest.isEqual(receipt.digest(), digest(sentEnvelope))) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the receipt's digest is not that of the envelope we sent");
            }
            if (!receipt.accepted()) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "the receipt's status is '" + receipt.status()
                        + "': only an ACCEPTED receipt is evidence of receipt");
            }
            return receipt;
        } catch (CodedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the receipt is not a well-formed CMS structure", e);
        }
    }

    /** As {@link #verifyReceipt(byte[], byte[])}, and the receipt must be the expected node's. */
    public Receipt verifyReceipt(byte[] signedReceipt, byte[] sentEnvelope, String expectedReceiver) {
        Receipt receipt = verifyReceipt(signedReceipt, sentEnvelope);
        if (!receipt.receiver().equals(expectedReceiver)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the receipt is " + receipt.receiver() + "'s, not "
                    + expectedReceiver + "'s");
        }
        return receipt;
    }

    /** The digest algorithm of this node's suite, as receipts name it. */
    public String digestAlgorithm() {
        return suite == Suite.GM ? "SM3" : "SHA-256";
    }

    private byte[] encrypt(byte[] signedData, X509Certificate recipient) {
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
     * Opens an exchange envelope addressed to us: {@link #openContent} plus the exchange checks —
     * the headers are present, the signer is the stated sender, we are the recipient, the signing
     * time is within the freshness window, and the message id is not a replay.
     */
    public OpenedEnvelope open(byte[] envelope) {
        VerifiedContent content = openContent(envelope);
        ExchangeHeaders headers = ExchangeAttributes.fromTable(content.signedAttributes());
        if (headers == null) {
            throw new CodedException(ErrorCode.E_MALFORMED,
                    "the signed attributes lack message id, sender, recipient, type or signing time");
        }
        String signerNode = AllianceProfile.nodeId(content.signer());
        if (!headers.sender().equals(signerNode)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID,
                    "the envelope claims sender " + headers.sender() + " but is signed by " + signerNode);
        }
        if (!headers.recipient().equals(self.nodeId())) {
            throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "the envelope is addressed to " + headers.recipient());
        }
        Instant now = clock.instant();
        Duration skew = Duration.between(headers.signingTime(), now).abs();
        if (skew.compareTo(policy.freshness()) > 0) {
            throw new CodedException(ErrorCode.E_STALE, "signed at " + headers.signingTime() + ", " + skew.toSeconds()
                    + " s from this node's clock; the window is ±" + policy.freshness().toSeconds() + " s");
        }
        // last: only an envelope that passed every other check may claim its message id
        byte[] signedDigest = signedDigest(content.signedAttributes());
        if (!replay.firstSeen(headers.sender(), headers.messageId(), headers.signingTime().plus(policy.freshness().multipliedBy(2)),
                signedDigest)) {
            throw new ReplayedEnvelopeException(headers, signedDigest);
        }
        return new OpenedEnvelope(headers, content.payload(), content.signer(), content.receivedDigest());
    }

    /** SHA-256 of the DER of the signed attributes: what the sender signed, its content bound by messageDigest. */
    private static byte[] signedDigest(org.bouncycastle.asn1.cms.AttributeTable signedAttributes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(new org.bouncycastle.asn1.DERSet(signedAttributes.toASN1EncodableVector()).getEncoded(ASN1Encoding.DER));
        } catch (GeneralSecurityException | IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the signed attributes cannot be digested: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The cryptographic layer alone: decrypts with our key, verifies the one signature and trusts
     * its signer. What any standard CMS tool produces opens here, e.g. {@code openssl cms -sign}
     * then {@code openssl cms -encrypt -aes-256-gcm}.
     */
    public VerifiedContent openContent(byte[] envelope) {
        try {
            DerLimits.check(envelope, policy.maxBytes());
            byte[] received = digest(envelope);
            ContentInfo outer = canonical(envelope);
            if (suite == Suite.GM) {
                return openGm(outer, received);
            }
            byte[] signedData = decrypt(outer);
            DerLimits.check(signedData, policy.maxBytes());
            return verify(signedData, received, CMSObjectIdentifiers.data);
        } catch (CodedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is not a well-formed CMS structure", e);
        }
    }

    /**
     * The envelope as a typed ContentInfo, provided that re-encoding the typed structure gives the
     * same DER: the parser is tolerant (it reads a wrong context tag as the right one), and what
     * no key or tag protects must not vary unnoticed. BER input is first brought to DER.
     */
    private static ContentInfo canonical(byte[] envelope) {
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(envelope);
            byte[] der = parsed.getEncoded(ASN1Encoding.DER);
            ContentInfo info = ContentInfo.getInstance(parsed);
            ASN1Encodable typed = info.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData)
                    ? AuthEnvelopedData.getInstance(info.getContent())
                    : info.getContentType().equals(CMSObjectIdentifiers.envelopedData)
                    ? EnvelopedData.getInstance(info.getContent())
                    : info.getContent();
            if (!Arrays.equals(new ContentInfo(info.getContentType(), typed).getEncoded(ASN1Encoding.DER), der)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the envelope does not re-encode to itself: a field is altered or misplaced");
            }
            return info;
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is not ASN.1", e);
        }
    }

    /**
     * GM: SM2 key transport and SM4-CBC. CBC has no integrity of its own; the inner signature
     * is what refuses altered ciphertext. Every failure from decryption up to a parsed SignedData
     * gets the same code and message, so that refusals reveal nothing about the padding (no
     * padding oracle).
     */
    private VerifiedContent openGm(ContentInfo outer, byte[] received) {
        if (outer.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData)) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "an INTL (AuthEnvelopedData) envelope sent to a GM node");
        }
        if (!outer.getContentType().equals(CMSObjectIdentifiers.envelopedData)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is neither EnvelopedData nor AuthEnvelopedData");
        }
        EnvelopedData structure = EnvelopedData.getInstance(outer.getContent());
        checkGmProfile(structure);
        RecipientInformation mine;
        try {
            mine = new CMSEnvelopedData(outer).getRecipientInfos().get(new KeyTransRecipientId(
                    ownCertificate.getIssuer(), ownCertificate.getSerialNumber()));
        } catch (CMSException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the EnvelopedData cannot be parsed", e);
        }
        if (mine == null) {
            throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "no recipient info of the envelope names this node's certificate");
        }
        CMSSignedData signed;
        try {
            byte[] signedData = mine.getContent(new Sm2KeyTransRecipient(self.privateKey()));
            DerLimits.check(signedData, policy.maxBytes());
            signed = signedData(signedData);
        } catch (CMSException | RuntimeException e) { // CodedException (size, form) included: one answer for all
            throw new CodedException(ErrorCode.E_DECRYPTION_FAILED, "the envelope does not decrypt under this node's key");
        }
        return verify(signed, received, CMSObjectIdentifiers.data);
    }

    /** The unprotected fields of a GM EnvelopedData must hold the profile's values; the recipient must name us exactly. */
    private void checkGmProfile(EnvelopedData data) {
        if (data.getVersion().intValueExact() != 0 || data.getOriginatorInfo() != null || data.getUnprotectedAttrs() != null) {
            throw new CodedException(ErrorCode.E_MALFORMED, "EnvelopedData outside the alliance profile (version 0, no originator info, no unprotected attributes)");
        }
        var content = data.getEncryptedContentInfo();
        if (!content.getContentType().equals(CMSObjectIdentifiers.data)
                || !content.getContentEncryptionAlgorithm().getAlgorithm().equals(GmAlgorithms.SM4_CBC)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the content must be id-data encrypted with SM4-CBC");
        }
        try {
            for (int i = 0; i < data.getRecipientInfos().size(); i++) {
                ASN1Encodable element = data.getRecipientInfos().getObjectAt(i);
                if (!(RecipientInfo.getInstance(element).getInfo() instanceof KeyTransRecipientInfo ktri)
                        || ktri.getVersion().intValueExact() != 0
                        || !ktri.getKeyEncryptionAlgorithm().getAlgorithm().equals(GmAlgorithms.SM2_ENCRYPT)
                        || !Arrays.equals(new RecipientInfo(ktri).getEncoded(ASN1Encoding.DER), element.toASN1Primitive().getEncoded(ASN1Encoding.DER))) {
                    throw new CodedException(ErrorCode.E_MALFORMED, "recipient infos must be SM2 key transport (version 0) in canonical form");
                }
                if (Arrays.equals(ktri.getRecipientIdentifier().getId().toASN1Primitive().getEncoded(ASN1Encoding.DER), ownIssuerAndSerial)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the recipient identifiers cannot be read", e);
        }
        throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "no recipient info of the envelope names this node's certificate");
    }

    private byte[] decrypt(ContentInfo outer) {
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
            checkIntlProfile(structure);
            requireExactlyNamed(structure);
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

    /**
     * The fields of AuthEnvelopedData that no key or tag protects must hold the values of the
     * profile; otherwise an altered version number or content type would go unnoticed.
     */
    private static void checkIntlProfile(AuthEnvelopedData data) {
        if (data.getVersion().intValueExact() != 0 || data.getOriginatorInfo() != null || data.getUnauthAttrs() != null) {
            throw new CodedException(ErrorCode.E_MALFORMED, "AuthEnvelopedData outside the alliance profile (version 0, no originator info, no unauthenticated attributes)");
        }
        if (!data.getAuthEncryptedContentInfo().getContentType().equals(CMSObjectIdentifiers.data)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the encrypted content must be of type id-data");
        }
        var cipher = data.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm();
        GCMParameters gcm = cipher.getAlgorithm().equals(NISTObjectIdentifiers.id_aes256_GCM) && cipher.getParameters() != null
                ? GCMParameters.getInstance(cipher.getParameters()) : null;
        if (gcm == null || gcm.getNonce().length != 12 || gcm.getIcvLen() != 16) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the content must be encrypted with AES-256-GCM, 12-byte nonce, 16-byte tag");
        }
        for (int i = 0; i < data.getRecipientInfos().size(); i++) {
            ASN1Encodable element = data.getRecipientInfos().getObjectAt(i);
            RecipientInfo info = RecipientInfo.getInstance(element);
            if (!(info.getInfo() instanceof KeyAgreeRecipientInfo kari) || kari.getVersion().intValueExact() != 3) {
                throw new CodedException(ErrorCode.E_MALFORMED, "recipient infos must be key agreement (version 3)");
            }
            // the key agreement uses the curve of our own key; the originator's stated algorithm is never read, so check it
            OriginatorPublicKey originator = kari.getOriginator().getOriginatorKey();
            if (originator == null || !originator.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                    || !(originator.getAlgorithm().getParameters() == null // OpenSSL leaves the recipient's curve implied
                         || new ASN1ObjectIdentifier(Suite.INTL.curveOid()).equals(originator.getAlgorithm().getParameters()))
                    || originator.getPublicKey().getPadBits() != 0 || !uncompressedPoint(originator.getPublicKey().getOctets())) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the originator must be an ephemeral P-256 public key, uncompressed");
            }
            try {
                if (!Arrays.equals(new RecipientInfo(kari).getEncoded(ASN1Encoding.DER), element.toASN1Primitive().getEncoded(ASN1Encoding.DER))) {
                    throw new CodedException(ErrorCode.E_MALFORMED, "a recipient info does not re-encode to itself: a field is altered or misplaced");
                }
            } catch (IOException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, "a recipient info cannot be encoded", e);
            }
        }
    }

    /** The one point encoding accepted: 04 || x || y; the library also reads the hybrid forms 06 and 07. */
    private static boolean uncompressedPoint(byte[] point) {
        return point.length == 65 && point[0] == 0x04;
    }

    /**
     * Some recipient key must name our certificate byte for byte. The library matches issuer names
     * by X.500 rules (case-insensitively), under which an altered letter would still match.
     */
    private void requireExactlyNamed(AuthEnvelopedData structure) {
        try {
            for (int i = 0; i < structure.getRecipientInfos().size(); i++) {
                KeyAgreeRecipientInfo kari = (KeyAgreeRecipientInfo) RecipientInfo.getInstance(
                        structure.getRecipientInfos().getObjectAt(i)).getInfo();
                for (int k = 0; k < kari.getRecipientEncryptedKeys().size(); k++) {
                    IssuerAndSerialNumber named = RecipientEncryptedKey.getInstance(kari.getRecipientEncryptedKeys().getObjectAt(k))
                            .getIdentifier().getIssuerAndSerialNumber();
                    if (named != null && Arrays.equals(named.getEncoded(ASN1Encoding.DER), ownIssuerAndSerial)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the recipient identifiers cannot be read", e);
        }
        throw new CodedException(ErrorCode.E_NOT_RECIPIENT, "no recipient info of the envelope names this node's certificate");
    }

    private VerifiedContent verify(byte[] signedBytes, byte[] receivedDigest, ASN1ObjectIdentifier contentType) {
        return verify(signedData(signedBytes), receivedDigest, contentType);
    }

    /** A ContentInfo(SignedData) in canonical form: the library reads any ContentInfo as SignedData and a wrong context tag as the right one. */
    private static CMSSignedData signedData(byte[] signedBytes) {
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(signedBytes);
            byte[] der = parsed.getEncoded(ASN1Encoding.DER);
            ContentInfo info = ContentInfo.getInstance(parsed);
            if (!info.getContentType().equals(CMSObjectIdentifiers.signedData)
                    || !Arrays.equals(new ContentInfo(info.getContentType(), info.getContent()).getEncoded(ASN1Encoding.DER), der)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the content is not a SignedData in canonical form");
            }
            return new CMSSignedData(info);
        } catch (CMSException | IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the content is not a SignedData", e);
        }
    }

    private VerifiedContent verify(CMSSignedData signed, byte[] receivedDigest, ASN1ObjectIdentifier contentType) {
        ASN1ObjectIdentifier signedType = new ASN1ObjectIdentifier(signed.getSignedContentTypeOID());
        if (!contentType.equals(signedType)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signed content is of type " + signedType + ", expected " + contentType);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1 || !(signed.getSignedContent() != null && signed.getSignedContent().getContent() instanceof byte[] payload)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the SignedData must carry its content and exactly one signer");
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
        if (matches.size() != 1) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the SignedData does not carry its signer's certificate");
        }
        X509Certificate presented;
        try {
            presented = new JcaX509CertificateConverter().setProvider(Providers.bc()).getCertificate(matches.iterator().next());
        } catch (CertificateException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signer's certificate cannot be read", e);
        }
        X509Certificate trusted = trust.trustedSigner(presented, suite);
        SignerInformationVerifier verifier = verifierFor(trusted);
        boolean valid;
        try {
            valid = signer.verify(verifier);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, "the signer's certificate was not valid at the signing time");
        } catch (CMSException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the sender's signature does not verify");
        }
        return new VerifiedContent(payload, trusted, signer.getSignedAttributes(), receivedDigest);
    }

    /**
     * The verifier for a trusted signer, built on first use. GM: our SM2 verifier with Z computed
     * once. INTL: BouncyCastle's lightweight ECDSA (ten times faster than the JDK's here; its JCA
     * wrapper verifies twice) with the JDK's SHA-256 for the message digest (six times faster than
     * BouncyCastle's, on the CPU's SHA extensions). Either wrapped to take batch signatures as well
     * ({@link BatchSignatureVerifier}).
     */
    private SignerInformationVerifier verifierFor(X509Certificate trusted) {
        return verifiers.get(trusted, () -> {
            try {
                X509CertificateHolder holder = new JcaX509CertificateHolder(trusted);
                return new BatchSignatureVerifier(suite == Suite.GM
                        ? Sm2VerifyingKey.of(holder).signerInformationVerifier()
                        : new SignerInformationVerifier(new DefaultCMSSignatureAlgorithmNameGenerator(),
                                new DefaultSignatureAlgorithmIdentifierFinder(), ecdsaVerifiers(holder), digestCalculators()));
            } catch (CertificateException | OperatorCreationException | IOException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the signer's certificate cannot be read", e);
            }
        });
    }

    /**
     * ECDSA verifiers for one certificate's key, parsed once. BouncyCastle's
     * {@code BcECContentVerifierProviderBuilder.build(certificate)} parses the key again for every
     * verifier it hands out (a new point, its precomputation lost: 195 µs per verification
     * against 78 µs); built from the parsed key, it keeps the point, and this provider still names
     * the certificate, so that the signing time is checked against its validity.
     */
    private static ContentVerifierProvider ecdsaVerifiers(X509CertificateHolder certificate)
            throws OperatorCreationException, IOException {
        ContentVerifierProvider byKey = new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                .build(PublicKeyFactory.createKey(certificate.getSubjectPublicKeyInfo()));
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return true;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return certificate;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                return byKey.get(algorithm);
            }
        };
    }

    /** Digests for CMS: SM3 from BouncyCastle (the JDK has none), SHA-256 from the JDK. */
    private DigestCalculatorProvider digestCalculators() throws OperatorCreationException {
        return suite == Suite.GM ? new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bc()).build()
                : new JcaDigestCalculatorProviderBuilder().build();
    }

    private byte[] digest(byte[] bytes) {
        try {
            return suite == Suite.GM ? MessageDigest.getInstance("SM3", Providers.bc()).digest(bytes)
                    : MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
