package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever arrives, {@link Envelopes#open} answers with a coded refusal: truncations, random
 * mutations and splices of real envelopes of both suites, random bytes, and deep nesting. Never
 * another exception, never an OutOfMemoryError, never a hang (jqwik times each try).
 */
class HostileEnvelopeProperties {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Alliance INTL = new Alliance(Suite.INTL);
    private static final Alliance GM = new Alliance(Suite.GM);
    private static final NodeCredentials INTL_RECEIVER = INTL.node("huzhou");
    private static final NodeCredentials GM_RECEIVER = GM.node("huzhou");
    private static final byte[] INTL_ENVELOPE = seal(INTL, INTL_RECEIVER);
    private static final byte[] GM_ENVELOPE = seal(GM, GM_RECEIVER);

    private static byte[] seal(Alliance alliance, NodeCredentials receiver) {
        return alliance.envelopes(alliance.node("hangzhou"), Clock.systemUTC()).seal(
                "{\"q\":1}".getBytes(StandardCharsets.UTF_8),
                new ExchangeHeaders("m-1", "hangzhou", "huzhou", "query", null, NOW), receiver.certificate());
    }

    private static void assertRefusedWithACode(byte[] input, boolean gm) {
        Envelopes receiver = gm ? GM.envelopes(GM_RECEIVER, Clock.systemUTC()) : INTL.envelopes(INTL_RECEIVER, Clock.systemUTC());
        try {
            receiver.open(input);
        } catch (CodedException refused) {
            assertNotNull(refused.code());
            return;
        }
        // only the untouched envelope may open
        if (!java.util.Arrays.equals(input, gm ? GM_ENVELOPE : INTL_ENVELOPE)) {
            throw new AssertionError("an altered envelope opened");
        }
    }

    @Property(tries = 300)
    void truncatedEnvelopes_areRefusedWithACode(@ForAll @IntRange(min = 0, max = 4000) int keep, @ForAll boolean gm) {
        byte[] envelope = gm ? GM_ENVELOPE : INTL_ENVELOPE;
        assertRefusedWithACode(java.util.Arrays.copyOf(envelope, Math.min(keep, envelope.length - 1)), gm);
    }

    @Property(tries = 300)
    void mutatedEnvelopes_areRefusedWithACode(@ForAll("mutations") int[] mutation, @ForAll boolean gm) {
        byte[] envelope = (gm ? GM_ENVELOPE : INTL_ENVELOPE).clone();
        for (int i = 0; i + 1 < mutation.length; i += 2) {
            int at = Math.floorMod(mutation[i], envelope.length);
            byte value = (byte) mutation[i + 1];
            if (envelope[at] == value) {
                value ^= 0x01;
            }
            envelope[at] = value;
        }
        assertRefusedWithACode(envelope, gm);
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().array(int[].class).ofMinSize(2).ofMaxSize(16);
    }

    @Property(tries = 200)
    void randomBytes_areRefusedWithACode(@ForAll byte[] bytes, @ForAll boolean gm) {
        assertRefusedWithACode(bytes, gm);
    }

    @Property(tries = 50)
    void deeplyNestedOrHugeLengthHeaders_areRefusedWithACode(@ForAll @IntRange(min = 1, max = 100_000) int depth,
                                                             @ForAll boolean definite, @ForAll boolean gm) {
        byte[] nested = new byte[depth * (definite ? 6 : 2)];
        int pos = 0;
        for (int i = 0; i < depth; i++) {
            nested[pos++] = 0x30;
            nested[pos++] = (byte) (definite ? 0x84 : 0x80);
            if (definite) { // a length claiming 2 GiB
                nested[pos++] = 0x7f;
                nested[pos++] = (byte) 0xff;
                nested[pos++] = (byte) 0xff;
                nested[pos++] = (byte) 0xff;
            }
        }
        assertRefusedWithACode(nested, gm);
    }
}
