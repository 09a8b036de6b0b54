package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.BERSequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SM2Cipher codec accepts exactly one encoding of a ciphertext and nothing that is not one. */
class Sm2EncryptionTest {

    private static final byte[] CEK = GmFixtures.hex("00112233445566778899aabbccddeeff");

    private static ECPrivateKeyParameters privateKey;
    private static ECPublicKeyParameters publicKey;
    private static byte[] ciphertext;
    private static ASN1Sequence fields;

    @BeforeAll
    static void keyAndCiphertext() throws Exception {
        privateKey = Sm2Keys.privateKey(GmFixtures.sm2KeyPair().getPrivate());
        publicKey = new ECPublicKeyParameters(GmAlgorithms.sm2p256v1().getG().multiply(privateKey.getD()).normalize(), GmAlgorithms.sm2p256v1());
        ciphertext = Sm2Encryption.encrypt(publicKey, CEK, new SecureRandom());
        fields = ASN1Sequence.getInstance(ciphertext);
    }

    @Test
    void encryptThenDecrypt_returnsThePlaintext_andAsn1RoundTripsThroughRawForm() throws Exception {
        assertArrayEquals(CEK, Sm2Encryption.decrypt(privateKey, ciphertext));
        byte[] raw = Sm2Encryption.fromAsn1(ciphertext, GmAlgorithms.sm2p256v1());
        assertEquals(1 + 64 + 32 + CEK.length, raw.length, "04 || x || y || C3 || C2");
        assertEquals(0x04, raw[0]);
        assertArrayEquals(ciphertext, Sm2Encryption.toAsn1(raw, GmAlgorithms.sm2p256v1()));
    }

    @Test
    void decrypt_withAnotherKey_fails() throws Exception {
        ECPrivateKeyParameters other = Sm2Keys.privateKey(GmFixtures.sm2KeyPair().getPrivate());
        assertThrows(InvalidCipherTextException.class, () -> Sm2Encryption.decrypt(other, ciphertext));
    }

    @Test
    void decrypt_refusesOtherEncodingsAndShapes() throws Exception {
        ASN1Encodable x = fields.getObjectAt(0);
        ASN1Encodable y = fields.getObjectAt(1);
        ASN1Encodable hash = fields.getObjectAt(2);
        ASN1Encodable text = fields.getObjectAt(3);
        byte[] trailing = java.util.Arrays.copyOf(ciphertext, ciphertext.length + 1);
        BigInteger p = GmAlgorithms.sm2p256v1().getCurve().getField().getCharacteristic();
        BigInteger xValue = ASN1Integer.getInstance(x).getValue();

        for (byte[] bad : new byte[][] {
            trailing,
            new BERSequence(new ASN1Encodable[] {x, y, hash, text}).getEncoded(),                       // indefinite length
            new DERSequence(new ASN1Encodable[] {x, y, hash}).getEncoded(),                            // C2 missing
            new DERSequence(new ASN1Encodable[] {x, y, hash, text, text}).getEncoded(),                // extra field
            new DERSequence(new ASN1Encodable[] {x, y, text, hash}).getEncoded(),                      // C1C2C3 order
            new DERSequence(new ASN1Encodable[] {x, y, new DEROctetString(new byte[31]), text}).getEncoded(),
            new DERSequence(new ASN1Encodable[] {x, y, hash, new DEROctetString(new byte[0])}).getEncoded(),
            new DERSequence(new ASN1Encodable[] {new ASN1Integer(xValue.negate()), y, hash, text}).getEncoded(),
            new DERSequence(new ASN1Encodable[] {new ASN1Integer(xValue.add(p)), y, hash, text}).getEncoded(),
            new DERSequence(new ASN1Encodable[] {y, x, hash, text}).getEncoded(),                      // not a curve point
            Sm2Encryption.fromAsn1(ciphertext, GmAlgorithms.sm2p256v1()),                              // raw, not ASN.1
            new byte[0]}) {
            assertThrows(InvalidCipherTextException.class, () -> Sm2Encryption.decrypt(privateKey, bad));
        }
        assertArrayEquals(CEK, Sm2Encryption.decrypt(privateKey, new DERSequence(new ASN1Encodable[] {x, y, hash, text}).getEncoded()));
        assertEquals(32, ASN1OctetString.getInstance(hash).getOctets().length);
    }

    @Test
    void encrypt_refusesAnEmptyMessage() {
        assertThrows(IllegalArgumentException.class, () -> Sm2Encryption.encrypt(publicKey, new byte[0], new SecureRandom()));
    }
}
