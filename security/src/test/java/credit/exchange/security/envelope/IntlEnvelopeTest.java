package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The INTL envelope's conformance assertions, each named after what it asserts. */
class IntlEnvelopeTest {

    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Alliance ALLIANCE = new Alliance(Suite.INTL);
    private static final NodeCredentials HANGZHOU = ALLIANCE.node("hangzhou");
    private static final NodeCredentials HUZHOU = ALLIANCE.node("huzhou");
    private static final byte[] PAYLOAD = "{\"query\":{\"uscc\":\"91330100716105852F\"}}".getBytes(StandardCharsets.UTF_8);

    private static ExchangeHeaders headers(String from, String to, Instant at) {
        return new ExchangeHeaders(UUID.randomUUID().toString(), from, to, "query", null, at);
    }

    private static byte[] sealFromHangzhou(ExchangeHeaders h) {
        return ALLIANCE.envelopes(HANGZHOU, CLOCK).seal(PAYLOAD, h, HUZHOU.certificate());
    }

    private static CodedException refused(Envelopes opener, byte[] envelope) {
        return assertThrows(CodedException.class, () -> opener.open(envelope));
    }

    @Test
    void sealThenOpen_returnsPayloadAndSignedHeaders() {
        ExchangeHeaders sent = new ExchangeHeaders("m-1", "hangzhou", "huzhou", "query", "c-0", NOW);
        OpenedEnvelope opened = ALLIANCE.envelopes(HUZHOU, CLOCK).open(sealFromHangzhou(sent));
        assertArrayEquals(PAYLOAD, opened.payload());
        assertEquals(sent, opened.headers());
        assertEquals(HANGZHOU.certificate(), opened.signer());
        assertEquals(32, opened.receivedDigest().length);
    }

    @Test
    void envelopeForAnotherNode_isRefusedWithE_NOT_RECIPIENT() {
        NodeCredentials jiaxing = ALLIANCE.node("jiaxing");
        byte[] toHuzhou = sealFromHangzhou(headers("hangzhou", "huzhou", NOW));
        assertEquals(ErrorCode.E_NOT_RECIPIENT, refused(ALLIANCE.envelopes(jiaxing, CLOCK), toHuzhou).code());
    }

    @Test
    void headersNamingAnotherRecipient_areRefusedWithE_NOT_RECIPIENT() {
        byte[] envelope = sealFromHangzhou(headers("hangzhou", "shaoxing", NOW));
        assertEquals(ErrorCode.E_NOT_RECIPIENT, refused(ALLIANCE.envelopes(HUZHOU, CLOCK), envelope).code());
    }

