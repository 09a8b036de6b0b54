package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CMS EnvelopedData with SM2 key transport and SM4-CBC, made and opened with stock BouncyCastle CMS classes. */
class GmEnvelopedDataTest {

    private static KeyPair alice;
    private static X509CertificateHolder aliceCert;
    private static KeyPair bob;
    private static X509CertificateHolder bobCert;

    @BeforeAll
    static void nodes() throws Exception {
        alice = GmFixtures.sm2KeyPair();
        aliceCert = GmFixtures.selfSignedCertificate("node-hangzhou", alice);
        bob = GmFixtures.sm2KeyPair();
        bobCert = GmFixtures.selfSignedCertificate("node-huzhou", bob);
    }

    static byte[] envelope(byte[] content, X509CertificateHolder... recipients) throws CMSException {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        for (X509CertificateHolder recipient : recipients) {
            generator.addRecipientInfoGenerator(new Sm2KeyTransRecipientInfoGenerator(recipient));
        }
        try {
            return generator.generate(new CMSProcessableByteArray(content), new Sm4CbcContentEncryptor()).getEncoded();
        } catch (IOException e) {
            throw new CMSException("encoding failed", e);
        }
    }

    static byte[] open(byte[] envelope, X509CertificateHolder recipient, KeyPair keys) throws CMSException {
        return open(envelope, recipient, new Sm2KeyTransRecipient(keys.getPrivate()));
    }

