package credit.exchange.bench;

import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;

/**
 * A benchmark alliance as production runs it: one CA of a suite, a sending and a receiving node,
 * and on the receiving side the PKI's real {@link CertificateValidator} (with its cache) behind
 * {@link PeerTrust}, and an {@link InMemoryReplayGuard}. Every clock is frozen at the set-up
 * instant, so no envelope leaves the freshness window however long the run takes.
 */
final class BenchAlliance {

    static final String SENDER = "hangzhou";
    static final String RECIPIENT = "national";

    final Suite suite;
    final Instant now;
    final Clock clock;
    final AllianceCa ca;
    final NodeCredentials sender;
    final NodeCredentials recipient;
    final CertificateValidator validator;

    BenchAlliance(Suite suite) {
        this.suite = suite;
        this.now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        // issued a day before the frozen instant, as the envelope tests do
        this.ca = AllianceCa.init(suite, "Bench Alliance " + suite + " Root", Duration.ofDays(365),
                Clock.offset(clock, Duration.ofDays(-1)));
        this.sender = ca.issueNode(SENDER, Duration.ofDays(30));
        this.recipient = ca.issueNode(RECIPIENT, Duration.ofDays(30));
        this.validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(3))), clock);
    }

    /** The receiving node's trust decision: the validator, as the gateway wires it. */
    PeerTrust trust() {
        return (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
    }

    Envelopes senderEnvelopes() {
        return new Envelopes(sender, trust(), new InMemoryReplayGuard(clock), clock, EnvelopePolicy.DEFAULT);
    }

    Envelopes recipientEnvelopes(ReplayGuard replay) {
        return new Envelopes(recipient, trust(), replay, clock, EnvelopePolicy.DEFAULT);
    }

    ExchangeHeaders headers(String messageId) {
        return new ExchangeHeaders(messageId, SENDER, RECIPIENT, "push", null, now);
    }

    /**
     * The DER signed attributes of a real envelope of this alliance: exactly what the sender's
     * signature covers (content type, message digest, signing time, CMS algorithm protection and
     * the exchange headers), so that the primitive benchmarks sign and verify what seal signs.
     */
    byte[] signedAttributesOfAnEnvelope() {
        byte[] envelope = senderEnvelopes().seal(payload(2048), headers("attributes-probe"), recipient.certificate());
        try {
            return new DERSet(recipientEnvelopes(new InMemoryReplayGuard(clock)).openContent(envelope)
                    .signedAttributes().toASN1EncodableVector()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the trial when its set-up does not do what the benchmark assumes. */
    static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up is wrong: " + failure);
        }
    }

    /**
     * A UTF-8 JSON payload of exactly {@code bytes} bytes, shaped like a push of credit records
     * (mostly ASCII with some Chinese text), so the bulk cipher and digests see realistic input:
     * as many whole records as fit, then spaces up to the closing brackets.
     */
    static byte[] payload(int bytes) {
        byte[] record = ("{\"uscc\":\"91330100MA2B3C4D5E\",\"cf_wsh\":\"杭市场罚字〔2016〕2000号\","
                + "\"cf_cfmc\":\"行政处罚\",\"cf_jdrq\":\"2016-05-12\",\"classification\":\"B\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] open = "{\"records\":[".getBytes(StandardCharsets.US_ASCII);
        byte[] close = "]}".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[bytes];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(open, 0, out, 0, open.length);
        int at = open.length;
        while (at + record.length + 1 + close.length <= bytes) {
            if (at > open.length) {
                out[at++] = ',';
            }
            System.arraycopy(record, 0, out, at, record.length);
            at += record.length;
        }
        System.arraycopy(close, 0, out, bytes - close.length, close.length);
        return out;
    }
}
