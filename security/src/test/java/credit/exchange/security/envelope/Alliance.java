package credit.exchange.security.envelope;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.security.cert.X509Certificate;
import java.util.List;
import java.time.Clock;
import java.time.Duration;

/** A test alliance: one CA of a suite and node credentials issued by it. */
final class Alliance {

    final Suite suite;
    final AllianceCa ca;

    Alliance(Suite suite) {
        this.suite = suite;
        // issued a day ago, so that signing times in the past are still inside the certificates' validity
        this.ca = AllianceCa.init(suite, "Test Alliance " + suite + " Root", Duration.ofDays(365),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
    }

    NodeCredentials node(String id) {
        return ca.issueNode(id, Duration.ofDays(30));
    }

    /** The PKI's validator with this CA as the only anchor and its current CRL. */
    PeerTrust trust() {
        CertificateValidator validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(3))),
                Clock.systemUTC());
        return (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
    }

    Envelopes envelopes(NodeCredentials self, Clock clock) {
        return new Envelopes(self, trust(), new InMemoryReplayGuard(clock), clock, EnvelopePolicy.DEFAULT);
    }

    X509Certificate caCertificate() {
        return ca.certificate();
    }
}
