package credit.exchange.security.gm;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.util.BigIntegers;

/**
 * SM2 public-key encryption (GM/T 0003.4 / GB/T 32918.4, SM2公钥加密算法) with SM3, producing the
 * ciphertext format GM/T 0009 §7.2 defines and GM/T 0010 puts into a CMS
 * KeyTransRecipientInfo's encryptedKey:
 *
 * <pre>
 * SM2Cipher ::= SEQUENCE {
 *     XCoordinate INTEGER,                -- x of C1 = [k]G
 *     YCoordinate INTEGER,                -- y of C1
 *     HASH        OCTET STRING SIZE(32),  -- C3 = SM3(x2 || M || y2)
 *     CipherText  OCTET STRING }          -- C2 = M xor KDF(x2 || y2)
 * </pre>
 *
 * <p>That is the C1C3C2 order of the 2012 standard (the 2010 draft had C1C2C3), with C1 carried
 * as its two coordinates rather than a point encoding. OpenSSL's {@code pkeyutl -encrypt} with
 * an SM2 key, GmSSL 3 and Go's gmsm write exactly this. The raw form BouncyCastle's
 * {@link SM2Engine} works on is {@code 04 || x || y || C3 || C2} (C1 an uncompressed point,
 * coordinates zero-padded to the field length); {@link #toAsn1} and {@link #fromAsn1} convert.
 *
 * <p>Decryption accepts DER only, so a ciphertext has exactly one encoding. Stateless and
 * thread-safe.
 */
public final class Sm2Encryption {

    private Sm2Encryption() {
    }

    /** Encrypts {@code plaintext} (at least one byte) to {@code key}; returns an SM2Cipher in DER. */
    public static byte[] encrypt(ECPublicKeyParameters key, byte[] plaintext, SecureRandom random) {
        if (plaintext.length == 0) {
            throw new IllegalArgumentException("SM2 cannot encrypt an empty message");
        }
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(key, random));
        try {
            return toAsn1(engine.processBlock(plaintext, 0, plaintext.length), key.getParameters());
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("SM2 encryption failed", e);
        }
    }

    /**
     * Decrypts a DER SM2Cipher with {@code key}.
     *
     * @throws InvalidCipherTextException if it is not a well-formed SM2Cipher in DER, C1 is not a
     *     point of the curve, or C3 does not match (a wrong key or any changed byte)
     */
    public static byte[] decrypt(ECPrivateKeyParameters key, byte[] sm2Cipher) throws InvalidCipherTextException {
        byte[] raw = fromAsn1(sm2Cipher, key.getParameters());
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(false, key);
        try {
            return engine.processBlock(raw, 0, raw.length);
        } catch (RuntimeException e) {
            // an invalid C1 point surfaces from the curve code as IllegalArgumentException
            throw new InvalidCipherTextException("invalid SM2 ciphertext", e);
        }
    }

    /** Converts BouncyCastle's raw C1C3C2 bytes on {@code domain} to a DER SM2Cipher. */
    public static byte[] toAsn1(byte[] c1c3c2, ECDomainParameters domain) {
        int fieldBytes = fieldBytes(domain);
        int c1 = 1 + 2 * fieldBytes;
        if (c1c3c2.length <= c1 + Sm3.DIGEST_BYTES || c1c3c2[0] != 0x04) {
            throw new IllegalArgumentException("not a raw C1C3C2 SM2 ciphertext with an uncompressed C1");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(c1c3c2, 1, 1 + fieldBytes));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(c1c3c2, 1 + fieldBytes, c1));
        byte[] c3 = Arrays.copyOfRange(c1c3c2, c1, c1 + Sm3.DIGEST_BYTES);
        byte[] c2 = Arrays.copyOfRange(c1c3c2, c1 + Sm3.DIGEST_BYTES, c1c3c2.length);
        try {
            return new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(x), new ASN1Integer(y), new DEROctetString(c3), new DEROctetString(c2)
            }).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding failed", e);
        }
    }

    /**
     * Converts a DER SM2Cipher to BouncyCastle's raw C1C3C2 bytes on {@code domain}.
     *
     * @throws InvalidCipherTextException if it is not exactly a DER SM2Cipher whose coordinates
     *     fit the field and whose hash is 32 bytes
     */
    public static byte[] fromAsn1(byte[] sm2Cipher, ECDomainParameters domain) throws InvalidCipherTextException {
        ASN1Sequence seq;
        try {
            seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(sm2Cipher));
            if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), sm2Cipher)) {
                throw new InvalidCipherTextException("SM2 ciphertext is not DER");
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidCipherTextException("SM2 ciphertext is not an SM2Cipher SEQUENCE", e);
        }
        if (seq.size() != 4
                || !(seq.getObjectAt(0) instanceof ASN1Integer x)
                || !(seq.getObjectAt(1) instanceof ASN1Integer y)
                || !(seq.getObjectAt(2) instanceof ASN1OctetString hash)
                || !(seq.getObjectAt(3) instanceof ASN1OctetString text)) {
            throw new InvalidCipherTextException("SM2Cipher must be SEQUENCE {INTEGER, INTEGER, OCTET STRING, OCTET STRING}");
        }
        int fieldBytes = fieldBytes(domain);
        BigInteger p = domain.getCurve().getField().getCharacteristic();
        if (!inField(x.getValue(), p) || !inField(y.getValue(), p)) {
            throw new InvalidCipherTextException("SM2Cipher coordinates outside the field");
        }
        if (hash.getOctets().length != Sm3.DIGEST_BYTES || text.getOctets().length == 0) {
            throw new InvalidCipherTextException("SM2Cipher hash must be 32 bytes and the ciphertext non-empty");
        }
        byte[] c2 = text.getOctets();
        byte[] raw = new byte[1 + 2 * fieldBytes + Sm3.DIGEST_BYTES + c2.length];
        raw[0] = 0x04;
        BigIntegers.asUnsignedByteArray(x.getValue(), raw, 1, fieldBytes);
        BigIntegers.asUnsignedByteArray(y.getValue(), raw, 1 + fieldBytes, fieldBytes);
        System.arraycopy(hash.getOctets(), 0, raw, 1 + 2 * fieldBytes, Sm3.DIGEST_BYTES);
        System.arraycopy(c2, 0, raw, 1 + 2 * fieldBytes + Sm3.DIGEST_BYTES, c2.length);
        return raw;
    }

    private static boolean inField(BigInteger v, BigInteger p) {
        return v.signum() >= 0 && v.compareTo(p) < 0;
    }

    private static int fieldBytes(ECDomainParameters domain) {
        return (domain.getCurve().getFieldSize() + 7) / 8;
    }
}
