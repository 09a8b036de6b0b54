package credit.exchange.security.gm;

import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The SM3 hash (GM/T 0004 / GB/T 32905, SM3密码杂凑算法): 256-bit output. Stateless and
 * thread-safe.
 */
public final class Sm3 {

    /** Output length in bytes. */
    public static final int DIGEST_BYTES = 32;

    private Sm3() {
    }

    /** SM3 of the concatenation of {@code parts}. */
    public static byte[] hash(byte[]... parts) {
        SM3Digest digest = new SM3Digest();
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[DIGEST_BYTES];
        digest.doFinal(out, 0);
        return out;
    }
}
