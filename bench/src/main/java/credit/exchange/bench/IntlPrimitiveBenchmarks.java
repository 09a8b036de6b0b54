package credit.exchange.bench;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.Usage;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The INTL suite's raw primitives on BouncyCastle (the provider Envelopes uses), each with its
 * objects made once: the bound that seal and open of an INTL envelope are measured against. The
 * JDK's own providers (SunEC, SunJCE, SUN) are measured beside them for comparison only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IntlPrimitiveBenchmarks {

    /** How many distinct ephemeral public keys the open-side agreement cycles through. */
    static final int EPHEMERAL_KEYS = 64;

    /** Keys of one node pair, made once per trial. */
    @State(Scope.Thread)
    public static class Keys {
        BenchAlliance alliance;
        X509Certificate certificate;
        byte[] signedAttributes;
        Signature bcSigner;
        Signature bcVerifier;
        Signature sunSigner;
        Signature sunVerifier;
        byte[] signature;
        ECDomainParameters domain;
        ECKeyPairGenerator ephemeralGenerator;
        ECPublicKeyParameters recipientPublic;
        ECPrivateKeyParameters recipientPrivate;
        byte[][] ephemeralPoints;
        int nextEphemeral;
        byte[] sharedInfo;
        byte[] sharedSecret;
        byte[] contentKey;
        byte[] wrappedContentKey;

        @Setup
        public void setUp() throws Exception {
            alliance = new BenchAlliance(Suite.INTL);
            NodeCredentials node = alliance.sender;
            certificate = node.certificate();
            signedAttributes = alliance.signedAttributesOfAnEnvelope();

            bcSigner = Signature.getInstance("SHA256withECDSA", Providers.bc());
            bcSigner.initSign(node.privateKey());
            bcVerifier = Signature.getInstance("SHA256withECDSA", Providers.bc());
            bcVerifier.initVerify(certificate.getPublicKey());
            KeyFactory sunKeys = KeyFactory.getInstance("EC", "SunEC");
            PrivateKey sunPrivate = sunKeys.generatePrivate(new PKCS8EncodedKeySpec(node.privateKey().getEncoded()));
            PublicKey sunPublic = sunKeys.generatePublic(new X509EncodedKeySpec(certificate.getPublicKey().getEncoded()));
            sunSigner = Signature.getInstance("SHA256withECDSA", "SunEC");
            sunSigner.initSign(sunPrivate);
            sunVerifier = Signature.getInstance("SHA256withECDSA", "SunEC");
            sunVerifier.initVerify(sunPublic);
            bcSigner.update(signedAttributes);
            signature = bcSigner.sign();
            sunSigner.update(signedAttributes);
            byte[] sunSignature = sunSigner.sign();
            bcVerifier.update(signedAttributes);
            BenchAlliance.check(bcVerifier.verify(signature), "BC ECDSA signature does not verify");
            sunVerifier.update(signedAttributes);
            BenchAlliance.check(sunVerifier.verify(sunSignature), "SunEC ECDSA signature does not verify");

            recipientPublic = (ECPublicKeyParameters) PublicKeyFactory.createKey(
                    alliance.recipient.certificate().getPublicKey().getEncoded());
            recipientPrivate = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(alliance.recipient.privateKey().getEncoded());
            domain = recipientPublic.getParameters();
            ephemeralGenerator = new ECKeyPairGenerator();
            ephemeralGenerator.init(new ECKeyGenerationParameters(domain, new SecureRandom()));
            ephemeralPoints = new byte[EPHEMERAL_KEYS][];
            for (int i = 0; i < EPHEMERAL_KEYS; i++) {
                ephemeralPoints[i] = ((ECPublicKeyParameters) ephemeralGenerator.generateKeyPair().getPublic()).getQ().getEncoded(false);
            }
            // ECC-CMS-SharedInfo as dhSinglePass-stdDH-sha256kdf with AES-256 wrap writes it
            sharedInfo = new ECCCMSSharedInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_wrap, DERNull.INSTANCE),
                    new byte[] {0, 0, 1, 0}).getEncoded(ASN1Encoding.DER);
            sharedSecret = new byte[32];
            new SecureRandom().nextBytes(sharedSecret);
            contentKey = new byte[32];
            new SecureRandom().nextBytes(contentKey);
            wrappedContentKey = wrapContentKey(this);
            alliance.validator.validate(certificate, Suite.INTL, Usage.SIGNING); // fills the cache
        }
    }

    /** A payload-sized buffer and an AES-256-GCM key. */
    @State(Scope.Thread)
    public static class Bulk {
        @Param({"2048", "65536"})
        int size;

        byte[] data;
        SecretKeySpec key;
        byte[] nonce;
        long counter;
        Cipher bcCipher;
        Cipher sunCipher;
        byte[] ciphertext;
        MessageDigest bcSha256;
        MessageDigest sunSha256;

        @Setup
        public void setUp() throws GeneralSecurityException {
            data = BenchAlliance.payload(size);
            byte[] keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
            key = new SecretKeySpec(keyBytes, "AES");
            nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            bcCipher = Cipher.getInstance("AES/GCM/NoPadding", Providers.bc());
            sunCipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            bcCipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            ciphertext = bcCipher.doFinal(data);
            bcSha256 = MessageDigest.getInstance("SHA-256", Providers.bc());
            sunSha256 = MessageDigest.getInstance("SHA-256", "SUN");
        }

        /** A nonce never used before with this key (GCM refuses a repeated one). */
        GCMParameterSpec freshNonce() {
            byte[] n = nonce.clone();
            long c = ++counter;
            for (int i = 0; i < 8; i++) {
                n[11 - i] ^= (byte) (c >>> (8 * i));
            }
            return new GCMParameterSpec(128, n);
        }
    }

    @Benchmark
    public byte[] ecdsaSignBc(Keys k) throws GeneralSecurityException {
        k.bcSigner.update(k.signedAttributes);
        return k.bcSigner.sign();
    }

    /** The JDK's own ECDSA, for comparison (not used by Envelopes). */
    @Benchmark
    public byte[] ecdsaSignSunEc(Keys k) throws GeneralSecurityException {
        k.sunSigner.update(k.signedAttributes);
        return k.sunSigner.sign();
    }

    @Benchmark
    public boolean ecdsaVerifyBc(Keys k) throws GeneralSecurityException {
        k.bcVerifier.update(k.signedAttributes);
        return k.bcVerifier.verify(k.signature);
    }

    /** The JDK's own ECDSA, for comparison (not used by Envelopes). */
    @Benchmark
    public boolean ecdsaVerifySunEc(Keys k) throws GeneralSecurityException {
        k.sunVerifier.update(k.signedAttributes);
        return k.sunVerifier.verify(k.signature);
    }

    /** Seal side: a fresh ephemeral key pair and its ECDH agreement with the recipient's static key. */
    @Benchmark
    public BigInteger ecdhEphemeralStatic(Keys k) {
        AsymmetricCipherKeyPair ephemeral = k.ephemeralGenerator.generateKeyPair();
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init(ephemeral.getPrivate());
        return agreement.calculateAgreement(k.recipientPublic);
    }

    /** Open side: our static key with the sender's ephemeral point, decoded (and validated) from its bytes as a new point. */
    @Benchmark
    public BigInteger ecdhStaticEphemeral(Keys k) {
        byte[] encoded = k.ephemeralPoints[k.nextEphemeral];
        k.nextEphemeral = (k.nextEphemeral + 1) % EPHEMERAL_KEYS;
        ECPublicKeyParameters ephemeral = new ECPublicKeyParameters(k.domain.getCurve().decodePoint(encoded), k.domain);
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init(k.recipientPrivate);
        return agreement.calculateAgreement(ephemeral);
    }

    /** X9.63 KDF (SHA-256) of the shared secret into a key-encryption key, and AES-256 key wrap of the content key. */
    @Benchmark
    public byte[] keyWrap(Keys k) {
        return wrapContentKey(k);
    }

    @Benchmark
    public byte[] keyUnwrap(Keys k) throws InvalidCipherTextException {
        AESWrapEngine wrap = new AESWrapEngine();
        wrap.init(false, new KeyParameter(kek(k)));
        return wrap.unwrap(k.wrappedContentKey, 0, k.wrappedContentKey.length);
    }

    /** A cached hit of the PKI's certificate validator, as every open pays it. */
    @Benchmark
    public X509Certificate certificateValidationCached(Keys k) {
        return k.alliance.validator.validate(k.certificate, Suite.INTL, Usage.SIGNING);
    }

    /** AES-256-GCM encryption (init with a fresh nonce, 16-byte tag) on BouncyCastle, as the content encryptor does. */
    @Benchmark
    public byte[] aesGcmEncryptBc(Bulk b) throws GeneralSecurityException {
        b.bcCipher.init(Cipher.ENCRYPT_MODE, b.key, b.freshNonce());
        return b.bcCipher.doFinal(b.data);
    }

    @Benchmark
    public byte[] aesGcmDecryptBc(Bulk b) throws GeneralSecurityException {
        b.bcCipher.init(Cipher.DECRYPT_MODE, b.key, new GCMParameterSpec(128, b.nonce));
        return b.bcCipher.doFinal(b.ciphertext);
    }

    /** The JDK's AES-GCM (AES-NI and CLMUL intrinsics), for comparison (not used by Envelopes). */
    @Benchmark
    public byte[] aesGcmEncryptSunJce(Bulk b) throws GeneralSecurityException {
        b.sunCipher.init(Cipher.ENCRYPT_MODE, b.key, b.freshNonce());
        return b.sunCipher.doFinal(b.data);
    }

    @Benchmark
    public byte[] sha256Bc(Bulk b) {
        return b.bcSha256.digest(b.data);
    }

    /** The JDK's SHA-256 (intrinsic where the CPU has it), for comparison (not used by Envelopes). */
    @Benchmark
    public byte[] sha256Sun(Bulk b) {
        return b.sunSha256.digest(b.data);
    }

    private static byte[] kek(Keys k) {
        KDF2BytesGenerator kdf = new KDF2BytesGenerator(new SHA256Digest());
        kdf.init(new KDFParameters(k.sharedSecret, k.sharedInfo));
        byte[] kek = new byte[32];
        kdf.generateBytes(kek, 0, kek.length);
        return kek;
    }

    private static byte[] wrapContentKey(Keys k) {
        AESWrapEngine wrap = new AESWrapEngine();
        wrap.init(true, new KeyParameter(kek(k)));
        return wrap.wrap(k.contentKey, 0, k.contentKey.length);
    }
}
