package credit.exchange.gateway.cli;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.conformance.ConformanceReport;
import credit.exchange.routes.conformance.ConformanceRunner;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.PemFiles;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatewayctl conformance}: the protocol's numbered cases against another implementation. */
@Command(name = "conformance", description = "Runs the protocol's numbered conformance cases against a partner's exchange listener,"
        + " acting as this node, and prints one PASS, FAIL or SKIP line per case (docs/protocol.md, section Conformance).",
        footer = "It sends real envelopes signed with the node's keys, valid and deliberately bad ones, each once; what a pull"
                + " hands over is kept as `gatewayctl pull` keeps it before it is acknowledged. The run is an audit event naming"
                + " the operator. Exit 0 when no case failed (skips allowed), 1 when one failed, 2 when it could not run"
                + " (configuration, partner unreachable).")
final class ConformanceCommand implements Callable<Integer> {

    @Option(names = "--partner-url", required = true, paramLabel = "URL",
            description = "the partner's exchange listener, e.g. https://huzhou.example:8443 (its /exchange is added when missing)")
    String partnerUrl;

    @Option(names = "--as", required = true, paramLabel = "NODE", description = "the node to act as: its credentials, trust and partner files")
    String as;

    @Option(names = "--partner", paramLabel = "ID",
            description = "the partner's node id (default: the partner file whose endpoint is the URL, or the certificate's)")
    String partnerId;

    @Option(names = "--partner-cert", paramLabel = "FILE",
            description = "the partner's envelope certificate (PEM), when no partner file of this node names it")
    Path partnerCert;

    @Option(names = "--config", paramLabel = "FILE", description = "node configuration file (properties)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default ./data)")
    Path dataDir;

    @Option(names = "--uscc", defaultValue = "91330100716105852F", paramLabel = "CODE",
            description = "the legal person the queries ask about (default ${DEFAULT-VALUE})")
    String uscc;

    @Option(names = "--timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "how long each request waits for its answer (default ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--json", description = "print the report as JSON instead of the lines")
    boolean json;

    @Override
    public Integer call() throws Exception {
        IdentifierCheck check = Uscc.check(uscc.strip().toUpperCase(Locale.ROOT));
        if (!check.valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "USCC " + check.reason());
        }
        if (timeoutMs < 1) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "--timeout-ms must be 1 or more");
        }
        URI endpoint = endpoint(partnerUrl);
        NodeOptions node = new NodeOptions();
        node.config = config;
        node.dataDir = dataDir;
        node.node = as;
        NodeConfig nodeConfig = node.load();
        try (PartnerSession session = PartnerSession.open(nodeConfig)) {
            Partner partner = partner(session, endpoint);
            Instant validFrom = session.identity.certificate(partner.suite()).orElseThrow(() -> new CodedException(
                    ErrorCode.E_SUITE_MISMATCH, "node " + as + " holds no " + partner.suite() + " credential, the suite of "
                            + partner.id())).getNotBefore().toInstant();
            ConformanceRunner runner = new ConformanceRunner(as, partner, session.envelopes, session.client.listener(),
                    new ReceivedDeliveries(session.store.database()), session.clock, Duration.ofMillis(timeoutMs), validFrom,
                    uscc.strip().toUpperCase(Locale.ROOT), CliOperator.name());
            ConformanceReport report = runner.run();
            // the run sent exchanges on the node's behalf and may have kept a pulled delivery: an event naming the operator
            List<Integer> failed = report.results().stream().filter(r -> r.outcome() == ConformanceReport.Outcome.FAIL)
                    .map(ConformanceReport.Result::number).toList();
            session.audit.append(List.of(AuditEvent.by(AuditEvent.ActorKind.OPERATOR, CliOperator.name(), AuditEvent.Action.CONFORMANCE)
                    .at(session.clock.instant()).partner(partner.id()).reason(failed.isEmpty() ? null : "cases failed: " + failed)
                    .messageIds(runner.sentMessageIds()).outcome(report.conforms() ? AuditEvent.Outcome.CONFORMS : AuditEvent.Outcome.FAILED)
                    .detail("conformance run against " + report.exchangeUri() + ": " + report.summary()).build()));
            if (json) {
                System.out.println(Json.write(report));
            } else {
                System.out.printf("conformance of %s at %s, as %s, suite %s%n", report.partner(), report.exchangeUri(), report.self(),
                        report.suite());
                report.results().forEach(r -> System.out.println(r.line()));
                System.out.println(report.summary());
            }
            return report.conforms() ? CliErrors.OK : CliErrors.FOUND_PROBLEMS;
        }
    }

    /** The partner's endpoint: the URL without its /exchange, as partner files name it. */
    private static URI endpoint(String url) {
        URI uri;
        try {
            uri = URI.create(withoutExchangePath(url));
        } catch (IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "--partner-url is not a URL: " + url);
        }
        if (!Set.of("https", "http").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "--partner-url must be an https:// URL (http:// in dev mode): " + url);
        }
        return uri;
    }

    private static String withoutExchangePath(String url) {
        return url.strip().replaceAll("/+$", "").replaceAll("/exchange$", "");
    }

    /** The partner tested: its file (named, or found by the URL), or its certificate, at the URL given. */
    private Partner partner(PartnerSession session, URI endpoint) throws java.io.IOException {
        Optional<X509Certificate> certificate = partnerCert == null ? Optional.empty()
                : Optional.of(PemFiles.readCertificate(partnerCert));
        String id = partnerId != null ? partnerId.strip() : certificate.map(AllianceProfile::nodeId).orElse(null);
        Optional<Partner> file;
        if (id != null) {
            file = session.partners.find(id);
        } else {
            List<Partner> atUrl = session.partners.all().stream().filter(p -> endpoint.toString().equals(withoutExchangePath(p.endpoint().toString()))).toList();
            if (atUrl.size() != 1) {
                throw new CodedException(ErrorCode.E_NOT_FOUND, (atUrl.isEmpty() ? "no partner file" : atUrl.size() + " partner files")
                        + " of node " + as + " name the endpoint " + endpoint + " (partner files in " + session.partners.directory()
                        + "): give --partner ID, or --partner-cert FILE");
            }
            file = Optional.of(atUrl.get(0));
        }
        if (file.isEmpty() && certificate.isEmpty()) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no partner '" + id + "' is configured for node " + as
                    + " (partner files in " + session.partners.directory() + "): give its certificate with --partner-cert FILE");
        }
        X509Certificate cert = certificate.orElseGet(() -> file.get().certificate());
        Suite suite = Suite.ofKey(cert.getPublicKey()).orElseThrow(() -> new CodedException(ErrorCode.E_SUITE_MISMATCH,
                "the partner's certificate holds a key of neither suite"));
        if (file.isPresent()) {
            Partner p = file.get();
            return new Partner(p.id(), p.name(), p.level(), true, endpoint, suite, cert, p.mayQuery(), p.weSend(),
                    p.mayDeliverPublicity(), p.noticeKinds(), p.push(), p.pullFrom(), p.rateLimit(), p.connectTimeout(),
                    p.answerTimeout(), p.source());
        }
        return new Partner(id, id, Partner.Level.ALLIANCE_CITY, true, endpoint, suite, cert, Optional.empty(), Set.of(), false,
                Set.of(), Optional.empty(), Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(5),
                Duration.ofMillis(timeoutMs), partnerCert);
    }
}
