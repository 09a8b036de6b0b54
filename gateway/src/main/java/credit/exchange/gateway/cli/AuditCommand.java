package credit.exchange.gateway.cli;

import credit.exchange.gateway.AuditSettings;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.audit.AuditCheckpoints;
import credit.exchange.routes.audit.AuditRetention;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditVerifier;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.EvidenceBundle;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.SignedConsents;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl audit verify}: recomputes the audit trail's hash chain and reports its first break. */
@Command(name = "audit", description = "The audit trail (docs/operations.md, \"Audit trail\").",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.VerifyBundle.class, AuditCommand.Purge.class,
                AuditCommand.Purges.class})
final class AuditCommand {

    /** Exit status of {@code audit verify}: the chain and its signed checkpoints verified. */
    static final int VERIFIED = 0;
    /** Exit status of {@code audit verify}: the chain breaks, or a signed checkpoint or countersignature does not verify. */
    static final int BROKEN = 1;
    /** Exit status of {@code audit verify}: the chain is intact but its signed checkpoints could not be checked. */
    static final int CHECKPOINTS_NOT_CHECKED = 3;

    @Command(name = "verify", description = {"Recompute the hash chain and check its signed checkpoints and partners'"
            + " countersignatures with the alliance CA certificates and CRLs (gateway.trust.anchors, gateway.trust.crls).",
            "Exit status: 0 the chain and every signed checkpoint verify; 1 the first broken event and its kind (MODIFIED,"
                    + " DELETED, INSERTED, REORDERED), or a checkpoint or countersignature that does not verify; 2 the command"
                    + " could not run (error CODE: …); 3 the chain is intact but its signed checkpoints could not be checked"
                    + " (no trust anchors or CRLs configured): a rewrite with recomputed hashes would go unseen."})
    static final class Verify implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
                description = "first event to verify, on the stored hash of the one before it (default: the whole chain)")
        long from;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            Optional<String> uncheckable = config.paths("gateway.trust.anchors").isEmpty()
                    ? Optional.of("the configuration names no trust anchor (gateway.trust.anchors)")
                    : config.paths("gateway.trust.crls").isEmpty()
                    ? Optional.of("the configuration names no CRL (gateway.trust.crls)") : Optional.empty();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                AuditStore trail = new AuditStore(store.database(), config.nodeId(), config.auditChain());
                AuditVerifier audit = new AuditVerifier(trail);
                long started = System.nanoTime();
                AuditVerifier.Verification v = uncheckable.isPresent() ? audit.verify(from)
                        : audit.verifyOffline(from, new StatementVerifier(validator(config)));
                double seconds = (System.nanoTime() - started) / 1e9;
                var result = v.result();
                String chain = v.head().map(h -> "audit trail of " + h.node() + " (" + h.algorithm() + ")").orElse("empty audit trail");
                // a trail without signed checkpoints (a node without an alliance credential signs none) has nothing left unchecked
                long signed = uncheckable.isPresent() ? new AuditCheckpoints(trail).signedCheckpoints(from) : v.checkpoints();
                boolean unchecked = uncheckable.isPresent() && signed > 0;
                String checkpoints = uncheckable.isPresent() && !unchecked ? "no signed checkpoint"
                        : unchecked ? "signed checkpoints NOT checked: " + uncheckable.get() + " (" + signed + " in the trail)"
                        : v.checkpoints() + " signed checkpoint(s) matched, countersigned by "
                        + (v.countersignedBy().isEmpty() ? "no partner yet" : v.countersignedBy().entrySet().stream()
                                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining(", ")));
                v.checkpointProblems().forEach(p -> System.out.println("PROBLEM " + p));
                if (result.intact()) {
                    System.out.printf("%s: events %d–%d verified in %.2f s, head %s; %s; %d pending%n", chain, v.fromSeq(), result.lastGoodSeq(),
                            seconds, result.lastGoodSeq() == 0 ? "-" : HexFormat.of().formatHex(result.lastGoodHash()), checkpoints,
                            v.pending());
                    return !v.intact() ? BROKEN : unchecked ? CHECKPOINTS_NOT_CHECKED : VERIFIED;
                }
                var broken = result.firstBreak().get();
                System.out.printf("%s: BROKEN at event %d: %s — %s (events %d–%d verified)%n", chain, broken.seq(), broken.kind(),
                        broken.explanation(), v.fromSeq(), result.lastGoodSeq());
                return BROKEN;
            }
        }
    }

    /** The alliance CA certificates and CRLs of the configuration: what checks signed statements, without the node's keys. */
    static CertificateValidator validator(NodeConfig config) throws java.io.IOException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path f : config.paths("gateway.trust.anchors")) {
            anchors.addAll(PemFiles.readCertificates(f));
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Path f : config.paths("gateway.trust.crls")) {
            crls.add(PemFiles.readCrl(f));
        }
        return new CertificateValidator(anchors, crls, GatewayCtl.CLOCK);
    }

    /**
     * The node's envelopes of the chain's suite, which sign its checkpoints; none without that
     * credential, or without its passphrase here (an export then ends at the running node's last checkpoint).
     */
    private static Optional<Envelopes> signer(NodeConfig config) throws java.io.IOException {
        Optional<NodeIdentity> identity;
        try {
            identity = NodeIdentity.load(config, GatewayCtl.CLOCK);
        } catch (CodedException notHere) {
            return Optional.empty();
        }
        return identity.flatMap(id -> {
            try {
                return Optional.of(id.envelopes(new InMemoryReplayGuard(GatewayCtl.CLOCK), GatewayCtl.CLOCK)
                        .suite(config.auditChain().suite()));
            } catch (CodedException e) {
                return Optional.empty();
            }
        });
    }

    @Command(name = "purge", description = "Archive the events after the last purge up to a signed checkpoint in an evidence bundle,"
            + " verify the bundle, then remove those events from the database; the chain stays verifiable from that checkpoint.")
    static final class Purge implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--through", required = true, paramLabel = "SEQ", description = "the last event to purge: a signed checkpoint")
        long through;

        @Option(names = "--archive-dir", required = true, paramLabel = "DIR", description = "where the archive bundle is written (keep it)")
        Path archiveDir;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            for (String setting : List.of("gateway.trust.anchors", "gateway.trust.crls")) {
                if (config.paths(setting).isEmpty()) {
                    throw new CodedException(credit.exchange.security.ErrorCode.E_CONFIG_INVALID, "a purge verifies its archive offline"
                            + " before anything is removed, with the alliance CA certificates and CRLs; the configuration names none ("
                            + setting + ")");
                }
            }
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                AuditRetention audit = new AuditRetention(new AuditStore(store.database(), config.nodeId(), config.auditChain()));
                AuditRetention.Purge purge = audit.purge(through, archiveDir, new StatementVerifier(validator(config)), config.crlsPem(),
                        CliOperator.name());
                System.out.printf("events up to %d archived in %s (SHA-256 %s), verified, and purged; the chain now starts after"
                        + " event %d%n", purge.throughSeq(), archiveDir.resolve(purge.archive()), purge.archiveSha256(), purge.throughSeq());
                return 0;
            }
        }
    }

    @Command(name = "purges", description = "List the purges: which events each removed, and the archive that holds them.")
    static final class Purges implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                List<AuditRetention.Purge> purges = new AuditRetention(new AuditStore(store.database(), config.nodeId(),
                        config.auditChain())).purges();
                if (purges.isEmpty()) {
                    System.out.println("nothing purged: the whole trail is in the database");
                }
                long from = 1;
                for (AuditRetention.Purge p : purges) {
                    System.out.printf("events %d–%d: %s (SHA-256 %s), purged %s by %s%n", from, p.throughSeq(), p.archive(),
                            p.archiveSha256(), p.purgedAt(), p.purgedBy());
                    from = p.throughSeq() + 1;
                }
                return 0;
            }
        }
    }

    @Command(name = "export", description = "Write an evidence bundle of the events between two times: the chain segment covering"
            + " them, extended to signed checkpoints at both ends, with countersignatures and CRLs; the filter marks the events asked for.")
    static final class Export implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--from", required = true, paramLabel = "TIME", description = "ISO-8601 instant, e.g. 2026-11-27T00:00:00Z")
        Instant from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "ISO-8601 instant (exclusive)")
        Instant to;

        @Option(names = "--action", description = "access, exchange.in, …") String action;
        @Option(names = "--partner", description = "a partner node id") String partner;
        @Option(names = "--actor", description = "a user, client or partner name") String actor;
        @Option(names = "--decision", description = "ALLOW or DENY") String decision;
        @Option(names = "--subject", paramLabel = "USCC|ID", description = "a subject's USCC or resident ID number (pseudonymised before the search)")
        String subject;

        @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                String subjectKey = subject == null ? null : new SubjectAuthorisations(store.database(),
                        new PersonalIdProtector(PersonalIdKeys.load(config)),
                        new SignedConsents(List.of(), List.of(), GatewayCtl.CLOCK)).subjectKey(subject);
                AuditRetention audit = new AuditRetention(new AuditStore(store.database(), config.nodeId(), config.auditChain()));
                EvidenceBundle.Exported exported = audit.exportEvidence(signer(config), AuditSettings.read(config).batch(), from, to,
                        new EvidenceBundle.Filter(action, partner, actor, subjectKey, decision), config.crlsPem(), AuditEvent.ActorKind.OPERATOR,
                        CliOperator.name(), out);
                System.out.printf("%s: events %d–%d (between signed checkpoints), %d selected by the filter, %d checkpoint(s)%n", out,
                        exported.firstSeq(), exported.lastSeq(), exported.selected(), exported.checkpoints());
                return 0;
            }
        }
    }

    @Command(name = "verify-bundle", description = "Verify an evidence bundle offline, with the alliance CA certificates and no database;"
            + " exit 0 if it verifies, 1 with the reason.")
    static final class VerifyBundle implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(paramLabel = "BUNDLE") Path bundle;

        @Option(names = "--trust", paramLabel = "PEM", split = ",",
                description = "alliance CA certificates to trust (default: the node configuration's gateway.trust.anchors)")
        List<Path> trust;

        @Override
        public Integer call() throws Exception {
            List<Path> anchorFiles = trust != null ? trust : node.load().paths("gateway.trust.anchors");
            List<X509Certificate> anchors = new ArrayList<>();
            for (Path f : anchorFiles) {
                anchors.addAll(PemFiles.readCertificates(f));
            }
            if (anchors.isEmpty()) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "no trust anchors: give --trust with the alliance CA certificates"
                        + " (or set gateway.trust.anchors)");
            }
            List<X509CRL> crls = new ArrayList<>();
            String pem = EvidenceBundle.crls(bundle);
            if (!pem.isBlank()) {
                for (var crl : CertificateFactory.getInstance("X.509").generateCRLs(
                        new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                    X509CRL x = (X509CRL) crl;
                    if (anchors.stream().anyMatch(a -> a.getSubjectX500Principal().equals(x.getIssuerX500Principal()))) {
                        crls.add(x);
                    }
                }
            }
            StatementVerifier verifier = new StatementVerifier(new CertificateValidator(anchors, crls, GatewayCtl.CLOCK));
            EvidenceBundle.Verified v = EvidenceBundle.verify(bundle, verifier);
            if (v.intact()) {
                System.out.printf("%s verifies: events %d–%d of %s's audit trail (%s), %d selected, %d signed checkpoint(s),"
                        + " countersigned by %s%n", bundle, v.firstSeq(), v.lastSeq(), v.node(), v.algorithm(), v.selected(),
                        v.checkpoints(), v.countersignedBy().isEmpty() ? "no partner" : v.countersignedBy().keySet());
                return 0;
            }
            System.out.printf("%s does NOT verify: %s%n", bundle, v.problem().get());
            return 1;
        }
    }
}
