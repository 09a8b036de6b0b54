package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

/** The batch tree against RFC 9162's recursive definition, for every size up to the limit. */
class MerkleBatchProperties {

    private static final MerkleBatch.Hash H = new MerkleBatch.Hash(new BcDigestCalculatorProvider(),
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));

    private static List<byte[]> leaves(int n, int seed) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(H.leaf(("leaf " + seed + " " + i).getBytes()));
        }
        return leaves;
    }

    /** RFC 9162 §2.1.1 MTH, written as the RFC states it. */
    private static byte[] mth(List<byte[]> d) {
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = 1;
        while (k * 2 < d.size()) {
            k *= 2;
        }
        return H.node(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    @Property(tries = 200)
    void everyLeafsPath_leadsToTheRootOfRfc9162(@ForAll @IntRange(min = 1, max = 256) int n, @ForAll int seed) {
        List<byte[]> leaves = leaves(n, seed);
        MerkleBatch.Tree tree = MerkleBatch.build(H, leaves);
        assertArrayEquals(mth(leaves), tree.root());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(tree.root(), MerkleBatch.rootFrom(H, leaves.get(i), i, n, tree.paths().get(i)), "leaf " + i);
        }
    }

    @Property(tries = 200)
    void aPathProvesNoOtherLeafOrIndex(@ForAll @IntRange(min = 2, max = 256) int n, @ForAll @IntRange(min = 0, max = 255) int i,
                                           @ForAll @IntRange(min = 0, max = 256) int other, @ForAll int seed) {
        int index = i % n;
        List<byte[]> leaves = leaves(n, seed);
        MerkleBatch.Tree tree = MerkleBatch.build(H, leaves);
        List<byte[]> path = tree.paths().get(index);
        byte[] root = tree.root();
        if (other != index) {
            assertFalse(Arrays.equals(root, MerkleBatch.rootFrom(H, leaves.get(index), other, n, path)), "index " + other);
        }
        assertFalse(Arrays.equals(root, MerkleBatch.rootFrom(H, leaves.get((index + 1) % n), index, n, path)), "another leaf");
        // the size is not fixed by the path (a path of leaf 0 of 5 also fits a tree of 6): the signed root carries it
        assertFalse(Arrays.equals(MerkleBatch.signedRoot(n, root), MerkleBatch.signedRoot(n + 1, root)));
    }

    @Property(tries = 100)
    void inclusions_roundTripThroughDer(@ForAll @IntRange(min = 1, max = 256) int n, @ForAll @IntRange(min = 0, max = 255) int i) {
        int index = i % n;
        MerkleBatch.Tree tree = MerkleBatch.build(H, leaves(n, 1));
        MerkleBatch.Inclusion inclusion = new MerkleBatch.Inclusion(n, index, tree.paths().get(index), new byte[] {1, 2, 3});
        MerkleBatch.Inclusion decoded = MerkleBatch.Inclusion.decode(inclusion.encoded());
        assertEquals(n, decoded.treeSize());
        assertEquals(index, decoded.leafIndex());
        assertEquals(inclusion.path().size(), decoded.path().size());
        for (int k = 0; k < decoded.path().size(); k++) {
            assertArrayEquals(inclusion.path().get(k), decoded.path().get(k));
        }
    }

    @Property(tries = 50)
    void indexOutsideTheTree_orTooLarge_isNoBatchSignature(@ForAll @IntRange(min = 1, max = 300) int n) {
        byte[] outside = new MerkleBatch.Inclusion(n, n, List.of(), new byte[] {1}).encoded();
        assertThrows(IllegalArgumentException.class, () -> MerkleBatch.Inclusion.decode(outside));
        if (n > MerkleBatch.MAX_LEAVES) {
            byte[] tooLarge = new MerkleBatch.Inclusion(n, 0, List.of(), new byte[] {1}).encoded();
            assertThrows(IllegalArgumentException.class, () -> MerkleBatch.Inclusion.decode(tooLarge));
        }
    }
}
