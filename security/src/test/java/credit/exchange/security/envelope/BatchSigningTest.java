package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batch signing: a node switched to {@link Envelopes.Signing#BATCHED} signs envelopes and
 * receipts with Merkle-batch signatures that every node verifies; messages signed at the same
 * moment share one root signature; any change to the path, index or size is refused.
 */
class BatchSigningTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final byte[] PAYLOAD = "{\"records\":[]}".getBytes(StandardCharsets.UTF_8);

    private static Envelopes batched(Alliance alliance, NodeCredentials self) {
        return new Envelopes(self, alliance.trust(), new InMemoryReplayGuard(CLOCK), CLOCK, EnvelopePolicy.DEFAULT,
                Envelopes.Signing.BATCHED);
    }

    private static ExchangeHeaders headers() {
        return new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", "national", "push", null,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static MerkleBatch.Inclusion inclusionOf(byte[] signedData) throws Exception {
        SignerInformation signer = new CMSSignedData(signedData).getSignerInfos().getSigners().iterator().next();
        assertEquals(MerkleBatch.ALGORITHM.getId(), signer.getEncryptionAlgOID());
        return MerkleBatch.Inclusion.decode(signer.getSignature());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void batchedEnvelopesAndReceipts_openAtANodeThatSignsPerMessage(Suite suite) throws Exception {
        Alliance alliance = new Alliance(suite);
        NodeCredentials hangzhou = alliance.node("hangzhou");
        NodeCredentials national = alliance.node("national");
        Envelopes batching = batched(alliance, hangzhou);
        Envelopes perMessage = alliance.envelopes(national, CLOCK);

        ExchangeHeaders sent = headers();
        byte[] envelope = batching.seal(PAYLOAD, sent, national.certificate());
        OpenedEnvelope opened = perMessage.open(envelope);
        assertArrayEquals(PAYLOAD, opened.payload());
        assertEquals(sent, opened.headers());
        byte[] signed = batching.sign(PAYLOAD, headers());
        assertEquals(1, inclusionOf(signed).treeSize(), "idle, a message is a batch of one");
        SignerInformation signer = new CMSSignedData(signed).getSignerInfos().getSigners().iterator().next();
        CMSAlgorithmProtection protection = CMSAlgorithmProtection.getInstance(
                signer.getSignedAttributes().get(CMSAttributes.cmsAlgorithmProtect).getAttrValues().getObjectAt(0));
        assertEquals(MerkleBatch.ALGORITHM, protection.getSignatureAlgorithm().getAlgorithm(), "the batch form is itself signed");

        // and the receipt for what the other node sent
        byte[] request = perMessage.seal(PAYLOAD, new ExchangeHeaders(UUID.randomUUID().toString(), "national", "hangzhou",
                "query", null, Instant.now().truncatedTo(ChronoUnit.SECONDS)), hangzhou.certificate());
        OpenedEnvelope received = batching.open(request);
        Receipt receipt = new Receipt(received.headers().messageId(), "national", "hangzhou", batching.digestAlgorithm(),
                received.receivedDigest(), Instant.now().truncatedTo(ChronoUnit.SECONDS), Receipt.ACCEPTED);
        byte[] signedReceipt = batching.signReceipt(receipt);
        assertEquals(1, inclusionOf(signedReceipt).treeSize());
        assertEquals(receipt, perMessage.verifyReceipt(signedReceipt, request, "hangzhou"));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void statements_stayPerMessage_soThatAnyCmsToolVerifiesThem(Suite suite) throws Exception {
        Alliance alliance = new Alliance(suite);
        Envelopes sender = batched(alliance, alliance.node("hangzhou"));
        byte[] statement = sender.signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, PAYLOAD);
        SignerInformation signer = new CMSSignedData(statement).getSignerInfos().getSigners().iterator().next();
        assertNotEquals(MerkleBatch.ALGORITHM.getId(), signer.getEncryptionAlgOID());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void messagesQueuedBehindARootSignature_shareTheNextOne_andEachVerifies(Suite suite) throws Exception {
        Alliance alliance = new Alliance(suite);
        Envelopes receiver = alliance.envelopes(alliance.node("national"), CLOCK);
        Batch batch = queuedBatch(alliance, alliance.node("hangzhou"), 7);

        assertEquals(1, inclusionOf(batch.first).treeSize(), "the first message found nobody signing");
        receiver.verifyStatement(batch.first, CMSObjectIdentifiers.data);
        assertEquals(2, batch.rootsSigned, "two root signatures for eight messages");
        List<MerkleBatch.Inclusion> inclusions = new ArrayList<>();
        for (byte[] signed : batch.queued) {
            inclusions.add(inclusionOf(signed));
            receiver.verifyStatement(signed, CMSObjectIdentifiers.data);
        }
        assertTrue(inclusions.stream().allMatch(i -> i.treeSize() == 7));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), inclusions.stream().map(MerkleBatch.Inclusion::leafIndex).sorted().toList());
        assertTrue(inclusions.stream().allMatch(i -> Arrays.equals(i.rootSignature(), inclusions.get(0).rootSignature())));
    }

    @org.junit.jupiter.api.Test
    void moreQueuedThanOneTreeHolds_signUnderSeveralRoots() throws Exception {
        Alliance alliance = new Alliance(Suite.INTL);
        Envelopes receiver = alliance.envelopes(alliance.node("national"), CLOCK);
        Batch batch = queuedBatch(alliance, alliance.node("hangzhou"), MerkleBatch.MAX_LEAVES + 44);
        assertEquals(3, batch.rootsSigned(), "the first message's root, then 256, then 44");
        List<Integer> sizes = new ArrayList<>();
        for (byte[] signed : batch.queued()) {
            sizes.add(inclusionOf(signed).treeSize());
            receiver.verifyStatement(signed, CMSObjectIdentifiers.data);
        }
        assertEquals(MerkleBatch.MAX_LEAVES, sizes.stream().filter(n -> n == MerkleBatch.MAX_LEAVES).count());
        assertEquals(44, sizes.stream().filter(n -> n == 44).count());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void anAlteredPathIndexOrSize_isRefusedAsAnInvalidSignature(Suite suite) throws Exception {
        Alliance alliance = new Alliance(suite);
        Envelopes receiver = alliance.envelopes(alliance.node("national"), CLOCK);
        for (byte[] target : queuedBatch(alliance, alliance.node("hangzhou"), 5).queued) {
            MerkleBatch.Inclusion inclusion = inclusionOf(target);
            byte[] original = inclusion.encoded();
            List<byte[]> flipped = new ArrayList<>(inclusion.path());
            byte[] firstHash = flipped.get(0).clone();
            firstHash[firstHash.length - 1] ^= 1;
            flipped.set(0, firstHash);
            int otherIndex = inclusion.leafIndex() == 0 ? 1 : inclusion.leafIndex() - 1;
            int refused = 0;
            for (MerkleBatch.Inclusion bad : List.of(
                    new MerkleBatch.Inclusion(5, inclusion.leafIndex(), flipped, inclusion.rootSignature()),
                    new MerkleBatch.Inclusion(5, otherIndex, inclusion.path(), inclusion.rootSignature()),
                    new MerkleBatch.Inclusion(6, inclusion.leafIndex(), inclusion.path(), inclusion.rootSignature()),
                    new MerkleBatch.Inclusion(4, Math.min(3, inclusion.leafIndex()), inclusion.path(), inclusion.rootSignature()))) {
                if (bad.encoded().length != original.length) {
                    continue;
                }
                byte[] tampered = replace(target, original, bad.encoded());
                assertEquals(ErrorCode.E_SIGNATURE_INVALID, assertThrows(CodedException.class,
                        () -> receiver.verifyStatement(tampered, CMSObjectIdentifiers.data)).code());
                refused++;
            }
            assertTrue(refused >= 3, "path, index and size were each altered");
            receiver.verifyStatement(target, CMSObjectIdentifiers.data); // the original still verifies
        }
    }

    /** One message signed alone, and {@code size} more that queued while its root was being signed. */
    private record Batch(byte[] first, List<byte[]> queued, int rootsSigned) {
    }

    /**
     * Makes a batch deterministically: the first root's signature waits until {@code size}
     * messages queued behind it, so the second root covers them all.
     */
    private static Batch queuedBatch(Alliance alliance, NodeCredentials node, int size) throws Exception {
        CountDownLatch firstRootSigning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger roots = new AtomicInteger();
        BatchSigner signer = new BatchSigner(() -> {
            ContentSigner inner = singleSignerOf(node);
            return new ContentSigner() {
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return inner.getAlgorithmIdentifier();
                }

                public OutputStream getOutputStream() {
                    return inner.getOutputStream();
                }

                public byte[] getSignature() {
                    if (roots.incrementAndGet() == 1) {
                        firstRootSigning.countDown();
                        await(release);
                    }
                    return inner.getSignature();
                }
            };
        }, new BcDigestCalculatorProvider());
        ExecutorService threads = Executors.newFixedThreadPool(size + 1);
        try {
            Future<byte[]> first = threads.submit(() -> signedData(node, signer, PAYLOAD));
            assertTrue(firstRootSigning.await(10, TimeUnit.SECONDS));
            List<Future<byte[]>> queued = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                byte[] content = ("message " + i).getBytes(StandardCharsets.UTF_8);
                queued.add(threads.submit(() -> signedData(node, signer, content)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (signer.waiting() < size && System.nanoTime() < deadline) {
                Thread.yield(); // a condition, not a time: the queued threads enqueue within microseconds of starting
            }
            release.countDown();
            byte[] firstSigned = first.get(10, TimeUnit.SECONDS);
            List<byte[]> queuedSigned = new ArrayList<>();
            for (Future<byte[]> f : queued) {
                queuedSigned.add(f.get(10, TimeUnit.SECONDS));
            }
            return new Batch(firstSigned, queuedSigned, roots.get());
        } finally {
            threads.shutdownNow();
        }
    }

    private static byte[] signedData(NodeCredentials node, BatchSigner signer, byte[] content) throws Exception {
        X509CertificateHolder certificate = new JcaX509CertificateHolder(node.certificate());
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new BcDigestCalculatorProvider())
                .build(signer.contentSigner(), certificate));
        generator.addCertificate(certificate);
        return generator.generate(new CMSProcessableByteArray(content), true).getEncoded("DER");
    }

    /** The bytes with one occurrence of {@code from} replaced by {@code to} (of the same length). */
    private static byte[] replace(byte[] bytes, byte[] from, byte[] to) {
        assertEquals(from.length, to.length, "the altered signature must keep its length");
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                byte[] out = bytes.clone();
                System.arraycopy(to, 0, out, i, to.length);
                return out;
            }
        }
        throw new AssertionError("the signature is not in the SignedData");
    }

    private static ContentSigner singleSignerOf(NodeCredentials node) {
        try {
            return node.suite() == Suite.GM ? credit.exchange.security.gm.Sm2SigningKey.of(node.privateKey()).contentSigner()
                    : new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(node.suite().signatureAlgorithm())
                            .build(node.privateKey());
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
