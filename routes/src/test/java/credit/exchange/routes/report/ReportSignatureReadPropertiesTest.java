package credit.exchange.routes.report;

import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Whatever a signed report has become on its way (bytes flipped anywhere, cut short, its pieces
 * reordered), reading its signature either succeeds or refuses with a coded error: never another
 * exception, never a hang. What is read may still fail verification; that is the verifier's part.
 */
class ReportSignatureReadPropertiesTest {

    private static final byte[] SIGNED = ReportSignatureTest.Alliance.of(Suite.INTL).signedReport();

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void readingAMutatedReport_throwsNothingButCodedExceptions(@ForAll("mutated") byte[] pdf) {
        try {
            ReportSignature.read(pdf);
        } catch (CodedException expected) {
            // refused with a code: what a verifier reports
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, SIGNED.length - 1).list().ofMinSize(1).ofMaxSize(16)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> flip(positions, values)));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, SIGNED.length - 1).map(n -> Arrays.copyOf(SIGNED, n));
        Arbitrary<byte[]> spliced = Combinators.combine(Arbitraries.integers().between(0, SIGNED.length - 1),
                Arbitraries.integers().between(0, SIGNED.length - 1)).as(ReportSignatureReadPropertiesTest::swap);
        return Arbitraries.oneOf(flipped, truncated, spliced);
    }

    private static byte[] flip(List<Integer> positions, List<Byte> values) {
        byte[] copy = SIGNED.clone();
        for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values.get(i);
        }
        return copy;
    }

    /** The file with its part from {@code a} and its part from {@code b} exchanged (a cut-and-paste accident). */
    private static byte[] swap(int a, int b) {
        int cut = Math.min(a, b);
        int end = Math.max(a, b);
        byte[] out = new byte[SIGNED.length];
        int n = SIGNED.length - end;
        System.arraycopy(SIGNED, end, out, 0, n);
        System.arraycopy(SIGNED, cut, out, n, end - cut);
        System.arraycopy(SIGNED, 0, out, n + end - cut, cut);
        return out;
    }
}
