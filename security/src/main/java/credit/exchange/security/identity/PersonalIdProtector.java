package credit.exchange.security.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps resident ID numbers (居民身份证号码) out of the clear. The store holds two things per
 * number: a keyed hash (HMAC-SHA256 under the node's lookup key) to find a subject by number,
 * and a sealed copy (AES-256-GCM under the node's sealing key) for the rare lawful need to
 * recover it. Neither reveals the number without the node's keys.
 *
 * <p>Thread-safe: one instance serves the whole node.
 */
public final class PersonalIdProtector {

    private static final byte SEALED_FORMAT_V1 = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec lookupKey;
    private final SecretKeySpec sealingKey;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs;

    public PersonalIdProtector(ProtectionKeys keys) {
        this.lookupKey = new SecretKeySpec(keys.lookupKey(), "HmacSHA256");
        this.sealingKey = new SecretKeySpec(keys.sealingKey(), "AES");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The keyed hash used to find a subject by resident ID; equal numbers give equal hashes. */
    public byte[] lookupHash(String residentId) {
        return macs.get().doFinal(residentId.getBytes(StandardCharsets.UTF_8));
    }

    /** The lookup hash as lower-case hex, the form used in subject keys. */
    public String lookupHashHex(String residentId) {
        return HexFormat.of().formatHex(lookupHash(residentId));
    }

    /** Encrypts the number for storage: format byte, random nonce, ciphertext with tag. */
    public byte[] seal(String residentId) {
        return seal(sealingKey, residentId.getBytes(StandardCharsets.UTF_8), random);
    }

    /** Recovers a number sealed by {@link #seal}; fails if the bytes were altered or the key differs. */
    public String unseal(byte[] sealed) {
        return new String(unseal(sealingKey, sealed), StandardCharsets.UTF_8);
    }

    /** AES-256-GCM in this class's sealed format; also wraps the key file under the passphrase's key. */
    static byte[] seal(SecretKeySpec key, byte[] plain, SecureRandom random) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {SEALED_FORMAT_V1});
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(SEALED_FORMAT_V1).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    static byte[] unseal(SecretKeySpec key, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != SEALED_FORMAT_V1) {
            throw new IllegalArgumentException("not a sealed value of a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(new byte[] {SEALED_FORMAT_V1});
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed value does not open under this key", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(lookupKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
