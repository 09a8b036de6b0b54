package credit.exchange.gateway.cli;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Seal and open alliance envelopes by hand: what partners test against, and what operators debug with. */
@Command(name = "envelope", description = "Seal or open an alliance envelope (CMS; see docs/protocol.md).",
        subcommands = {EnvelopeCommand.Seal.class, EnvelopeCommand.Open.class})
final class EnvelopeCommand {

    /** The sender's or receiver's own key and certificate. */
    static final class Identity {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "own private key (encrypted PEM)")
        Path key;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "own certificate (PEM, chain after it)")
        Path cert;

        @Option(names = "--passphrase", defaultValue = PkiCommand.KEY_PASSPHRASE, paramLabel = "env:NAME|file:PATH")
        String passphrase;

        NodeCredentials load() throws Exception {
            return NodeCredentials.load(key, cert, Passphrases.from(passphrase));
        }
    }

    @Command(name = "seal", description = "Sign a payload as this node and encrypt it for the recipient.")
    static final class Seal implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Identity identity = new Identity();

        @Option(names = "--suite", required = true, description = "GM or INTL; must be the keys'")
        String suite;

        @Option(names = "--to", required = true, paramLabel = "CERT", description = "the recipient node's certificate")
        Path to;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "payload (UTF-8 JSON)")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Option(names = "--type", defaultValue = "query", description = "exchange type (default ${DEFAULT-VALUE})")
        String type;

        @Option(names = "--message-id", description = "default: a random UUID")
        String messageId;

        @Option(names = "--correlation-id", description = "the message this one answers")
        String correlationId;

        @Override
        public Integer call() throws Exception {
            NodeCredentials self = identity.load();
            if (self.suite() != Suite.parse(suite)) {
                throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "the key is of suite " + self.suite() + ", not " + suite);
            }
            X509Certificate recipient = PemFiles.readCertificate(to);
            String recipientId = credit.exchange.security.pki.AllianceProfile.nodeId(recipient);
            ExchangeHeaders headers = new ExchangeHeaders(messageId != null ? messageId : UUID.randomUUID().toString(),
                    self.nodeId(), recipientId, type, correlationId, Instant.now());
            // sealing neither validates peers nor remembers ids: those parameters serve opening only
            Envelopes envelopes = new Envelopes(self, (c, s) -> c, (s, m, t) -> true, GatewayCtl.CLOCK, EnvelopePolicy.DEFAULT);
            byte[] sealed = envelopes.seal(Files.readAllBytes(in), headers, recipient);
            Files.write(out, sealed);
            System.out.printf("sealed %s -> %s: message %s, type %s, %d bytes (%s)%n", headers.sender(), headers.recipient(),
                    headers.messageId(), headers.exchangeType(), sealed.length, out);
            return 0;
        }
    }

    @Command(name = "open", description = {
        "Open an envelope addressed to this node and print its verified headers.",
            "Decrypt with this node's key, verify the sender against the trust anchor and its CRL, check freshness;",
            "prints the verified headers. Exit status 3 with the error code when the envelope is refused."})
    static final class Open implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Identity identity = new Identity();

        @Option(names = "--trust", required = true, paramLabel = "CA_CERT", description = "the alliance root certificate")
        Path trust;

        @Option(names = "--crl", paramLabel = "FILE", description = "the CA's CRL (default: crl.pem beside --trust)")
        Path crl;

        @Option(names = "--in", required = true, paramLabel = "FILE")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the payload goes")
        Path out;

        @Override
        public Integer call() throws Exception {
            NodeCredentials self = identity.load();
            Path crlFile = crl != null ? crl : trust.toAbsolutePath().resolveSibling("crl.pem");
            List<java.security.cert.X509CRL> crls = new ArrayList<>();
            if (Files.exists(crlFile)) {
                crls.add(PemFiles.readCrl(crlFile));
            }
            CertificateValidator validator = new CertificateValidator(List.of(PemFiles.readCertificate(trust)), crls, GatewayCtl.CLOCK);
            Envelopes envelopes = new Envelopes(self, (c, s) -> validator.validate(c, s, Usage.SIGNING),
                    new InMemoryReplayGuard(GatewayCtl.CLOCK), GatewayCtl.CLOCK, EnvelopePolicy.DEFAULT);
            try {
                OpenedEnvelope opened = envelopes.open(Files.readAllBytes(in));
                Files.write(out, opened.payload());
                ExchangeHeaders h = opened.headers();
                System.out.printf("OPENED message %s%n  sender %s (certificate serial %s)%n  recipient %s%n  type %s%n"
                                + "  correlation %s%n  signed at %s%n  payload %d bytes -> %s%n",
                        h.messageId(), h.sender(), opened.signer().getSerialNumber().toString(16), h.recipient(), h.exchangeType(),
                        h.correlationId() == null ? "-" : h.correlationId(), h.signingTime(), opened.payload().length, out);
                return 0;
            } catch (CodedException refused) {
                System.out.println("REFUSED " + refused.code() + ": " + refused.getMessage());
                return 3;
            }
        }
    }
}