    @Test
    void senderClaimingAnotherNode_isRefusedWithE_SIGNATURE_INVALID() {
        byte[] envelope = sealFromHangzhou(headers("jiaxing", "huzhou", NOW));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused(ALLIANCE.envelopes(HUZHOU, CLOCK), envelope).code());
    }

    @Test
    void signingTimeOutsideTheWindow_isRefusedWithE_STALE_bothWays() {
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        assertEquals(ErrorCode.E_STALE, refused(huzhou, sealFromHangzhou(headers("hangzhou", "huzhou", NOW.minusSeconds(301)))).code());
        assertEquals(ErrorCode.E_STALE, refused(huzhou, sealFromHangzhou(headers("hangzhou", "huzhou", NOW.plusSeconds(301)))).code());
        huzhou.open(sealFromHangzhou(headers("hangzhou", "huzhou", NOW.minusSeconds(299))));
    }

    @Test
    void replayedMessageId_isRefusedWithE_REPLAY() {
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        byte[] envelope = sealFromHangzhou(headers("hangzhou", "huzhou", NOW));
        huzhou.open(envelope);
        assertEquals(ErrorCode.E_REPLAY, refused(huzhou, envelope).code());
    }

    @Test
    void signerFromAnotherAlliance_isRefusedWithE_CERT_UNTRUSTED() {
        Alliance rogue = new Alliance(Suite.INTL);
        NodeCredentials impostor = rogue.node("hangzhou");
        byte[] envelope = rogue.envelopes(impostor, CLOCK).seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        assertEquals(ErrorCode.E_CERT_UNTRUSTED, refused(ALLIANCE.envelopes(HUZHOU, CLOCK), envelope).code());
    }

    @Test
    void oversizedEnvelope_isRefusedWithE_TOO_LARGE_beforeParsing() {
        Envelopes small = new Envelopes(HUZHOU, ALLIANCE.trust(), new InMemoryReplayGuard(CLOCK), CLOCK,
                new EnvelopePolicy(Duration.ofSeconds(300), 1024));
        assertEquals(ErrorCode.E_TOO_LARGE, refused(small, new byte[1025]).code());
    }

    @Test
    void deeplyNestedAsn1_isRefusedWithE_MALFORMED_withoutStackOverflow() {
        int depth = 200_000;
        byte[] nested = new byte[depth * 2];
        for (int i = 0; i < depth; i++) {
            nested[2 * i] = 0x30;           // SEQUENCE
            nested[2 * i + 1] = (byte) 0x80; // indefinite length
        }
        assertEquals(ErrorCode.E_MALFORMED, refused(ALLIANCE.envelopes(HUZHOU, CLOCK), nested).code());
    }

    @Test
    void everySingleBitFlip_isRefusedWithACode() {
        byte[] envelope = sealFromHangzhou(headers("hangzhou", "huzhou", NOW));
        for (int bit = 0; bit < envelope.length * 8; bit++) {
            byte[] flipped = envelope.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Envelopes fresh = ALLIANCE.envelopes(HUZHOU, CLOCK); // a fresh replay memory: only the flip may cause refusal
            try {
                fresh.open(flipped);
                fail("bit " + bit + " of " + envelope.length * 8 + " flipped and the envelope still opened");
            } catch (CodedException expected) {
                // every refusal carries a code; anything else would have escaped as another exception
            }
        }
    }

    @Test
    void receipt_signedByTheReceiver_verifiesForTheSender_overTheExactBytesSent() {
        Envelopes hangzhou = ALLIANCE.envelopes(HANGZHOU, CLOCK);
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        byte[] sent = hangzhou.seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        OpenedEnvelope opened = huzhou.open(sent);
        Receipt issued = new Receipt(opened.headers().messageId(), "hangzhou", "huzhou", huzhou.digestAlgorithm(),
                opened.receivedDigest(), NOW, Receipt.ACCEPTED);

        Receipt verified = hangzhou.verifyReceipt(huzhou.signReceipt(issued), sent);

        assertEquals(issued, verified);
        assertEquals(true, verified.accepted());
    }

    @Test
    void receipt_forOtherBytes_isRefusedWithE_SIGNATURE_INVALID() {
        Envelopes hangzhou = ALLIANCE.envelopes(HANGZHOU, CLOCK);
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        byte[] sent = hangzhou.seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        byte[] other = hangzhou.seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        OpenedEnvelope opened = huzhou.open(other);
        byte[] receipt = huzhou.signReceipt(new Receipt(opened.headers().messageId(), "hangzhou", "huzhou",
                huzhou.digestAlgorithm(), opened.receivedDigest(), NOW, Receipt.ACCEPTED));

        assertEquals(ErrorCode.E_SIGNATURE_INVALID,
                assertThrows(CodedException.class, () -> hangzhou.verifyReceipt(receipt, sent)).code());
    }

    @Test
    void receipt_namingAnotherReceiverThanItsSigner_isRefusedWithE_SIGNATURE_INVALID() {
        Envelopes hangzhou = ALLIANCE.envelopes(HANGZHOU, CLOCK);
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        byte[] sent = hangzhou.seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        OpenedEnvelope opened = huzhou.open(sent);
        byte[] forged = huzhou.signReceipt(new Receipt(opened.headers().messageId(), "hangzhou", "shaoxing",
                huzhou.digestAlgorithm(), opened.receivedDigest(), NOW, Receipt.ACCEPTED));

        assertEquals(ErrorCode.E_SIGNATURE_INVALID,
                assertThrows(CodedException.class, () -> hangzhou.verifyReceipt(forged, sent)).code());
    }

    @Test
    void receipt_withAnotherStatusThanACCEPTED_isRefusedWithE_FIELD_INVALID() {
        Envelopes hangzhou = ALLIANCE.envelopes(HANGZHOU, CLOCK);
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, CLOCK);
        byte[] sent = hangzhou.seal(PAYLOAD, headers("hangzhou", "huzhou", NOW), HUZHOU.certificate());
        OpenedEnvelope opened = huzhou.open(sent);
        byte[] refusal = huzhou.signReceipt(new Receipt(opened.headers().messageId(), "hangzhou", "huzhou",
                huzhou.digestAlgorithm(), opened.receivedDigest(), NOW, "E_STALE"));

        assertEquals(ErrorCode.E_FIELD_INVALID,
                assertThrows(CodedException.class, () -> hangzhou.verifyReceipt(refusal, sent)).code());
    }
}
