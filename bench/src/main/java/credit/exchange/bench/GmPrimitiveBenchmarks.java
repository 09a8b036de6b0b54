package credit.exchange.bench;

import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm2Encryption;
import credit.exchange.security.gm.Sm2Keys;
import credit.exchange.security.gm.Sm2SigningKey;
import credit.exchange.security.gm.Sm2VerifyingKey;
import credit.exchange.security.gm.Sm3;
import credit.exchange.security.gm.Sm4;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.Usage;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
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
 * The GM suite's raw primitives, each used the fastest way the library allows (keys parsed and
 * Z computed once): the bound that seal and open of a GM envelope are measured against. BouncyCastle's
 * default JCA {@code SM3withSM2} is measured beside {@link Sm2SigningKey} as the library would
 * be used per message (a fresh {@code initSign}/{@code initVerify}, which derives the public key
 * and recomputes Z).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GmPrimitiveBenchmarks {

    /** Keys of one node pair, made once per trial. */
    @State(Scope.Thread)
    public static class Keys {
        Sm2SigningKey signingKey;
        Sm2VerifyingKey verifyingKey;
        NodeCredentials node;
        X509Certificate certificate;
        Signature bcSigner;
        Signature bcVerifier;
        byte[] signedAttributes;
        byte[] signature;
        ECPublicKeyParameters recipientKey;
        ECPrivateKeyParameters recipientPrivateKey;
        byte[] contentKey;
        byte[] wrappedContentKey;
        SecureRandom random;
        BenchAlliance alliance;

        @Setup
        public void setUp() throws GeneralSecurityException, InvalidCipherTextException {
            alliance = new BenchAlliance(Suite.GM);
            node = alliance.sender;
            certificate = node.certificate();
            signingKey = Sm2SigningKey.of(node.privateKey());
            verifyingKey = Sm2VerifyingKey.of(certificate.getPublicKey());
            signedAttributes = alliance.signedAttributesOfAnEnvelope();
            signature = signingKey.sign(signedAttributes);
            bcSigner = Signature.getInstance("SM3withSM2", Providers.bc());
            bcVerifier = Signature.getInstance("SM3withSM2", Providers.bc());
            random = new SecureRandom();
            recipientKey = Sm2Keys.publicKey(alliance.recipient.certificate().getPublicKey());
            recipientPrivateKey = Sm2Keys.privateKey(alliance.recipient.privateKey());
            contentKey = new byte[Sm4.KEY_BYTES];
            random.nextBytes(contentKey);
            wrappedContentKey = Sm2Encryption.encrypt(recipientKey, contentKey, random);
            BenchAlliance.check(verifyingKey.verify(signedAttributes, signature), "SM2 signature does not verify");
            BenchAlliance.check(Arrays.equals(contentKey, Sm2Encryption.decrypt(recipientPrivateKey, wrappedContentKey)),
                    "SM2 decryption does not return the key");
            alliance.validator.validate(certificate, Suite.GM, Usage.SIGNING); // fills the cache
        }
    }

    /** A payload-sized buffer and an SM4 key and IV. */
    @State(Scope.Thread)
    public static class Bulk {
        @Param({"2048", "65536"})
        int size;

        byte[] data;
        byte[] key;
        byte[] iv;
        byte[] ciphertext;

        @Setup
        public void setUp() {
            data = BenchAlliance.payload(size);
            SecureRandom random = new SecureRandom();
            key = new byte[Sm4.KEY_BYTES];
            iv = new byte[Sm4.BLOCK_BYTES];
            random.nextBytes(key);
            random.nextBytes(iv);
            ciphertext = Sm4.cbcEncrypt(key, iv, data);
        }
    }

    /** SM3withSM2 signature with Z and (1 + d)^-1 precomputed: the signer Envelopes uses. */
    @Benchmark
    public byte[] sm2Sign(Keys k) {
        return k.signingKey.sign(k.signedAttributes);
    }

    /** BouncyCastle's default JCA SM3withSM2, initialised per message as a ContentSigner would be. */
    @Benchmark
    public byte[] sm2SignBcJca(Keys k) throws GeneralSecurityException {
        k.bcSigner.initSign(k.node.privateKey());
        k.bcSigner.update(k.signedAttributes);
        return k.bcSigner.sign();
    }

    /** SM3withSM2 verification with the peer's Z and point precomputation kept. */
    @Benchmark
    public boolean sm2Verify(Keys k) {
        return k.verifyingKey.verify(k.signedAttributes, k.signature);
    }

    /** BouncyCastle's default JCA SM3withSM2 verification, initialised per message. */
    @Benchmark
    public boolean sm2VerifyBcJca(Keys k) throws GeneralSecurityException {
        k.bcVerifier.initVerify(k.certificate.getPublicKey());
        k.bcVerifier.update(k.signedAttributes);
        return k.bcVerifier.verify(k.signature);
    }

    /** SM2 encryption of a 16-byte SM4 content key to the recipient (key transport), DER SM2Cipher. */
    @Benchmark
    public byte[] sm2EncryptKey(Keys k) {
        return Sm2Encryption.encrypt(k.recipientKey, k.contentKey, k.random);
    }

    /** SM2 decryption of the content key (C1 is a fresh point every time, as in a real envelope). */
    @Benchmark
    public byte[] sm2DecryptKey(Keys k) throws InvalidCipherTextException {
        return Sm2Encryption.decrypt(k.recipientPrivateKey, k.wrappedContentKey);
    }

    /** A cached hit of the PKI's certificate validator, as every open pays it. */
    @Benchmark
    public X509Certificate certificateValidationCached(Keys k) {
        return k.alliance.validator.validate(k.certificate, Suite.GM, Usage.SIGNING);
    }

    @Benchmark
    public byte[] sm4CbcEncrypt(Bulk b) {
        return Sm4.cbcEncrypt(b.key, b.iv, b.data);
    }

    @Benchmark
    public byte[] sm4CbcDecrypt(Bulk b) throws InvalidCipherTextException {
        return Sm4.cbcDecrypt(b.key, b.iv, b.ciphertext);
    }

    @Benchmark
    public byte[] sm3(Bulk b) {
        return Sm3.hash(b.data);
    }
}
