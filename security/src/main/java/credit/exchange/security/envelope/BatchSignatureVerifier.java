package credit.exchange.security.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * One signer's verifier for both forms of SignerInfo: a signature of the message alone, checked by
 * the single-message verifier it wraps, and a batch signature ({@link MerkleBatch}): the inclusion
 * path must lead from the message's signed attributes to a root whose signature the wrapped
 * verifier accepts under the inner algorithm. A root signature verified once is remembered (the
 * last {@value #REMEMBERED_ROOTS}), so the other messages of a batch cost their path's hashes only.
 *
 * <p>Thread-safe: kept per peer certificate; each {@link ContentVerifier} it hands out is for one
 * verification.
 */
final class BatchSignatureVerifier extends SignerInformationVerifier {

    static final int REMEMBERED_ROOTS = 256;

    private final SignerInformationVerifier single;
    private final Map<ByteBuffer, Boolean> verifiedRoots = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > REMEMBERED_ROOTS;
        }
    };

    BatchSignatureVerifier(SignerInformationVerifier single) {
        super(null, null, null, null);
        this.single = single;
    }

    @Override
    public boolean hasAssociatedCertificate() {
        return single.hasAssociatedCertificate();
    }

    @Override
    public X509CertificateHolder getAssociatedCertificate() {
        return single.getAssociatedCertificate();
    }

    @Override
    public DigestCalculator getDigestCalculator(AlgorithmIdentifier algorithm) throws OperatorCreationException {
        return single.getDigestCalculator(algorithm);
    }

    @Override
    public ContentVerifier getContentVerifier(AlgorithmIdentifier signingAlgorithm, AlgorithmIdentifier digestAlgorithm)
            throws OperatorCreationException {
        if (!MerkleBatch.ALGORITHM.equals(signingAlgorithm.getAlgorithm())) {
            return single.getContentVerifier(signingAlgorithm, digestAlgorithm);
        }
        AlgorithmIdentifier inner;
        try {
            inner = AlgorithmIdentifier.getInstance(signingAlgorithm.getParameters());
        } catch (RuntimeException e) {
            throw new OperatorCreationException("a batch signature must name its inner signature algorithm");
        }
        AlgorithmIdentifier innerDigest = inner == null ? null : new DefaultDigestAlgorithmIdentifierFinder().find(inner);
        if (inner == null || MerkleBatch.ALGORITHM.equals(inner.getAlgorithm()) || innerDigest == null
                || !innerDigest.getAlgorithm().equals(digestAlgorithm.getAlgorithm())) {
            throw new OperatorCreationException("a batch signature's inner algorithm must be a signature algorithm over its digest algorithm");
        }
        ContentVerifier rootVerifier = single.getContentVerifier(inner, digestAlgorithm);
        MerkleBatch.Hash hash = new MerkleBatch.Hash(single::getDigestCalculator, digestAlgorithm);
        return new ContentVerifier() {
            private final ByteArrayOutputStream signedAttributes = new ByteArrayOutputStream(512);

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return signingAlgorithm;
            }

            @Override
            public OutputStream getOutputStream() {
                return signedAttributes;
            }

            @Override
            public boolean verify(byte[] signature) {
                MerkleBatch.Inclusion inclusion;
                try {
                    inclusion = MerkleBatch.Inclusion.decode(signature);
                } catch (IllegalArgumentException notABatchSignature) {
                    return false;
                }
                byte[] root = MerkleBatch.rootFrom(hash, hash.leaf(signedAttributes.toByteArray()),
                        inclusion.leafIndex(), inclusion.treeSize(), inclusion.path());
                if (root == null) {
                    return false;
                }
                byte[] signedRoot = MerkleBatch.signedRoot(inclusion.treeSize(), root);
                ByteBuffer key = rootKey(inner, signedRoot, inclusion.rootSignature());
                synchronized (verifiedRoots) {
                    if (verifiedRoots.containsKey(key)) {
                        return true;
                    }
                }
                try (OutputStream out = rootVerifier.getOutputStream()) {
                    out.write(signedRoot);
                } catch (IOException e) {
                    return false;
                }
                boolean valid = rootVerifier.verify(inclusion.rootSignature());
                if (valid) {
                    synchronized (verifiedRoots) {
                        verifiedRoots.put(key, Boolean.TRUE);
                    }
                }
                return valid;
            }
        };
    }

    /** What a verified root signature is remembered by: the inner algorithm, the signed root and the signature, all bytes. */
    private static ByteBuffer rootKey(AlgorithmIdentifier inner, byte[] signedRoot, byte[] rootSignature) {
        try {
            ByteArrayOutputStream key = new ByteArrayOutputStream();
            key.write(inner.getEncoded(ASN1Encoding.DER));
            key.write(signedRoot);
            key.write(rootSignature);
            return ByteBuffer.wrap(key.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
