package credit.exchange.routes.countersign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Huzhou witnessing Hangzhou's audit trail: it countersigns Hangzhou's signed checkpoint with its
 * own key and keeps both; the same checkpoint again gets the same countersignature; another hash
 * at a sequence number it already witnessed is a forked trail and refused; a checkpoint not signed
 * by the node whose trail it is, is refused.
 */
@ExtendWith(CleanCreditStore.class)
class CountersignaturesTest {

    private static final AllianceCa CA = AllianceCa.init(Suite.GM, "Test Alliance GM Root", Duration.ofDays(365),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
    private static final Envelopes HANGZHOU = envelopes(CA.issueNode("hangzhou", Duration.ofDays(30)));
    private static final Envelopes HUZHOU = envelopes(CA.issueNode("huzhou", Duration.ofDays(30)));

    private final TestNode node;

    CountersignaturesTest(TestNode node) {
        this.node = node;
    }

    private static Envelopes envelopes(NodeCredentials self) {
        CertificateValidator validator = new CertificateValidator(List.of(CA.certificate()), List.of(CA.crl(Duration.ofDays(3))),
                Clock.systemUTC());
        PeerTrust trust = (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
        return new Envelopes(self, trust, new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC(), EnvelopePolicy.DEFAULT);
    }

    private static Checkpoint checkpoint(long seq, int hashByte) {
        byte[] hash = new byte[32];
        java.util.Arrays.fill(hash, (byte) hashByte);
        return new Checkpoint("hangzhou", "SM3", seq, hash, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void aPartnersCheckpoint_isCountersigned_onceForEachHash_andAForkIsRefused() {
        Countersignatures huzhou = new Countersignatures(node.database(), "huzhou",
                new NodeEnvelopes(Map.of(Suite.GM, HUZHOU), EnvelopePolicy.DEFAULT));
        Checkpoint at10 = checkpoint(10, 1);

        byte[] countersigned = huzhou.countersign("hangzhou", at10.sign(HANGZHOU));

        Checkpoint verified = Checkpoint.verify(HANGZHOU, countersigned, "huzhou");
        assertArrayEquals(at10.statement(), verified.statement(), "the very statement Hangzhou signed, signed by Huzhou");
        assertArrayEquals(countersigned, huzhou.countersign("hangzhou", at10.sign(HANGZHOU)), "asked again: the same answer");
        CodedException fork = assertThrows(CodedException.class, () -> huzhou.countersign("hangzhou", checkpoint(10, 2).sign(HANGZHOU)));
        assertEquals(ErrorCode.E_CHECKPOINT_CONFLICT, fork.code());
        CodedException notHis = assertThrows(CodedException.class, () -> huzhou.countersign("hangzhou", at10.sign(HUZHOU)));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, notHis.code());
    }

    /** What is no checkpoint statement, or one in another spelling, is E_MALFORMED and never countersigned (§12). */
    @Test
    void aSignedTextThatIsNoStatement_orAStatementInAnotherSpelling_isRefusedMalformed() {
        Countersignatures huzhou = new Countersignatures(node.database(), "huzhou",
                new NodeEnvelopes(Map.of(Suite.GM, HUZHOU), EnvelopePolicy.DEFAULT));
        byte[] hello = HANGZHOU.signStatement(credit.exchange.security.envelope.ExchangeAttributes.AUDIT_CHECKPOINT,
                "hello, partner\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ErrorCode.E_MALFORMED, assertThrows(CodedException.class, () -> huzhou.countersign("hangzhou", hello)).code());
        byte[] unhyphenated = HANGZHOU.signStatement(credit.exchange.security.envelope.ExchangeAttributes.AUDIT_CHECKPOINT,
                new String(checkpoint(11, 1).statement(), java.nio.charset.StandardCharsets.UTF_8).replace("algorithm SM3", "algorithm SHA256")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ErrorCode.E_MALFORMED, assertThrows(CodedException.class, () -> huzhou.countersign("hangzhou", unhyphenated)).code());
        byte[] shortHash = new Checkpoint("hangzhou", "SM3", 12, new byte[16], Instant.now().truncatedTo(ChronoUnit.SECONDS)).sign(HANGZHOU);
        assertEquals(ErrorCode.E_MALFORMED, assertThrows(CodedException.class, () -> huzhou.countersign("hangzhou", shortHash)).code());
    }

    @Test
    void aPartnerThatStaysDown_isAskedEverLessOften_atMostEveryTenMinutes() {
        assertEquals(java.time.Duration.ofSeconds(5), CheckpointCourier.RETRY.pauseAfter(1));
        assertEquals(java.time.Duration.ofSeconds(10), CheckpointCourier.RETRY.pauseAfter(2));
        assertEquals(java.time.Duration.ofSeconds(320), CheckpointCourier.RETRY.pauseAfter(7));
        assertEquals(java.time.Duration.ofMinutes(10), CheckpointCourier.RETRY.pauseAfter(8));
        assertEquals(java.time.Duration.ofMinutes(10), CheckpointCourier.RETRY.pauseAfter(1000));
        assertEquals(java.time.Duration.ofSeconds(8), CheckpointCourier.RETRY.pauseAfter(2, () -> 1), "less at most a fifth, at random");
    }
}
