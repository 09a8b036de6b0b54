package credit.exchange.security.gm;

import static credit.exchange.security.gm.GmFixtures.EXAMPLE_CURVE_FP256;
import static credit.exchange.security.gm.GmFixtures.bigHex;
import static credit.exchange.security.gm.GmFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.test.TestRandomBigInteger;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests against the published examples of the GM standards. Where a vector comes
 * from a standard we cannot link to freely, the comment also names a public code base that
 * carries the same numbers, so a reader can check the transcription.
 */
class GmKnownAnswerTest {

    private static final byte[] SM4_KEY = hex("0123456789abcdeffedcba9876543210");

    // ---- SM3: GM/T 0004-2012 Appendix A (= GB/T 32905-2016 Annex A, draft-oscca-cfrg-sm3-02 §A) ----

    @Test
    void sm3_abc_matchesGmT0004ExampleA1() {
        assertArrayEquals(hex("66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"),
                Sm3.hash("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sm3_abcdTimes16_matchesGmT0004ExampleA2() {
        byte[] message = "abcd".repeat(16).getBytes(StandardCharsets.US_ASCII);
        assertEquals(64, message.length);
        assertArrayEquals(hex("debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"), Sm3.hash(message));
    }

    @Test
    void sm3_hashOfParts_equalsHashOfConcatenation() {
        assertArrayEquals(Sm3.hash("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII)),
                Sm3.hash("abcd".repeat(7).getBytes(StandardCharsets.US_ASCII), "abcd".repeat(9).getBytes(StandardCharsets.US_ASCII)));
    }

    // ---- SM4: GM/T 0002-2012 Appendix A (= GB/T 32907-2016 Annex A) ----

    @Test
    void sm4_encryptBlock_matchesGmT0002ExampleA1() {
        assertArrayEquals(hex("681edf34d206965e86b3e94f536e4246"), Sm4.encryptBlock(SM4_KEY, SM4_KEY));
    }

    /**
     * GM/T 0002 Example 2: the plaintext encrypted 1,000,000 times under the same key. Runs on
     * one initialised engine (about a quarter of a second), the engine {@link Sm4} wraps.
     */
    @Test
    void sm4_encryptBlockMillionTimes_matchesGmT0002ExampleA2() {
        SM4Engine engine = new SM4Engine();
        engine.init(true, new KeyParameter(SM4_KEY));
        byte[] block = SM4_KEY.clone();
        for (int i = 0; i < 1_000_000; i++) {
            engine.processBlock(block, 0, block, 0);
        }
        assertArrayEquals(hex("595298c7c6fd271f0402f804c33d3f66"), block);
    }

    /**
     * SM4-CBC examples of draft-ribose-cfrg-sm4-10 Appendix A.2.2.1 and A.2.2.2 (no padding: two
     * whole blocks). {@link Sm4#cbcEncrypt} pads with PKCS #7, so its first two blocks must be
     * the published ones and the third the encryption of a full padding block chained on them.
     */
    @Test
    void sm4_cbcEncrypt_matchesDraftRiboseSm4ExamplesPlusOnePkcs7Block() throws InvalidCipherTextException {
        byte[] iv = hex("000102030405060708090a0b0c0d0e0f");
        byte[] plaintext = hex("aaaaaaaabbbbbbbbccccccccddddddddeeeeeeeeffffffffaaaaaaaabbbbbbbb");
        assertCbcWithPadding(SM4_KEY, iv, plaintext, hex("78ebb11cc40b0a48312aaeb2040244cb4cb7016951909226979b0d15dc6a8f6d"));
        assertCbcWithPadding(hex("fedcba98765432100123456789abcdef"), iv, plaintext,
                hex("0d3a6ddc2d21c698857215587b7bb59a91f2c147911a4144665e1fa1d40bae38"));
    }

    private static void assertCbcWithPadding(byte[] key, byte[] iv, byte[] plaintext, byte[] published) throws InvalidCipherTextException {
        byte[] ours = Sm4.cbcEncrypt(key, iv, plaintext);
        assertEquals(published.length + 16, ours.length);
        assertArrayEquals(published, Arrays.copyOf(ours, published.length));
        byte[] paddingBlock = new byte[16];
        for (int i = 0; i < 16; i++) {
            paddingBlock[i] = (byte) (0x10 ^ published[published.length - 16 + i]);
        }
        assertArrayEquals(Sm4.encryptBlock(key, paddingBlock), Arrays.copyOfRange(ours, published.length, ours.length));
        assertArrayEquals(plaintext, Sm4.cbcDecrypt(key, iv, ours));
    }

    /** RFC 8998 Appendix A.1 (SM4-GCM example), also in draft-ribose-cfrg-sm4 and OpenSSL's evpciph_sm4.txt. */
    @Test
    void sm4_gcm_matchesRfc8998ExampleA1() throws InvalidCipherTextException {
        byte[] nonce = hex("00001234567800000000ABCD");
        byte[] aad = hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        byte[] plaintext = hex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
        byte[] expected = hex("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
                + "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
                + "83DE3541E4C2B58177E065A9BF7B62EC");

        assertArrayEquals(expected, Sm4.gcmEncrypt(SM4_KEY, nonce, aad, plaintext));
        assertArrayEquals(plaintext, Sm4.gcmDecrypt(SM4_KEY, nonce, aad, expected));
        for (int i : new int[] {0, 63, 64, expected.length - 1}) {
            byte[] changed = expected.clone();
            changed[i] ^= 1;
            assertThrows(InvalidCipherTextException.class, () -> Sm4.gcmDecrypt(SM4_KEY, nonce, aad, changed));
        }
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThrows(InvalidCipherTextException.class, () -> Sm4.gcmDecrypt(SM4_KEY, nonce, otherAad, expected));
    }

    // ---- SM2 signature ----

    /**
     * The signature example of GM/T 0003.2-2012 Annex A.2 on the F_p-256 example curve, the same
     * as draft-shen-sm2-ecdsa-02 Appendix A (BouncyCastle's SM2SignerTest and OpenSSL's
     * test/sm2_internal_test.c carry it): ID "ALICE123@YAHOO.COM", message "message digest",
     * fixed k. The intermediate Z_A is published too and checks our Z computation.
     */
    @Test
    void sm2Sign_exampleCurveAliceId_matchesGmT0003Part2ExampleWithZ() {
        BigInteger d = bigHex("128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263");
        String k = "6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F";
        byte[] id = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
        byte[] message = "message digest".getBytes(StandardCharsets.US_ASCII);

        Sm2SigningKey key = Sm2SigningKey.of(new ECPrivateKeyParameters(d, EXAMPLE_CURVE_FP256), id, new TestRandomBigInteger(k, 16));
        ECPublicKeyParameters q = key.verifyingKey().publicKey();
        assertEquals(bigHex("0AE4C779 8AA0F119 471BEE11 825BE462 02BB79E2 A5844495 E97C04FF 4DF2548A"), q.getQ().getAffineXCoord().toBigInteger());
        assertEquals(bigHex("7C0240F8 8F1CD4E1 6352A73C 17B7F16F 07353E53 A176D684 A9FE0C6B B798E857"), q.getQ().getAffineYCoord().toBigInteger());
        assertArrayEquals(hex("F4A38489 E32B45B6 F876E3AC 2168CA39 2362DC8F 23459C1D 1146FC3D BFB7BC9A"), key.z());

        byte[] signature = key.sign(message);

        assertRs(signature, EXAMPLE_CURVE_FP256,
                "40F1EC59 F793D9F4 9E09DCEF 49130D41 94F79FB1 EED2CAA5 5BACDB49 C4E755D1",
                "6FC6DAC3 2C5D5CF1 0C77DFB2 0F7C2EB6 67A45787 2FB09EC5 6327A67E C7DEEBE7");
        assertArrayEquals(bouncyCastleSignature(d, EXAMPLE_CURVE_FP256, id, k, message), signature);
        assertTrue(key.verifyingKey().verify(message, signature));
    }

    /**
     * The signature example of GM/T 0003.5-2012 Annex A (= GB/T 32918.5-2017 Annex A) on the real
     * curve sm2p256v1 with the default ID "1234567812345678", as OpenSSL's
     * test/sm2_internal_test.c transcribes it: the exact setting of our envelopes.
     */
    @Test
    void sm2Sign_sm2p256v1DefaultId_matchesGmT0003Part5AnnexA() {
        BigInteger d = bigHex("3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8");
        String k = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";
        byte[] message = "message digest".getBytes(StandardCharsets.US_ASCII);
        ECDomainParameters sm2 = GmAlgorithms.sm2p256v1();

        Sm2SigningKey key = Sm2SigningKey.of(new ECPrivateKeyParameters(d, sm2), GmAlgorithms.defaultSignerId(), new TestRandomBigInteger(k, 16));
        byte[] signature = key.sign(message);

        assertRs(signature, sm2,
                "F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3",
                "B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA");
        assertArrayEquals(bouncyCastleSignature(d, sm2, GmAlgorithms.defaultSignerId(), k, message), signature);
        assertTrue(key.verifyingKey().verify(message, signature));
    }

    private static void assertRs(byte[] der, ECDomainParameters domain, String r, String s) {
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(domain.getN(), der);
        } catch (java.io.IOException e) {
            throw new AssertionError("signature is not DER SEQUENCE {r, s}", e);
        }
        assertEquals(bigHex(r), rs[0], "r");
        assertEquals(bigHex(s), rs[1], "s");
    }

    private static byte[] bouncyCastleSignature(BigInteger d, ECDomainParameters domain, byte[] id, String k, byte[] message) {
        SM2Signer signer = new SM2Signer();
        signer.init(true, new ParametersWithID(new ParametersWithRandom(new ECPrivateKeyParameters(d, domain),
                new TestRandomBigInteger(k, 16)), id));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new AssertionError(e);
        }
    }

    // ---- SM2 encryption ----

    /**
     * The encryption example of GM/T 0003.4-2012 Annex A.2 on the F_p-256 example curve (message
     * "encryption standard", fixed k). The standard prints C1 || C3 || C2; the DER SM2Cipher of
     * the same values is OpenSSL's test/sm2_internal_test.c vector.
     */
    @Test
    void sm2Encrypt_exampleCurve_matchesGmT0003Part4ExampleInRawAndAsn1Form() throws InvalidCipherTextException {
        BigInteger d = bigHex("1649AB77 A00637BD 5E2EFE28 3FBF3535 34AA7F7C B89463F2 08DDBC29 20BB0DA0");
        String k = "4C62EEFD6ECFC2B95B92FD6C3D9575148AFA17425546D49018E5388D49DD7B4F";
        byte[] c1 = hex("04 245C26FB 68B1DDDD B12C4B6B F9F2B6D5 FE60A383 B0D18D1C 4144ABF1 7F6252E7"
                + "76CB9264 C2A7E88E 52B19903 FDC47378 F605E368 11F5C074 23A24B84 400F01B8");
        byte[] c3 = hex("9C3D7360 C30156FA B7C80A02 76712DA9 D8094A63 4B766D3A 285E0748 0653426D");
        byte[] c2 = hex("650053 A89B41C4 18B0C3AA D00D886C 00286467");
        byte[] asn1 = hex("307B0220245C26FB68B1DDDDB12C4B6BF9F2B6D5FE60A383B0D18D1C4144ABF1"
                + "7F6252E7022076CB9264C2A7E88E52B19903FDC47378F605E36811F5C07423A2"
                + "4B84400F01B804209C3D7360C30156FAB7C80A0276712DA9D8094A634B766D3A"
                + "285E07480653426D0413650053A89B41C418B0C3AAD00D886C00286467");
        byte[] message = "encryption standard".getBytes(StandardCharsets.US_ASCII);
        ECPrivateKeyParameters privateKey = new ECPrivateKeyParameters(d, EXAMPLE_CURVE_FP256);
        ECPublicKeyParameters publicKey = publicOf(privateKey);

        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(publicKey, new TestRandomBigInteger(k, 16)));
        assertArrayEquals(concat(c1, c3, c2), engine.processBlock(message, 0, message.length));

        assertArrayEquals(asn1, Sm2Encryption.encrypt(publicKey, message, new TestRandomBigInteger(k, 16)));
        assertArrayEquals(concat(c1, c3, c2), Sm2Encryption.fromAsn1(asn1, EXAMPLE_CURVE_FP256));
        assertArrayEquals(message, Sm2Encryption.decrypt(privateKey, asn1));
    }

