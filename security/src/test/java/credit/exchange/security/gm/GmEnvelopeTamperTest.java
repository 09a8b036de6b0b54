package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a changed byte does to a GM EnvelopedData. The encrypted key is authenticated by SM2
 * itself (C3); the SM4-CBC content is not, so the content's integrity has to come from the
 * SignedData the gateway seals inside (sign, then envelope), checked strictly on opening.
 */
class GmEnvelopeTamperTest {

    private static final byte[] PAYLOAD = ("{\"type\":\"query\",\"messageId\":\"4f1c2a9e\",\"subject\":\"91330106MA27Y5XH7J\","
            + "\"fields\":[\"name\",\"penalties\",\"licences\"]}").getBytes(StandardCharsets.UTF_8);

    private static KeyPair sender;
    private static X509CertificateHolder senderCert;
    private static KeyPair recipient;
    private static X509CertificateHolder recipientCert;
    private static Sm2KeyTransRecipient recipientKey;
    private static SignerInformationVerifier senderVerifier;

    @BeforeAll
    static void nodes() throws Exception {
        sender = GmFixtures.sm2KeyPair();
        senderCert = GmFixtures.selfSignedCertificate("node-hangzhou", sender);
        recipient = GmFixtures.sm2KeyPair();
        recipientCert = GmFixtures.selfSignedCertificate("node-shaoxing", recipient);
        recipientKey = new Sm2KeyTransRecipient(recipient.getPrivate());
        senderVerifier = Sm2VerifyingKey.of(senderCert).signerInformationVerifier();
    }

    @Test
    void everySingleBitFlipOfTheEncryptedKey_failsToOpenWithCmsException() throws Exception {
        byte[] envelope = GmEnvelopedDataTest.envelope(PAYLOAD, recipientCert);
        int[] range = octetsRange(envelope, encryptedKey(envelope));

        int flips = 0;
        for (int bit = range[0] * 8; bit < range[1] * 8; bit++) {
            byte[] changed = flipBit(envelope, bit);
            assertThrows(CMSException.class, () -> GmEnvelopedDataTest.open(changed, recipientCert, recipientKey), "bit " + bit);
            flips++;
        }
        assertTrue(flips >= 8 * 120, "the whole SM2Cipher was covered");
    }

    /**
     * CBC alone does not protect the content: flipping IV bit j flips plaintext bit j, with no
     * error. This is why the content must be a SignedData checked after decryption.
     */
    @Test
    void ivBitFlip_flipsTheSamePlaintextBitSilently_cbcHasNoIntegrity() throws Exception {
        byte[] envelope = GmEnvelopedDataTest.envelope(PAYLOAD, recipientCert);
        int[] iv = octetsRange(envelope, ASN1OctetString.getInstance(enveloped(envelope).getEncryptedContentInfo()
                .getContentEncryptionAlgorithm().getParameters()).getOctets());

        byte[] opened = GmEnvelopedDataTest.open(flipBit(envelope, iv[0] * 8 + 5), recipientCert, recipient);

        byte[] expected = PAYLOAD.clone();
        expected[0] ^= (byte) 0x04;
        assertArrayEquals(expected, opened);
    }

    @Test
    void contentBitFlipInAnEarlyBlock_opensToOtherBytesSilently_cbcHasNoIntegrity() throws Exception {
        byte[] envelope = GmEnvelopedDataTest.envelope(PAYLOAD, recipientCert);
        int[] content = octetsRange(envelope, enveloped(envelope).getEncryptedContentInfo().getEncryptedContent().getOctets());

        byte[] opened = GmEnvelopedDataTest.open(flipBit(envelope, content[0] * 8), recipientCert, recipient);

        assertEquals(PAYLOAD.length, opened.length);
        assertFalse(Arrays.equals(PAYLOAD, opened));
        assertArrayEquals(Arrays.copyOfRange(PAYLOAD, 32, PAYLOAD.length), Arrays.copyOfRange(opened, 32, opened.length),
                "only the changed block and the bit after it differ");
    }

