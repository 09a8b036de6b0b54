package credit.exchange.security.gm;

import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The SM4 block cipher (GM/T 0002 / GB/T 32907, SM4分组密码算法) in the modes the GM suite and
 * its known-answer tests need, on BouncyCastle's {@link SM4Engine}: 128-bit key, 128-bit block.
 * Every method is stateless and thread-safe.
 *
 * <p>CBC here has no integrity: a changed ciphertext block decrypts to garbage without error
 * unless it breaks the padding. Whoever decrypts CBC content must check a signature or MAC over
 * the plaintext and must not tell a caller whether padding or that check failed (a padding
 * oracle). GCM authenticates.
 */
public final class Sm4 {

    /** Key length in bytes. */
    public static final int KEY_BYTES = 16;
    /** Block length in bytes, also the CBC IV length. */
    public static final int BLOCK_BYTES = 16;
    /** GCM tag length in bytes. */
    public static final int GCM_TAG_BYTES = 16;

    private Sm4() {
    }

    /** Encrypts one 16-byte block (the raw cipher, as in the standard's examples). */
    public static byte[] encryptBlock(byte[] key, byte[] block) {
        requireLength("block", block, BLOCK_BYTES);
        SM4Engine engine = new SM4Engine();
        engine.init(true, new KeyParameter(requireLength("key", key, KEY_BYTES)));
        byte[] out = new byte[BLOCK_BYTES];
        engine.processBlock(block, 0, out, 0);
        return out;
    }

    /** CBC encryption with PKCS #7 padding: always 1 to 16 bytes longer than the plaintext. */
    public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        BufferedBlockCipher cipher = cbc(true, key, iv);
        try {
            return run(cipher, plaintext);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("padding failed while encrypting", e);
        }
    }

    /**
     * CBC decryption removing PKCS #7 padding.
     *
     * @throws InvalidCipherTextException if the length or the padding is wrong
     */
    public static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) throws InvalidCipherTextException {
        return run(cbc(false, key, iv), ciphertext);
    }

    /** GCM encryption: returns ciphertext followed by the 16-byte tag. */
    public static byte[] gcmEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        AEADCipher cipher = gcm(true, key, nonce, aad);
        byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
        int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM failed while encrypting", e);
        }
        return out;
    }

    /**
     * GCM decryption of ciphertext followed by its 16-byte tag.
     *
     * @throws InvalidCipherTextException if the tag does not match (nothing is returned then)
     */
    public static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag)
            throws InvalidCipherTextException {
        if (ciphertextAndTag.length < GCM_TAG_BYTES) {
            throw new InvalidCipherTextException("GCM input shorter than its tag");
        }
        AEADCipher cipher = gcm(false, key, nonce, aad);
        byte[] out = new byte[cipher.getOutputSize(ciphertextAndTag.length)];
        int n = cipher.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        cipher.doFinal(out, n);
        return out;
    }

    /** A CBC/PKCS #7 cipher, initialised; shared with the CMS content encryptor and decryptor. */
    static BufferedBlockCipher cbc(boolean encrypt, byte[] key, byte[] iv) {
        BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new SM4Engine()), new PKCS7Padding());
        cipher.init(encrypt, new ParametersWithIV(new KeyParameter(requireLength("key", key, KEY_BYTES)),
                requireLength("IV", iv, BLOCK_BYTES)));
        return cipher;
    }

    private static AEADCipher gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        AEADCipher cipher = GCMBlockCipher.newInstance(new SM4Engine());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(requireLength("key", key, KEY_BYTES)),
                GCM_TAG_BYTES * 8, nonce, aad));
        return cipher;
    }

    private static byte[] run(BufferedBlockCipher cipher, byte[] in) throws InvalidCipherTextException {
        byte[] out = new byte[cipher.getOutputSize(in.length)];
        int n = cipher.processBytes(in, 0, in.length, out, 0);
        n += cipher.doFinal(out, n);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    static byte[] requireLength(String what, byte[] value, int length) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException("SM4 " + what + " must be " + length + " bytes");
        }
        return value;
    }
}
