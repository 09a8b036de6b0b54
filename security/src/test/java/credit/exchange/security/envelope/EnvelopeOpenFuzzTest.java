package credit.exchange.security.envelope;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Coverage-guided fuzzing (Jazzer) of what a node opens first from the network: any bytes given
 * to {@link NodeEnvelopes#open} are either an envelope that opens, or refused with a coded
 * error; nothing else escapes (no parser exception, no error, no hang). Half the inputs are raw
 * bytes, half a valid GM or INTL envelope with the fuzzer's edits (bytes changed, cut, or
 * inserted), so that the mutations reach the decryption, the signature and the headers.
 *
 * <p>{@code mvn verify} runs it on its seeds (regression mode); CI fuzzes it for 30 seconds
 * (JAZZER_FUZZ=1, the {@code fuzz} executions of this module's pom).
 */
class EnvelopeOpenFuzzTest {

    private static final Alliance GM = new Alliance(Suite.GM);
    private static final Alliance INTL = new Alliance(Suite.INTL);
    private static final NodeCredentials HUZHOU_GM = GM.node("huzhou");
    private static final NodeCredentials HUZHOU_INTL = INTL.node("huzhou");
    private static final NodeEnvelopes HUZHOU = new NodeEnvelopes(Map.of(
            Suite.GM, GM.envelopes(HUZHOU_GM, Clock.systemUTC()), Suite.INTL, INTL.envelopes(HUZHOU_INTL, Clock.systemUTC())),
            EnvelopePolicy.DEFAULT);
    private static final byte[][] VALID = {sealed(GM, HUZHOU_GM), sealed(INTL, HUZHOU_INTL)};

    private static byte[] sealed(Alliance alliance, NodeCredentials recipient) {
        return alliance.envelopes(alliance.node("hangzhou"), Clock.systemUTC()).seal(
                "{\"uscc\":\"91330100716105852F\",\"purpose\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8),
                new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", "huzhou", "query", null, Instant.now()),
                recipient.certificate());
    }

    @FuzzTest(maxDuration = "30s")
    void anyBytes_openAsAnEnvelope_orAreRefusedWithACode(FuzzedDataProvider data) {
        byte[] input = data.consumeBoolean() ? mutated(VALID[data.consumeInt(0, 1)], data) : data.consumeRemainingAsBytes();
        try {
            HUZHOU.open(input);
        } catch (CodedException refused) {
            // the expected outcome of nearly every input: a coded refusal
        }
    }

    private static byte[] mutated(byte[] valid, FuzzedDataProvider data) {
        byte[] out = valid.clone();
        int edits = data.consumeInt(1, 8);
        for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> out[data.consumeInt(0, out.length - 1)] = data.consumeByte();
                case 1 -> out = java.util.Arrays.copyOf(out, data.consumeInt(0, out.length));
                default -> {
                    int at = data.consumeInt(0, out.length);
                    byte[] inserted = data.consumeBytes(16);
                    byte[] grown = new byte[out.length + inserted.length];
                    System.arraycopy(out, 0, grown, 0, at);
                    System.arraycopy(inserted, 0, grown, at, inserted.length);
                    System.arraycopy(out, at, grown, at + inserted.length, out.length - at);
                    out = grown;
                }
            }
            if (out.length == 0) {
                break;
            }
        }
        return out;
    }
}
