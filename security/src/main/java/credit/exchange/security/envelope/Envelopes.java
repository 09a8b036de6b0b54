package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm2SigningKey;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Seals and opens the alliance envelope: standard CMS (RFC 5652), a SignedData by the sending
 * node inside an encryption layer for the recipient node. INTL: AuthEnvelopedData (RFC 5083)
 * with ECDH P-256 ephemeral-static key agreement (dhSinglePass-stdDH-sha256kdf) wrapping an
 * AES-256-GCM content key, as {@code openssl cms -sign | openssl cms -encrypt -aes-256-gcm}
 * produces it. GM: EnvelopedData with SM2 key transport (GM/T 0010, SM2Cipher in C1C3C2 order)
 * of an SM4-CBC content key, around an SM3withSM2 SignedData (signer ID 1234567812345678).
 * docs/protocol.md describes the format for partners.
 *
 * <p>Signing and the exchange checks are here; the encryption layer is {@link EncryptionLayer}, the
 * checks of what no key protects {@link EnvelopeProfile}, signature verification {@link SignerVerification}.
 *
 * <p>Every failure of {@link #open} is a {@link CodedException}; no other exception escapes it.
 * Thread-safe: one instance serves a node.
 */
public final class Envelopes {

    private final NodeCredentials self;
    private final Suite suite;
    private final ReplayGuard replay;
    private final Clock clock;
    private final EnvelopePolicy policy;
    /** GM only: the SM2 key with its Z value computed once, not at every signature. */
    private final Sm2SigningKey gmSigner;
    /** Our certificate as CMS structures take it. */
    private final X509CertificateHolder ownCertificate;
    private final EncryptionLayer encryption;
    private final SignerVerification verification;
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
            this.batchSigner = signing == Signing.BATCHED
                    ? new BatchSigner(this::singleSigner, SignerVerification.digestCalculators(suite)) : null;
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest for " + suite, e);
        }
        byte[] ownIssuerAndSerial;
        try {
            this.ownCertificate = new JcaX509CertificateHolder(self.certificate());
            ownIssuerAndSerial = new IssuerAndSerialNumber(ownCertificate.toASN1Structure()).getEncoded(ASN1Encoding.DER);
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException("this node's certificate cannot be encoded", e);
        }
        this.encryption = new EncryptionLayer(self, policy, ownIssuerAndSerial);
        this.verification = new SignerVerification(suite, trust);
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
        return encryption.encrypt(sign(payload, headers), recipient);
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
        return sign(content, signedAttributes, signer, true);
    }

    private byte[] sign(CMSTypedData content, AttributeTable signedAttributes, ContentSigner signer, boolean encapsulate) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(SignerVerification.digestCalculators(suite))
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes))
                    .build(signer, ownCertificate));
            generator.addCertificate(ownCertificate);
            return generator.generate(content, encapsulate).getEncoded("DER");
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

    /**
     * Signs a document this node issues (a credit report) with a detached SignedData: the
     * document's bytes are not carried, the signing time is, and the signature is the node's own
     * (never batched). A PDF carries it in its signature dictionary; anyone who trusts the alliance
     * CA verifies it ({@link credit.exchange.security.audit.StatementVerifier#verifyDetached}).
     */
    public byte[] signDetached(byte[] document) {
        return sign(new CMSProcessableByteArray(document), signingTime(), singleSigner(), false);
    }

    private AttributeTable signingTime() {
        return new AttributeTable(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(java.util.Date.from(clock.instant())))));
    }

    /** Verifies a statement of this content type signed by a node this one trusts (in this suite); returns it with its signer. */
    public VerifiedContent verifyStatement(byte[] signed, ASN1ObjectIdentifier contentType) {
        try {
            DerLimits.check(signed, policy.maxBytes());
            return verification.verify(signed, null, contentType);
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
            VerifiedContent content = verification.verify(signedReceipt, null, ReceiptCodec.CONTENT_TYPE);
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
        byte[] signedDigest = EnvelopeProfile.signedDigest(content.signedAttributes());
        if (!replay.firstSeen(headers.sender(), headers.messageId(), headers.signingTime().plus(policy.freshness().multipliedBy(2)),
                signedDigest)) {
            throw new ReplayedEnvelopeException(headers, signedDigest);
        }
        return new OpenedEnvelope(headers, content.payload(), content.signer(), content.receivedDigest());
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
            ContentInfo outer = EnvelopeProfile.canonical(envelope);
            if (suite == Suite.GM) {
                return verification.verify(encryption.decryptGm(outer), received, CMSObjectIdentifiers.data);
            }
            byte[] signedData = encryption.decryptIntl(outer);
            DerLimits.check(signedData, policy.maxBytes());
            return verification.verify(signedData, received, CMSObjectIdentifiers.data);
        } catch (CodedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is not a well-formed CMS structure", e);
        }
    }

    /** The digest of these bytes in this node's suite ({@link #digestAlgorithm()}): what receipts and report statements carry. */
    public byte[] digest(byte[] bytes) {
        try {
            return suite == Suite.GM ? MessageDigest.getInstance("SM3", Providers.bc()).digest(bytes)
                    : MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
