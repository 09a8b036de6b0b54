package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.federation.ReportSettings;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.alliance.AllianceNotices;
import credit.exchange.routes.alliance.Recognitions;
import credit.exchange.routes.mutualquery.PartnerAnswers;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.ReceivedRecords;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordDisclosure;
import credit.exchange.routes.report.CreditReports;
import credit.exchange.routes.report.ReportRegister;
import credit.exchange.routes.report.ReportSignature;
import credit.exchange.routes.report.ReportVerification;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.gateway.infra.CreditStoreConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl report}: the alliance credit report (信用报告), issued by the operator, and its verification by anyone. */
@Command(name = "report", description = "Issue a subject's alliance credit report (信用报告) as a PDF signed by this node"
        + " (docs/operations.md, \"Credit reports\"); `report verify` checks one.",
        footer = "Exit 0 when the report was issued, 2 when it could not be.",
        subcommands = ReportCommand.Verify.class)
final class ReportCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    /** Required to issue a report; optional in the parser, so that {@code report verify} is not asked for it. */
    @ArgGroup(multiplicity = "0..1")
    Subject subject;

    static final class Subject {
        @Option(names = "--uscc", paramLabel = "CODE", description = "a legal person's unified social credit code")
        String uscc;

        @Option(names = "--id", paramLabel = "NUMBER", description = "a natural person's resident ID number (never printed back)")
        String residentId;
    }

    @Option(names = "--purpose", paramLabel = "TEXT", description = "why the report is issued (查询用途); required")
    String purpose;

    @Option(names = "--alliance", description = "also ask every enabled alliance partner (the mutual query) and include their answers")
    boolean alliance;

    @Option(names = "--json", description = "write the report's content as JSON instead of the signed PDF")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write it (default: credit-report-<number>.pdf here)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (subject == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "give --uscc CODE or --id NUMBER: whose credit report to issue");
        }
        if (purpose == null || purpose.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "give --purpose: why the report is issued (查询用途)");
        }
        NodeConfig config = node.load();
        try (PartnerSession session = PartnerSession.open(config)) {
            var database = session.store.database();
            CategoryCatalogue catalogue = CategoryCatalogue.load(database);
            AccessPolicy policy = new AccessPolicy(RecordDisclosure.parse(config.withPrefix("gateway.disclosure."), catalogue));
            PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
            AccessEvents events = new AccessEvents(session.audit);
            // the operator's reads are audited like anyone's
            LocalQueryService local = new LocalQueryService(database, catalogue, policy, protector, events, new ReceivedRecords(),
                    session.clock);
            Envelopes signer = session.envelopes.signing(config.auditChain().suite());
            Recognitions recognitions = new Recognitions(database, new AllianceNotices(database, session.clock), config.nodeId(), signer,
                    new StatementVerifier(session.identity.validator()), config.whole("gateway.recognition.penalty-years", 0), session.clock);
            List<Partner> partners = AllianceCommand.queried(session);
            CreditReports.Alliance asked = (caller, request) -> new PartnerAnswers(session.client, catalogue, policy, session.clock)
                    .askAll(partners, request, caller, events);
            CreditReports reports = new CreditReports(ReportSettings.read(config), database, local, catalogue,
                    id -> session.partners.find(id).map(p -> CreditReports.nameZh(p.name())).orElse(id),
                    partners.isEmpty() ? Optional.empty() : Optional.of(asked), recognitions::status, signer, session.clock);
            Caller operator = CliOperator.caller();
            CreditReports.Issued issued = reports.issue(operator, new CreditReports.Request(subject.uscc, subject.residentId,
                    new LocalQueryService.Basis(purpose.strip(), Optional.empty(), Set.of()), null, alliance,
                    json ? CreditReports.Format.JSON : CreditReports.Format.PDF));
            Path file = out != null ? out : Path.of("credit-report-" + issued.number() + (json ? ".json" : ".pdf"));
            Files.write(file, issued.bytes());
            System.out.printf("credit report %s issued by %s for %s: %s (%d bytes%s)%n", issued.number(), config.nodeId(), operator.name(),
                    file.toAbsolutePath(), issued.bytes().length, json ? ", JSON" : ", PDF signed by " + config.nodeId());
            issued.report().partners().forEach(p -> System.out.printf("   %-9s %-9s %3d records%s%n", p.node(), p.outcome(), p.records(),
                    p.code() == null ? "" : "  " + p.code()));
            System.out.printf("verify: gatewayctl report verify %s, or %s%n", file, reports.verificationUrl(issued.number()));
            return 0;
        }
    }

    @Command(name = "verify", description = "Check a credit report PDF: its signature under the alliance CA, by the node it names, over"
            + " the whole file; and, unless --offline, that the node registered this report under its number with this file's digest"
            + " (its own database on the issuer's host, else the report's verification link).",
            footer = "Exit 0 when the report verifies, 1 with the reason when it does not, 2 when it could not be checked.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(paramLabel = "FILE", description = "the report's PDF")
        Path file;

        @Option(names = "--trust", paramLabel = "PEM", split = ",",
                description = "alliance CA certificates to trust (default: the node configuration's gateway.trust.anchors and CRLs)")
        List<Path> trust;

        @Option(names = "--crls", paramLabel = "PEM", split = ",",
                description = "the alliance CAs' CRLs, with --trust (a node certificate naming a CRL is checked against it)")
        List<Path> crls;

        @Option(names = "--offline", description = "check the signature only: do not ask the issuer's register")
        boolean offline;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            byte[] pdf = Files.readAllBytes(file);
            StatementVerifier verifier = new StatementVerifier(validator(config));
            ReportVerification.Verified v;
            try {
                v = ReportVerification.verify(pdf, verifier, offline ? null : number -> register(config, pdf, number));
            } catch (CodedException refused) {
                if (refused.code() == ErrorCode.E_UNAVAILABLE || refused.code() == ErrorCode.E_FIELD_MISSING) {
                    throw refused;
                }
                System.out.printf("%s does NOT verify: %s: %s%n", file, refused.code(), refused.getMessage());
                return 1;
            }
            System.out.printf("%s verifies: credit report %s issued by %s, signed with its certificate %s under the alliance CA%n", file,
                    v.number(), v.node(), v.signer().getSubjectX500Principal().getName());
            System.out.println(v.registered().map(s -> "   registered by " + v.node() + " at " + s.issuedAt() + " with this file's "
                    + s.digestAlgorithm() + " digest").orElse("   the issuer's register was not asked (--offline)"));
            return 0;
        }

        private CertificateValidator validator(NodeConfig config) throws IOException {
            if (trust == null) {
                if (config.paths("gateway.trust.anchors").isEmpty()) {
                    throw new CodedException(ErrorCode.E_FIELD_MISSING, "no trust anchors: give --trust with the alliance CA certificates"
                            + " (or set gateway.trust.anchors)");
                }
                return AuditCommand.validator(config);
            }
            List<X509Certificate> anchors = new ArrayList<>();
            for (Path f : trust) {
                anchors.addAll(PemFiles.readCertificates(f));
            }
            List<X509CRL> revocations = new ArrayList<>();
            for (Path f : crls == null ? List.<Path>of() : crls) {
                revocations.add(PemFiles.readCrl(f));
            }
            return new CertificateValidator(anchors, revocations, GatewayCtl.CLOCK);
        }

        /** The issuer's statement of the report: from its own database on the issuer's host, else from the report's link. */
        private static Optional<byte[]> register(NodeConfig config, byte[] pdf, String number) {
            ReportSignature.Signed signed = ReportSignature.read(pdf);
            if (signed.issuingNode().equals(config.nodeId()) && Files.isDirectory(config.nodeDir())) {
                try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                    return new ReportRegister(store.database()).find(number).map(ReportRegister.Registered::statement);
                } catch (IOException e) {
                    throw new CodedException(ErrorCode.E_UNAVAILABLE, "the node's register cannot be read: " + e.getMessage());
                }
            }
            return ReportVerification.askLink(signed.verificationUrl());
        }
    }
}