    /** Opens the recipient info addressed to {@code recipient}'s issuer and serial number. */
    static byte[] open(byte[] envelope, X509CertificateHolder recipient, Sm2KeyTransRecipient key) throws CMSException {
        RecipientInformation info = new CMSEnvelopedData(envelope).getRecipientInfos()
                .get(new KeyTransRecipientId(recipient.getIssuer(), recipient.getSerialNumber()));
        if (info == null) {
            throw new CMSException("no recipient info for this node");
        }
        return info.getContent(key);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 15, 16, 17, 2048, 65536})
    void envelope_sm2KeyTransportAndSm4Cbc_opensWithTheRecipientsKey(int size) throws Exception {
        byte[] content = new byte[size];
        new SecureRandom().nextBytes(content);

        byte[] envelope = envelope(content, aliceCert);

        assertArrayEquals(content, open(envelope, aliceCert, alice));
    }

    @Test
    void envelope_hasTheGmT0010AlgorithmIdentifiersAndAnSm2CipherKey() throws Exception {
        byte[] envelope = envelope("{\"query\":\"91330106MA27Y5XH7J\"}".getBytes(StandardCharsets.UTF_8), aliceCert);

        ContentInfo contentInfo = ContentInfo.getInstance(envelope);
        assertEquals(new ASN1ObjectIdentifier("1.2.840.113549.1.7.3"), contentInfo.getContentType(), "RFC 5652 id-envelopedData");
        EnvelopedData enveloped = EnvelopedData.getInstance(contentInfo.getContent());
        AlgorithmIdentifier contentAlgorithm = enveloped.getEncryptedContentInfo().getContentEncryptionAlgorithm();
        assertEquals(new ASN1ObjectIdentifier("1.2.156.10197.1.104.2"), contentAlgorithm.getAlgorithm());
        assertEquals(16, ASN1OctetString.getInstance(contentAlgorithm.getParameters()).getOctets().length, "IV");

        assertEquals(1, enveloped.getRecipientInfos().size());
        KeyTransRecipientInfo ktri = KeyTransRecipientInfo.getInstance(
                RecipientInfo.getInstance(enveloped.getRecipientInfos().getObjectAt(0)).getInfo());
        assertEquals(0, ktri.getVersion().intValueExact(), "issuerAndSerialNumber recipient");
        assertEquals(new ASN1ObjectIdentifier("1.2.156.10197.1.301.3"), ktri.getKeyEncryptionAlgorithm().getAlgorithm());
        assertNull(ktri.getKeyEncryptionAlgorithm().getParameters(), "sm2-3 is written without parameters");

        ASN1Sequence sm2Cipher = ASN1Sequence.getInstance(ktri.getEncryptedKey().getOctets());
        assertEquals(4, sm2Cipher.size(), "SM2Cipher {x, y, hash, ciphertext}");
        assertEquals(32, ASN1OctetString.getInstance(sm2Cipher.getObjectAt(2)).getOctets().length, "C3 is an SM3 hash");
        assertEquals(16, ASN1OctetString.getInstance(sm2Cipher.getObjectAt(3)).getOctets().length, "C2 hides the 128-bit SM4 key");
    }

    @Test
    void envelope_twiceForTheSameContent_usesFreshKeyAndIv() throws Exception {
        byte[] content = "same payload".getBytes(StandardCharsets.UTF_8);

        EnvelopedData first = envelopedData(envelope(content, aliceCert));
        EnvelopedData second = envelopedData(envelope(content, aliceCert));

        assertFalse(Arrays.equals(iv(first), iv(second)));
        assertFalse(Arrays.equals(first.getEncryptedContentInfo().getEncryptedContent().getOctets(),
                second.getEncryptedContentInfo().getEncryptedContent().getOctets()));
    }

    @Test
    void envelope_forTwoRecipients_opensForEachWithItsOwnKey() throws Exception {
        byte[] content = "black-list notice 2024-17".getBytes(StandardCharsets.UTF_8);

        byte[] envelope = envelope(content, aliceCert, bobCert);

        assertArrayEquals(content, open(envelope, aliceCert, alice));
        assertArrayEquals(content, open(envelope, bobCert, bob));
    }

    @Test
    void envelope_openedWithAnotherNodesKey_failsWithCmsException() throws Exception {
        byte[] envelope = envelope("for alice".getBytes(StandardCharsets.UTF_8), aliceCert);
        RecipientInformation aliceInfo = new CMSEnvelopedData(envelope).getRecipientInfos().getRecipients().iterator().next();

        CMSException refused = assertThrows(CMSException.class, () -> aliceInfo.getContent(new Sm2KeyTransRecipient(bob.getPrivate())));
        assertEquals("cannot decrypt the SM2-encrypted content-encryption key", refused.getMessage());
    }

    @Test
    void envelope_recipientNamedBySubjectKeyIdentifier_opens() throws Exception {
        byte[] ski = SubjectKeyIdentifier.fromExtensions(aliceCert.getExtensions()).getKeyIdentifier();
        ECPublicKeyParameters aliceKey = Sm2Keys.publicKey(aliceCert);
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new Sm2KeyTransRecipientInfoGenerator(ski, aliceKey, new SecureRandom()));
        byte[] content = "by key id".getBytes(StandardCharsets.UTF_8);

        CMSEnvelopedData envelope = generator.generate(new CMSProcessableByteArray(content), new Sm4CbcContentEncryptor());

        RecipientInformation info = envelope.getRecipientInfos().get(new KeyTransRecipientId(ski));
        assertNotNull(info);
        assertEquals(RecipientId.keyTrans, info.getRID().getType());
        assertArrayEquals(content, info.getContent(new Sm2KeyTransRecipient(alice.getPrivate())));
        assertNotNull(aliceCert.getExtension(Extension.subjectKeyIdentifier));
    }

    @Test
    void recipient_acceptsNullParametersOnSm2Encrypt_asGoGmsmWritesThem() throws Exception {
        byte[] cek = new byte[16];
        byte[] encryptedKey = Sm2Encryption.encrypt(Sm2Keys.publicKey(aliceCert), cek, new SecureRandom());
        AlgorithmIdentifier withNull = new AlgorithmIdentifier(GmAlgorithms.SM2_ENCRYPT, DERNull.INSTANCE);

        assertNotNull(new Sm2KeyTransRecipient(alice.getPrivate()).getRecipientOperator(withNull, sm4Cbc(), encryptedKey));
    }

    @Test
    void recipient_refusesOtherKeyEncryptionAlgorithms() throws Exception {
        byte[] encryptedKey = Sm2Encryption.encrypt(Sm2Keys.publicKey(aliceCert), new byte[16], new SecureRandom());
        Sm2KeyTransRecipient recipient = new Sm2KeyTransRecipient(alice.getPrivate());

        for (AlgorithmIdentifier other : new AlgorithmIdentifier[] {
            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.1.1.1")),   // rsaEncryption
            new AlgorithmIdentifier(GmAlgorithms.SM2),                                  // the curve, not sm2-3
            new AlgorithmIdentifier(GmAlgorithms.SM2_ENCRYPT, GmAlgorithms.SM3)}) {     // unexpected parameters
            assertThrows(CMSException.class, () -> recipient.getRecipientOperator(other, sm4Cbc(), encryptedKey), other.toString());
        }
    }

    @Test
    void recipient_refusesContentEncryptionOtherThanSm4CbcWithA16ByteIv() throws Exception {
        byte[] encryptedKey = Sm2Encryption.encrypt(Sm2Keys.publicKey(aliceCert), new byte[16], new SecureRandom());
        Sm2KeyTransRecipient recipient = new Sm2KeyTransRecipient(alice.getPrivate());
        AlgorithmIdentifier sm2Encrypt = new AlgorithmIdentifier(GmAlgorithms.SM2_ENCRYPT);

        for (AlgorithmIdentifier other : new AlgorithmIdentifier[] {
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes128_CBC, new DEROctetString(new byte[16])),
            new AlgorithmIdentifier(GmAlgorithms.SM4, new DEROctetString(new byte[16])),
            new AlgorithmIdentifier(GmAlgorithms.SM4_CBC, new DEROctetString(new byte[8])),
            new AlgorithmIdentifier(GmAlgorithms.SM4_CBC)}) {
            assertThrows(CMSException.class, () -> recipient.getRecipientOperator(sm2Encrypt, other, encryptedKey), other.toString());
        }
    }

    @Test
    void recipient_refusesAContentKeyThatIsNot16Bytes() throws Exception {
        byte[] encryptedKey = Sm2Encryption.encrypt(Sm2Keys.publicKey(aliceCert), new byte[32], new SecureRandom());

        assertThrows(CMSException.class, () -> new Sm2KeyTransRecipient(alice.getPrivate())
                .getRecipientOperator(new AlgorithmIdentifier(GmAlgorithms.SM2_ENCRYPT), sm4Cbc(), encryptedKey));
    }

    @Test
    void generator_refusesARecipientCertificateWithoutAnSm2Key() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", GmFixtures.BC);
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        X509CertificateHolder p256Cert = new JcaX509v3CertificateBuilder(new X500Name("CN=p256"), BigInteger.ONE,
                new Date(), new Date(System.currentTimeMillis() + 86_400_000L), new X500Name("CN=p256"), p256.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(p256.getPrivate()));

        assertThrows(IllegalArgumentException.class, () -> new Sm2KeyTransRecipientInfoGenerator(p256Cert));
    }

    @Test
    void stockJceContentEncryptor_hasNoSm4Cbc_whichIsWhyOursExists() {
        // DESIGN.md "Library facts": BouncyCastle's JCE provider has no key generator for 1.2.156.10197.1.104.2.
        CMSException missing = assertThrows(CMSException.class, () -> new JceCMSContentEncryptorBuilder(
                GmAlgorithms.SM4_CBC).setProvider(GmFixtures.BC).build());
        assertNotNull(missing.getMessage());
    }

    private static AlgorithmIdentifier sm4Cbc() {
        return new AlgorithmIdentifier(GmAlgorithms.SM4_CBC, new DEROctetString(new byte[16]));
    }

    private static EnvelopedData envelopedData(byte[] envelope) {
        return EnvelopedData.getInstance(ContentInfo.getInstance(envelope).getContent());
    }

    private static byte[] iv(EnvelopedData enveloped) {
        return ASN1OctetString.getInstance(enveloped.getEncryptedContentInfo().getContentEncryptionAlgorithm().getParameters()).getOctets();
    }
}
