package credit.exchange.gateway.cli;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.RevocationReason;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The alliance PKI from the command line. Passphrases come from an environment variable or a
 * file ({@code env:NAME}, {@code file:PATH}), never from the command line itself.
 */
@Command(name = "pki", description = "Alliance PKI: root CA, node certificates, revocation.",
        subcommands = {PkiCommand.InitCa.class, PkiCommand.Issue.class, PkiCommand.Revoke.class, PkiCommand.Crl.class})
final class PkiCommand {

    static final String CA_PASSPHRASE = "env:GATEWAY_CA_PASSPHRASE";
    static final String KEY_PASSPHRASE = "env:GATEWAY_KEY_PASSPHRASE";
    static final Duration CRL_VALIDITY = Duration.ofDays(7);

    @Command(name = "init-ca", description = "Create an alliance root CA (key, certificate, first CRL) in a directory.")
    static final class InitCa implements Callable<Integer> {
        @Option(names = "--suite", required = true, description = "GM or INTL")
        String suite;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Option(names = "--name", defaultValue = "Credit City Alliance Root CA")
        String name;

        @Option(names = "--validity-days", defaultValue = "3650")
        int validityDays;

        @Option(names = "--crl-url", paramLabel = "URL",
                description = "where the CA operator's node serves this CA's CRL, e.g. http://ca-node.example.org:8081/crl/gm.crl"
                        + " (repeatable; plain http): the CRL distribution point of every node certificate issued")
        List<URI> crlUrls = List.of();

