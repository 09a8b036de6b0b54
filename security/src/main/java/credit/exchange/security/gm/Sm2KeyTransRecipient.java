package credit.exchange.security.gm;

import java.security.PrivateKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipient;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * The receiving side of {@link Sm2KeyTransRecipientInfoGenerator}: give it to
 * {@code RecipientInformation.getContent(...)} to open a GM EnvelopedData. It decrypts the
 * content-encryption key with the recipient's SM2 private key (GM/T 0009 SM2Cipher, C1C3C2) and
 * decrypts the content with {@link Sm4CbcContentDecryptor}.
 *
 * <p>It accepts keyEncryptionAlgorithm sm2-3 with parameters absent or NULL (GmSSL writes the
 * former, Go's gmsm the latter), SM4-CBC content encryption and a 16-byte key, and nothing else.
 * Any changed byte of the encryptedKey fails SM2's C3 check and ends in a {@link CMSException};
 * the content itself is not authenticated by CBC (see {@link Sm4}). Stateless apart from the
 * key, and safe to share between threads.
 */
public final class Sm2KeyTransRecipient implements KeyTransRecipient {

    private final ECPrivateKeyParameters privateKey;

    /** A recipient holding {@code privateKey} (on any curve; the GM suite uses sm2p256v1). */
    public Sm2KeyTransRecipient(ECPrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    /** A recipient holding the SM2 key inside a JCA private key. */
    public Sm2KeyTransRecipient(PrivateKey privateKey) {
        this(Sm2Keys.privateKey(privateKey));
    }

    @Override
    public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
            AlgorithmIdentifier contentEncryptionAlgorithm, byte[] encryptedContentKey) throws CMSException {
        if (!GmAlgorithms.SM2_ENCRYPT.equals(keyEncryptionAlgorithm.getAlgorithm())
                || !absentOrNull(keyEncryptionAlgorithm.getParameters())) {
            throw new CMSException("key encryption algorithm " + keyEncryptionAlgorithm.getAlgorithm()
                    + " is not SM2 encryption (1.2.156.10197.1.301.3) without parameters");
        }
        byte[] contentKey;
        try {
            contentKey = Sm2Encryption.decrypt(privateKey, encryptedContentKey);
        } catch (InvalidCipherTextException e) {
            throw new CMSException("cannot decrypt the SM2-encrypted content-encryption key", e);
        }
        try {
            return new RecipientOperator(Sm4CbcContentDecryptor.of(contentEncryptionAlgorithm, contentKey));
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    private static boolean absentOrNull(ASN1Encodable parameters) {
        return parameters == null || DERNull.INSTANCE.equals(parameters);
    }
}
