package credit.exchange.routes.support;

import credit.exchange.routes.partner.Partner;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Hangzhou and Huzhou of one GM alliance, for the unit tests of what travels between nodes: their credentials from
 * one test CA, and envelopes over any replay guard (the database's, or one in memory).
 */
public final class TwoNodes {

    public static final AllianceCa CA = AllianceCa.init(Suite.GM, "Test Alliance GM Root", Duration.ofDays(365),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
    public static final NodeCredentials HANGZHOU = CA.issueNode("hangzhou", Duration.ofDays(30));
    public static final NodeCredentials HUZHOU = CA.issueNode("huzhou", Duration.ofDays(30));
    public static final byte[] CHECKPOINT_REQUEST = "{\"checkpoint\": \"AAAA\"}".getBytes(StandardCharsets.UTF_8);

    private TwoNodes() {
    }

    public static NodeEnvelopes envelopes(NodeCredentials self, ReplayGuard guard) {
        CertificateValidator validator = new CertificateValidator(List.of(CA.certificate()), List.of(CA.crl(Duration.ofDays(3))),
                Clock.systemUTC());
        PeerTrust trust = (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
        return new NodeEnvelopes(Map.of(Suite.GM, new Envelopes(self, trust, guard, Clock.systemUTC(), EnvelopePolicy.DEFAULT)),
                EnvelopePolicy.DEFAULT);
    }

    public static NodeEnvelopes inMemory(NodeCredentials self) {
        return envelopes(self, new InMemoryReplayGuard(Clock.systemUTC()));
    }

    /** A request of {@code sender} to {@code recipient}, sealed: a new message id each time. */
    public static byte[] request(NodeEnvelopes sender, String from, NodeCredentials recipient, Partner.ExchangeType type, byte[] payload) {
        return request(sender, from, recipient, type, payload, UUID.randomUUID().toString());
    }

    public static byte[] request(NodeEnvelopes sender, String from, NodeCredentials recipient, Partner.ExchangeType type, byte[] payload,
                          String messageId) {
        return sender.seal(payload, new ExchangeHeaders(messageId, from, recipient.nodeId(), type.wireName(), null, Instant.now()),
                recipient.certificate());
    }

    /** The sealed answer {@code answering} gives to an opened request, and its signed receipt of the request. */
    public static byte[][] answerAndReceipt(NodeEnvelopes answering, OpenedEnvelope request, byte[] payload, NodeCredentials to) {
        ExchangeHeaders h = request.headers();
        byte[] answer = answering.seal(payload, new ExchangeHeaders(UUID.randomUUID().toString(), h.recipient(), h.sender(),
                h.exchangeType() + "-answer", h.messageId(), Instant.now()), to.certificate());
        Envelopes suite = answering.suite(Suite.GM);
        byte[] receipt = suite.signReceipt(new Receipt(h.messageId(), h.sender(), h.recipient(), suite.digestAlgorithm(),
                request.receivedDigest(), Instant.now(), Receipt.ACCEPTED));
        return new byte[][] {answer, receipt};
    }

    /** Huzhou as Hangzhou's configuration has it, at {@code endpoint}: one attempt, answer within {@code answerTimeout}. */
    public static Partner huzhouAt(URI endpoint, Duration answerTimeout) {
        return partner(HUZHOU, endpoint, answerTimeout);
    }

    /** The node as its partners' configuration has it, at {@code endpoint}: one attempt, answer within {@code answerTimeout}. */
    public static Partner partner(NodeCredentials node, URI endpoint, Duration answerTimeout) {
        return new Partner(node.nodeId(), node.nodeId(), Partner.Level.ALLIANCE_CITY, true, endpoint, Suite.GM, node.certificate(),
                Optional.empty(), Set.of(), false, Set.of(), Optional.empty(), Optional.empty(), new Partner.RateLimit(100, 100),
                Duration.ofSeconds(1), answerTimeout, Path.of(node.nodeId() + ".yaml"));
    }
}