    /**
     * The encryption example of GM/T 0003.5-2012 Annex C (= GB/T 32918.5-2017 Annex C) on
     * sm2p256v1, in the GM/T 0009 DER form OpenSSL's test/sm2_internal_test.c gives it. Its y
     * has the top bit set, so the INTEGER carries a leading zero byte.
     */
    @Test
    void sm2Encrypt_sm2p256v1_matchesGmT0003Part5AnnexC() throws InvalidCipherTextException {
        BigInteger d = bigHex("3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8");
        String k = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";
        byte[] asn1 = hex("307C"
                + "0220 04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
                + "0221 00 E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
                + "0420 59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
                + "0413 21886CA989CA9C7D58087307CA93092D651EFA");
        byte[] message = "encryption standard".getBytes(StandardCharsets.US_ASCII);
        ECPrivateKeyParameters privateKey = new ECPrivateKeyParameters(d, GmAlgorithms.sm2p256v1());

        assertArrayEquals(asn1, Sm2Encryption.encrypt(publicOf(privateKey), message, new TestRandomBigInteger(k, 16)));
        assertArrayEquals(message, Sm2Encryption.decrypt(privateKey, asn1));
    }

    private static ECPublicKeyParameters publicOf(ECPrivateKeyParameters key) {
        ECDomainParameters domain = key.getParameters();
        return new ECPublicKeyParameters(new FixedPointCombMultiplier().multiply(domain.getG(), key.getD()).normalize(), domain);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
