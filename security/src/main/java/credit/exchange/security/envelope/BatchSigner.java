package credit.exchange.security.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.ExtendedContentSigner;

/**
 * Batch signatures (X-Road's, in CMS): messages signed at the same moment share one signature of
 * the root of a Merkle tree over their signed attributes ({@link MerkleBatch}); each SignerInfo
 * carries the root's signature and its own inclusion path, under signature algorithm arc.9 with
 * the inner algorithm as parameter. Every message still verifies on its own.
 *
 * <p>Batches form by group commit, with no timer and no thread of their own: a signer that finds
 * nobody signing signs at once (a batch of one); those that arrive while a root is being signed
 * wait, and the first of them to wake signs the root over all that waited. Idle, a message waits
 * for no one; under load, one signature serves every message that queued behind the previous one.
 *
 * <p>Thread-safe; one per node key.
 */
final class BatchSigner {

    private final Supplier<ContentSigner> inner;
    private final AlgorithmIdentifier algorithm;
    private final AlgorithmIdentifier digestAlgorithm;
    private final MerkleBatch.Hash hash;

    private final Object lock = new Object();
    private List<Pending> waiting = new ArrayList<>();
    private boolean signing;

    /**
     * @param inner   a fresh single-use signer of the node's key for each root
     * @param digests the digest calculators of the node's suite
     */
    BatchSigner(Supplier<ContentSigner> inner, DigestCalculatorProvider digests) {
        this.inner = inner;
        AlgorithmIdentifier innerAlgorithm = inner.get().getAlgorithmIdentifier();
        this.algorithm = new AlgorithmIdentifier(MerkleBatch.ALGORITHM, innerAlgorithm);
        this.digestAlgorithm = new DefaultDigestAlgorithmIdentifierFinder().find(innerAlgorithm);
        this.hash = new MerkleBatch.Hash(digests, digestAlgorithm);
    }

    /** A single-use signer for one message's SignerInfo. */
    ExtendedContentSigner contentSigner() {
        return new ExtendedContentSigner() {
            private final ByteArrayOutputStream signedAttributes = new ByteArrayOutputStream(512);

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public AlgorithmIdentifier getDigestAlgorithmIdentifier() {
                return digestAlgorithm;
            }

            @Override
            public OutputStream getOutputStream() {
                return signedAttributes;
            }

            @Override
            public byte[] getSignature() {
                return sign(hash.leaf(signedAttributes.toByteArray())).encoded();
            }
        };
    }

    /** How many messages wait for the next root (for tests that build a batch on purpose). */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private static final class Pending {
        final byte[] leafHash;
        MerkleBatch.Inclusion inclusion;
        RuntimeException failure;

        Pending(byte[] leafHash) {
            this.leafHash = leafHash;
        }

        boolean done() {
            return inclusion != null || failure != null;
        }
    }

    private MerkleBatch.Inclusion sign(byte[] leafHash) {
        Pending mine = new Pending(leafHash);
        boolean interrupted = false;
        synchronized (lock) {
            waiting.add(mine);
        }
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                while (signing && !mine.done()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // stay queued: a batch may already hold this leaf
                    }
                }
                if (mine.done()) {
                    break;
                }
                // nobody signs: this thread signs the root over what waits (at most MAX_LEAVES; the rest go next)
                signing = true;
                int take = Math.min(waiting.size(), MerkleBatch.MAX_LEAVES);
                batch = new ArrayList<>(waiting.subList(0, take));
                waiting = new ArrayList<>(waiting.subList(take, waiting.size()));
            }
            signBatch(batch);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.inclusion;
    }

    /** Signs the root over the batch, hands each its inclusion (or the failure) and lets the next batch begin. */
    private void signBatch(List<Pending> batch) {
        MerkleBatch.Tree tree = null;
        byte[] rootSignature = null;
        RuntimeException failure = null;
        try {
            tree = MerkleBatch.build(hash, batch.stream().map(p -> p.leafHash).toList());
            ContentSigner signer = inner.get();
            try (OutputStream out = signer.getOutputStream()) {
                out.write(MerkleBatch.signedRoot(batch.size(), tree.root()));
            }
            rootSignature = signer.getSignature();
        } catch (RuntimeException e) {
            failure = e;
        } catch (IOException e) {
            failure = new IllegalStateException("the batch root could not be signed", e);
        }
        synchronized (lock) {
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (failure != null) {
                    p.failure = failure;
                } else {
                    p.inclusion = new MerkleBatch.Inclusion(batch.size(), i, tree.paths().get(i), rootSignature);
                }
            }
            signing = false;
            lock.notifyAll();
        }
    }
}
