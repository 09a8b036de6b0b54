package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.GmAlgorithms;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * The envelope's form, checked where no key or tag protects it: the alliance profile's fixed
 * values, canonical DER (the parser is tolerant, and what nothing protects must not vary
 * unnoticed), and the recipient named byte for byte. Part of {@link Envelopes}' opening.
 */
final class EnvelopeProfile {

    private EnvelopeProfile() {
    }

    /**
     * The envelope as a typed ContentInfo, provided that re-encoding the typed structure gives the
     * same DER: the parser is tolerant (it reads a wrong context tag as the right one), and what
     * no key or tag protects must not vary unnoticed. BER input is first brought to DER.
     */
    static ContentInfo canonical(byte[] envelope) {
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

    /** The unprotected fields of a GM EnvelopedData must hold the profile's values; the recipient must name us exactly. */
    static void checkGm(EnvelopedData data, byte[] ownIssuerAndSerial) {
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

    /**
     * The fields of AuthEnvelopedData that no key or tag protects must hold the values of the
     * profile; otherwise an altered version number or content type would go unnoticed.
     */
    static void checkIntl(AuthEnvelopedData data) {
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
    static void requireExactlyNamed(AuthEnvelopedData structure, byte[] ownIssuerAndSerial) {
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

    /** A ContentInfo(SignedData) in canonical form: the library reads any ContentInfo as SignedData and a wrong context tag as the right one. */
    static CMSSignedData signedData(byte[] signedBytes) {
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


    /** SHA-256 of the DER of the signed attributes: what the sender signed, its content bound by messageDigest. */
    static byte[] signedDigest(AttributeTable signedAttributes) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(new DERSet(signedAttributes.toASN1EncodableVector()).getEncoded(ASN1Encoding.DER));
        } catch (GeneralSecurityException | IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the signed attributes cannot be digested: " + e.getClass().getSimpleName(), e);
        }
    }
}
