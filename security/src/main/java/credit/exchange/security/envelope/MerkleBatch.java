package credit.exchange.security.envelope;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The Merkle tree of a batch signature: RFC 9162 §2.1 (Certificate Transparency 2.0), leaves
 * {@code H(0x00 || leaf)}, interior nodes {@code H(0x01 || left || right)}, the left subtree the
 * largest power of two smaller than the whole; inclusion paths verified by §2.1.3.2. H is the
 * SignerInfo's digest algorithm (SM3 or SHA-256); a leaf is the DER of one message's signed
 * attributes, which carry the digest of its content. A path does not fix the tree's size (the
 * path of leaf 0 of five also fits a tree of six), so the signed root carries the size.
 *
 * <pre>
 * BatchSignature ::= SEQUENCE {           -- the SignerInfo's signature under algorithm arc.9
 *     treeSize      INTEGER (1..MAX),
 *     leafIndex     INTEGER (0..MAX),     -- less than treeSize
 *     inclusionPath SEQUENCE OF OCTET STRING,
 *     rootSignature OCTET STRING }        -- the inner algorithm's signature of the BatchRoot's DER
 * BatchRoot ::= SEQUENCE { algorithm OBJECT IDENTIFIER (arc.9), treeSize INTEGER, rootHash OCTET STRING }
 * </pre>
 */
final class MerkleBatch {

    /** The signature algorithm of a batch-signed SignerInfo; its parameter is the inner algorithm that signed the root. */
    static final ASN1ObjectIdentifier ALGORITHM = ExchangeAttributes.ARC.branch("9");
    /** The most leaves under one root: paths stay at most 8 hashes. */
    static final int MAX_LEAVES = 256;

    private MerkleBatch() {
    }

    /** One leaf's place in a signed tree: what its SignerInfo carries. */
    record Inclusion(int treeSize, int leafIndex, List<byte[]> path, byte[] rootSignature) {

        byte[] encoded() {
            ASN1EncodableVector hashes = new ASN1EncodableVector();
            path.forEach(h -> hashes.add(new DEROctetString(h)));
            try {
                return new DERSequence(new ASN1Encodable[] {new ASN1Integer(treeSize),
                        new ASN1Integer(leafIndex), new DERSequence(hashes), new DEROctetString(rootSignature)})
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IllegalStateException("DER encoding of a batch signature failed", e);
            }
        }

        /** @throws IllegalArgumentException if the bytes are not a BatchSignature in DER within the limits */
        static Inclusion decode(byte[] der) {
            try {
                ASN1Sequence s = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
                if (s.size() != 4 || !Arrays.equals(s.getEncoded(ASN1Encoding.DER), der)) {
                    throw new IllegalArgumentException("not a BatchSignature in DER");
                }
                BigInteger size = ASN1Integer.getInstance(s.getObjectAt(0)).getValue();
                BigInteger index = ASN1Integer.getInstance(s.getObjectAt(1)).getValue();
                if (size.signum() <= 0 || size.compareTo(BigInteger.valueOf(MAX_LEAVES)) > 0
                        || index.signum() < 0 || index.compareTo(size) >= 0) {
                    throw new IllegalArgumentException("tree size or leaf index out of range");
                }
                ASN1Sequence hashes = ASN1Sequence.getInstance(s.getObjectAt(2));
                List<byte[]> path = new ArrayList<>(hashes.size());
                for (int i = 0; i < hashes.size(); i++) {
                    path.add(ASN1OctetString.getInstance(hashes.getObjectAt(i)).getOctets());
                }
                return new Inclusion(size.intValueExact(), index.intValueExact(), path,
                        ASN1OctetString.getInstance(s.getObjectAt(3)).getOctets());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a BatchSignature", e);
            }
        }
    }

    /** The bytes the inner algorithm signs: the root with the tree's size, under the batch algorithm's OID. */
    static byte[] signedRoot(int treeSize, byte[] rootHash) {
        try {
            return new DERSequence(new ASN1Encodable[] {ALGORITHM, new ASN1Integer(treeSize),
                    new DEROctetString(rootHash)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of a batch root failed", e);
        }
    }

    /** The hash function of a tree: H over the digest algorithm, each call a fresh calculator. */
    static final class Hash {
        private final DigestCalculatorProvider digests;
        private final AlgorithmIdentifier algorithm;

        Hash(DigestCalculatorProvider digests, AlgorithmIdentifier algorithm) {
            this.digests = digests;
            this.algorithm = algorithm;
        }

        byte[] leaf(byte[] leaf) {
            return hash((byte) 0x00, leaf, null);
        }

        byte[] node(byte[] left, byte[] right) {
            return hash((byte) 0x01, left, right);
        }

        private byte[] hash(byte prefix, byte[] a, byte[] b) {
            try {
                DigestCalculator calculator = digests.get(algorithm);
                try (OutputStream out = calculator.getOutputStream()) {
                    out.write(prefix);
                    out.write(a);
                    if (b != null) {
                        out.write(b);
                    }
                }
                return calculator.getDigest();
            } catch (OperatorCreationException | IOException e) {
                throw new IllegalStateException("no " + algorithm.getAlgorithm() + " digest", e);
            }
        }
    }

    /** A built tree: its root and each leaf's inclusion path, leaf to root. */
    record Tree(byte[] root, List<List<byte[]>> paths) {
    }

    /** Builds the tree over leaf hashes (each already {@link Hash#leaf}): O(n log n) hashes. */
    static Tree build(Hash hash, List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0 || n > MAX_LEAVES) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_LEAVES + " leaves, not " + n);
        }
        List<List<byte[]>> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            paths.add(new ArrayList<>());
        }
        byte[] root = subtree(hash, leafHashes, 0, n, paths);
        return new Tree(root, paths);
    }

    private static byte[] subtree(Hash hash, List<byte[]> leaves, int from, int to, List<List<byte[]>> paths) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1); // the largest power of two smaller than n
        byte[] left = subtree(hash, leaves, from, from + k, paths);
        byte[] right = subtree(hash, leaves, from + k, to, paths);
        for (int m = from; m < from + k; m++) {
            paths.get(m).add(right);
        }
        for (int m = from + k; m < to; m++) {
            paths.get(m).add(left);
        }
        return hash.node(left, right);
    }

    /** RFC 9162 §2.1.3.2: the root the path leads to from this leaf hash, or null if the path does not fit the tree. */
    static byte[] rootFrom(Hash hash, byte[] leafHash, int leafIndex, int treeSize, List<byte[]> path) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return null;
        }
        long fn = leafIndex;
        long sn = treeSize - 1L;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = hash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = hash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }
}
