package credit.exchange.security.gm;

import java.security.Key;
import java.security.SecureRandom;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.KeyTransRecipientInfoGenerator;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.operator.AsymmetricKeyWrapper;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OperatorException;

/**
 * SM2 key transport for CMS EnvelopedData (GM/T 0010 §9.2): a KeyTransRecipientInfo whose
 * keyEncryptionAlgorithm is sm2-3 encryption ({@link GmAlgorithms#SM2_ENCRYPT},
 * 1.2.156.10197.1.301.3, parameters absent as GmSSL writes them) and whose encryptedKey is the
 * content-encryption key SM2-encrypted to the recipient's certified key, as the GM/T 0009
 * {@code SM2Cipher} DER SEQUENCE {x, y, hash, ciphertext} in C1C3C2 order (see
 * {@link Sm2Encryption}). OpenSSL's {@code pkeyutl -decrypt} opens such an encryptedKey.
 *
 * <p>Use with {@code CMSEnvelopedDataGenerator} and {@link Sm4CbcContentEncryptor}; BouncyCastle's
 * JCE key-transport generator refuses SM2 certificates. The recipient is named by issuer and
 * serial number (RecipientInfo version 0) or by subject key identifier (version 2), as RFC 5652
 * prescribes. An instance may be shared between threads if its {@link SecureRandom} may.
 */
public final class Sm2KeyTransRecipientInfoGenerator extends KeyTransRecipientInfoGenerator {

    /** Names the recipient by the issuer and serial number of {@code recipient}, whose SM2 key receives the CEK. */
    public Sm2KeyTransRecipientInfoGenerator(X509CertificateHolder recipient) {
        this(recipient, new SecureRandom());
    }

    /** As {@link #Sm2KeyTransRecipientInfoGenerator(X509CertificateHolder)}, drawing SM2's k from {@code random}. */
    public Sm2KeyTransRecipientInfoGenerator(X509CertificateHolder recipient, SecureRandom random) {
        super(new IssuerAndSerialNumber(recipient.toASN1Structure()), new Sm2KeyWrapper(Sm2Keys.publicKey(recipient), random));
    }

    /**
     * Names the recipient by the issuer and serial number of {@code recipient} and encrypts to
     * {@code recipientKey}, the key it certifies, parsed once by the caller: a key object kept
     * across messages keeps BouncyCastle's precomputation for its point.
     */
    public Sm2KeyTransRecipientInfoGenerator(X509CertificateHolder recipient, ECPublicKeyParameters recipientKey, SecureRandom random) {
        super(new IssuerAndSerialNumber(recipient.toASN1Structure()), new Sm2KeyWrapper(recipientKey, random));
    }

    /** Names the recipient by {@code subjectKeyIdentifier} and encrypts to {@code recipientKey}. */
    public Sm2KeyTransRecipientInfoGenerator(byte[] subjectKeyIdentifier, ECPublicKeyParameters recipientKey, SecureRandom random) {
        super(subjectKeyIdentifier.clone(), new Sm2KeyWrapper(recipientKey, random));
    }

    /** Encrypts the CEK with SM2 in C1C3C2 order and encodes it as an SM2Cipher. */
    private static final class Sm2KeyWrapper extends AsymmetricKeyWrapper {

        private final ECPublicKeyParameters recipientKey;
        private final SecureRandom random;

        Sm2KeyWrapper(ECPublicKeyParameters recipientKey, SecureRandom random) {
            super(new AlgorithmIdentifier(GmAlgorithms.SM2_ENCRYPT));
            this.recipientKey = recipientKey;
            this.random = random;
        }

        @Override
        public byte[] generateWrappedKey(GenericKey contentEncryptionKey) throws OperatorException {
            return Sm2Encryption.encrypt(recipientKey, keyBytes(contentEncryptionKey), random);
        }

        private static byte[] keyBytes(GenericKey key) throws OperatorException {
            Object representation = key.getRepresentation();
            if (representation instanceof byte[] bytes) {
                return bytes;
            }
            if (representation instanceof Key jcaKey && jcaKey.getEncoded() != null) {
                return jcaKey.getEncoded();
            }
            throw new OperatorException("content-encryption key is not available as bytes");
        }
    }
}