        @Option(names = "--passphrase", defaultValue = CA_PASSPHRASE, paramLabel = "env:NAME|file:PATH",
                description = "where the CA key's passphrase comes from (default ${DEFAULT-VALUE})")
        String passphrase;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out.resolve("ca.cert.pem"))) {
                throw new IllegalArgumentException(out + " already holds a CA; refusing to overwrite it");
            }
            char[] secret = Passphrases.from(passphrase);
            Passphrases.requireStrong(secret, "the CA key's passphrase (" + passphrase + ")");
            AllianceCa ca = AllianceCa.init(Suite.parse(suite), name, Duration.ofDays(validityDays));
            ca.publishCrlAt(crlUrls);
            renewCrl(ca, out, secret); // the first
            System.out.printf("alliance CA (%s) created in %s: ca.cert.pem, ca.key.pem (encrypted), crl.pem%n", ca.suite(), out);
            return 0;
        }
    }

    @Command(name = "issue", description = "Issue a node key and certificate from the alliance CA.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--node", required = true, paramLabel = "ID")
        String node;

        @Option(names = "--suite", required = true, description = "GM or INTL; must be the CA's")
        String suite;

        @Option(names = "--ca", required = true, paramLabel = "DIR")
        Path caDir;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Option(names = "--validity-days", defaultValue = "730")
        int validityDays;

        @Option(names = "--dns", split = ",", paramLabel = "NAME",
                description = "the DNS names or IP addresses the node answers TLS at, e.g. gateway.example.org,10.0.0.5"
                        + " (default: localhost,127.0.0.1)")
        List<String> dns = List.of();

        @Option(names = "--crl-url", paramLabel = "URL",
                description = "the certificate's CRL distribution point (repeatable; plain http)"
                        + " (default: the CA's, as pki init-ca --crl-url set it; none: the certificate names none)")
        List<URI> crlUrls;

        @Option(names = "--ca-passphrase", defaultValue = CA_PASSPHRASE, paramLabel = "env:NAME|file:PATH")
        String caPassphrase;

        @Option(names = "--passphrase", defaultValue = KEY_PASSPHRASE, paramLabel = "env:NAME|file:PATH",
                description = "protects the node key at rest (default ${DEFAULT-VALUE})")
        String passphrase;

        @Override
        public Integer call() throws Exception {
            char[] caSecret = Passphrases.from(caPassphrase);
            char[] keySecret = Passphrases.from(passphrase);
            Passphrases.requireStrong(keySecret, "the node key's passphrase (" + passphrase + ")");
            AllianceCa ca = AllianceCa.load(caDir, caSecret);
            if (ca.suite() != Suite.parse(suite)) {
                throw new IllegalArgumentException("the CA in " + caDir + " is of suite " + ca.suite() + ", not " + suite);
            }
            NodeCredentials credentials = ca.issueNode(node, Duration.ofDays(validityDays), dns, crlUrls != null ? crlUrls : ca.crlUrls());
            Files.createDirectories(out);
            credentials.save(out.resolve(node + ".key.pem"), out.resolve(node + ".cert.pem"), keySecret);
            ca.save(caDir, caSecret);
            System.out.printf("node %s: %s, %s (encrypted), serial %s%n", node, out.resolve(node + ".cert.pem"),
                    out.resolve(node + ".key.pem"), credentials.certificate().getSerialNumber().toString(16));
            List<URI> named = AllianceProfile.crlUrls(credentials.certificate());
            System.out.println(named.isEmpty() ? "  no CRL distribution point: partners need the CA's crl.pem as a file (gateway.trust.crls)"
                    : "  CRL distribution point " + named.stream().map(URI::toString).collect(Collectors.joining(", ")));
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a node certificate by serial (hex) and publish a new CRL.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "DIR")
        Path caDir;

        @Option(names = "--serial", required = true, paramLabel = "HEX")
        String serial;

        @Option(names = "--reason", defaultValue = "UNSPECIFIED",
                description = "one of ${COMPLETION-CANDIDATES}")
        RevocationReason reason;

        @Option(names = "--ca-passphrase", defaultValue = CA_PASSPHRASE, paramLabel = "env:NAME|file:PATH")
        String caPassphrase;

        @Override
        public Integer call() throws Exception {
            char[] caSecret = Passphrases.from(caPassphrase);
            AllianceCa ca = AllianceCa.load(caDir, caSecret);
            ca.revoke(new BigInteger(serial, 16), reason);
            renewCrl(ca, caDir, caSecret);
            System.out.printf("revoked %s (%s); new CRL in %s%n", serial, reason, caDir.resolve("crl.pem"));
            return 0;
        }
    }

    @Command(name = "crl", description = {"Publish a fresh CRL (the same revocations, a new number and nextUpdate) in the CA directory.",
            "Do it well before the current CRL's nextUpdate: the CA operator's node, whose gateway.trust.crls names this crl.pem,",
            "serves it at its CRL port, and the other nodes fetch it from the distribution point their certificates name."})
    static final class Crl implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "DIR")
        Path caDir;

        @Option(names = "--ca-passphrase", defaultValue = CA_PASSPHRASE, paramLabel = "env:NAME|file:PATH")
        String caPassphrase;

        @Override
        public Integer call() throws Exception {
            char[] caSecret = Passphrases.from(caPassphrase);
            AllianceCa ca = AllianceCa.load(caDir, caSecret);
            X509CRL crl = renewCrl(ca, caDir, caSecret);
            System.out.printf("CRL %s of the %s CA, %d revoked, next update %s: %s%n", crlNumber(crl), ca.suite(), ca.revoked().size(),
                    crl.getNextUpdate().toInstant(), caDir.resolve("crl.pem"));
            return 0;
        }

        private static String crlNumber(X509CRL crl) {
            byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
            return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets()).getValue().toString();
        }
    }

    /** Issues the CA's next CRL (its revocations, a new number, nextUpdate {@link #CRL_VALIDITY} on) and saves the CA with it as crl.pem. */
    private static X509CRL renewCrl(AllianceCa ca, Path caDir, char[] caSecret) throws Exception {
        X509CRL crl = ca.crl(CRL_VALIDITY);
        ca.save(caDir, caSecret);
        return crl;
    }
}
