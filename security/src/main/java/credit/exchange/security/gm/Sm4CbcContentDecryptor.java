package credit.exchange.security.gm;

import java.io.InputStream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.crypto.io.CipherInputStream;
import org.bouncycastle.operator.InputDecryptor;

/**
 * SM4-CBC content decryption for CMS EnvelopedData: the counterpart of
 * {@link Sm4CbcContentEncryptor}, handed out by {@link Sm2KeyTransRecipient} once it has
 * recovered the content-encryption key.
 *
 * <p>A wrong key or a damaged last block shows up as an {@code IOException}
 * ({@code InvalidCipherTextIOException}, bad padding) when the stream reaches its end; other
 * damage decrypts silently to wrong bytes, so the plaintext must carry its own signature
 * (see {@link Sm4}). Not for concurrent use.
 */
public final class Sm4CbcContentDecryptor implements InputDecryptor {

    private final AlgorithmIdentifier algorithm;
    private final byte[] key;
    private final byte[] iv;

    private Sm4CbcContentDecryptor(AlgorithmIdentifier algorithm, byte[] key, byte[] iv) {
        this.algorithm = algorithm;
        this.key = key;
        this.iv = iv;
    }

    /**
     * A decryptor for content encrypted under {@code algorithm} (which must be SM4-CBC with a
     * 16-byte IV) with the 16-byte {@code key}.
     *
     * @throws CMSException if the algorithm, its IV or the key does not fit
     */
    public static Sm4CbcContentDecryptor of(AlgorithmIdentifier algorithm, byte[] key) throws CMSException {
        if (!GmAlgorithms.SM4_CBC.equals(algorithm.getAlgorithm())) {
            throw new CMSException("content encryption algorithm " + algorithm.getAlgorithm() + " is not SM4-CBC");
        }
        if (!(algorithm.getParameters() instanceof ASN1OctetString ivString)
                || ivString.getOctets().length != Sm4.BLOCK_BYTES) {
            throw new CMSException("SM4-CBC parameters must be a " + Sm4.BLOCK_BYTES + "-byte IV");
        }
        if (key.length != Sm4.KEY_BYTES) {
            throw new CMSException("SM4 content-encryption key must be " + Sm4.KEY_BYTES + " bytes");
        }
        return new Sm4CbcContentDecryptor(algorithm, key.clone(), ivString.getOctets());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public InputStream getInputStream(InputStream in) {
        return new CipherInputStream(in, Sm4.cbc(false, key, iv));
    }
}
