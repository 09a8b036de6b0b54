package credit.exchange.security.gm;

import java.io.OutputStream;
import java.security.SecureRandom;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.io.CipherOutputStream;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputEncryptor;

/**
 * SM4-CBC content encryption for CMS EnvelopedData, for {@code CMSEnvelopedDataGenerator}:
 * a fresh random 128-bit content-encryption key and 16-byte IV, PKCS #7 padding, and the
 * AlgorithmIdentifier {@code {1.2.156.10197.1.104.2, OCTET STRING iv}} that GM/T 0010 and
 * GmSSL use and that OpenSSL knows as {@code SM4-CBC}.
 *
 * <p>BouncyCastle's JCE content encryptor cannot be used instead: its provider has no key
 * generator for this OID. One instance encrypts one message (key and IV are drawn when it is
 * made) and is not for concurrent use. CBC gives no integrity; see {@link Sm4}.
 */
public final class Sm4CbcContentEncryptor implements OutputEncryptor {

    private final byte[] key;
    private final byte[] iv;
    private final AlgorithmIdentifier algorithm;

    /** A new key and IV from a fresh {@link SecureRandom}. */
    public Sm4CbcContentEncryptor() {
        this(new SecureRandom());
    }

    /** A new key and IV from {@code random}. */
    public Sm4CbcContentEncryptor(SecureRandom random) {
        this.key = new byte[Sm4.KEY_BYTES];
        this.iv = new byte[Sm4.BLOCK_BYTES];
        random.nextBytes(key);
        random.nextBytes(iv);
        this.algorithm = new AlgorithmIdentifier(GmAlgorithms.SM4_CBC, new DEROctetString(iv));
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    /** Encrypts what is written; closing the stream writes the padded last block and closes {@code out}. */
    @Override
    public OutputStream getOutputStream(OutputStream out) {
        return new CipherOutputStream(out, Sm4.cbc(true, key, iv));
    }

    /** The content-encryption key, for the recipient-info generators to wrap. */
    @Override
    public GenericKey getKey() {
        return new GenericKey(algorithm, key.clone());
    }
}