    /**
     * Sign, then envelope, then check strictly on opening (DER only, content type signedData,
     * the expected signer, signature valid): every single-bit flip of the encrypted key, the IV
     * or the encrypted content is refused.
     */
    @Test
    void signedThenEnveloped_everySingleBitFlipOfKeyIvOrContent_isRefused() throws Exception {
        byte[] envelope = GmEnvelopedDataTest.envelope(signedPayload(), recipientCert);
        assertArrayEquals(PAYLOAD, openSigned(envelope));
        EnvelopedData parsed = enveloped(envelope);
        List<int[]> ranges = List.of(
                octetsRange(envelope, encryptedKey(envelope)),
                octetsRange(envelope, ASN1OctetString.getInstance(parsed.getEncryptedContentInfo()
                        .getContentEncryptionAlgorithm().getParameters()).getOctets()),
                octetsRange(envelope, parsed.getEncryptedContentInfo().getEncryptedContent().getOctets()));

        List<Integer> accepted = new ArrayList<>();
        for (int[] range : ranges) {
            for (int bit = range[0] * 8; bit < range[1] * 8; bit++) {
                try {
                    openSigned(flipBit(envelope, bit));
                    accepted.add(bit);
                } catch (Exception refused) {
                    // expected: decryption, parsing or verification failed
                }
            }
        }
        assertEquals(List.of(), accepted, "bit flips that opened without error");
    }

    /** A SignedData over PAYLOAD by the sender's precomputed-Z key, DER, without certificates. */
    private static byte[] signedPayload() throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(GmFixtures.BC).build())
                .build(Sm2SigningKey.of(sender.getPrivate()).contentSigner(), senderCert));
        return generator.generate(new CMSProcessableByteArray(PAYLOAD), true).getEncoded(ASN1Encoding.DER);
    }

    /** The strict opening a receiver must do; throws on anything but a valid signature by the sender. */
    private static byte[] openSigned(byte[] envelope) throws Exception {
        byte[] inner = GmEnvelopedDataTest.open(envelope, recipientCert, recipientKey);
        ASN1Primitive parsed = ASN1Primitive.fromByteArray(inner);
        if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), inner)) {
            throw new CMSException("inner content is not DER");
        }
        ContentInfo contentInfo = ContentInfo.getInstance(parsed);
        if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
            throw new CMSException("inner content is not SignedData");
        }
        CMSSignedData signed = new CMSSignedData(contentInfo);
        if (signed.getSignerInfos().size() != 1) {
            throw new CMSException("expected exactly one signer");
        }
        SignerInformation signer = signed.getSignerInfos().get(new SignerId(senderCert.getIssuer(), senderCert.getSerialNumber()));
        if (signer == null || !signer.verify(senderVerifier)) {
            throw new CMSException("not signed by the sender");
        }
        return (byte[]) signed.getSignedContent().getContent();
    }

    private static EnvelopedData enveloped(byte[] envelope) {
        return EnvelopedData.getInstance(ContentInfo.getInstance(envelope).getContent());
    }

    private static byte[] encryptedKey(byte[] envelope) {
        RecipientInfo info = RecipientInfo.getInstance(enveloped(envelope).getRecipientInfos().getObjectAt(0));
        return KeyTransRecipientInfo.getInstance(info.getInfo()).getEncryptedKey().getOctets();
    }

    /** [start, end) of {@code octets} inside {@code encoding}, which must hold them exactly once. */
    private static int[] octetsRange(byte[] encoding, byte[] octets) {
        int found = -1;
        for (int i = 0; i <= encoding.length - octets.length; i++) {
            if (Arrays.equals(encoding, i, i + octets.length, octets, 0, octets.length)) {
                if (found >= 0) {
                    fail("octets occur twice in the encoding");
                }
                found = i;
            }
        }
        assertTrue(found >= 0, "octets not found in the encoding");
        return new int[] {found, found + octets.length};
    }

    private static byte[] flipBit(byte[] data, int bit) {
        byte[] changed = data.clone();
        changed[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        return changed;
    }
}
