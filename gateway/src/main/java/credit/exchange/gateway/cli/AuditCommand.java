package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.security.CodedException;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatewayctl audit verify}: recomputes the audit trail's hash chain and reports its first break. */
@Command(name = "audit", description = "The audit trail (docs/operations.md, \"Audit trail\").",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand {

    @Command(name = "verify", description = "Recompute the hash chain; exit 0 if intact, 1 with the first broken event and its kind"
            + " (MODIFIED, DELETED, INSERTED, REORDERED).")
    static final class Verify implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
                description = "first event to verify, on the stored hash of the one before it (default: the whole chain)")
        long from;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                AuditStore audit = new AuditStore(store.database(), config.nodeId(), config.auditChain());
                Optional<Envelopes> trust = NodeIdentity.load(config, Clock.systemUTC()).flatMap(id -> {
                    try {
                        return Optional.of(id.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC())
                                .suite(config.auditChain().suite()));
                    } catch (CodedException e) {
                        return Optional.empty();
                    }
                });
                long started = System.nanoTime();
                AuditStore.Verification v = audit.verify(from, trust);
                double seconds = (System.nanoTime() - started) / 1e9;
                var result = v.result();
                String chain = v.head().map(h -> "audit trail of " + h.node() + " (" + h.algorithm() + ")").orElse("empty audit trail");
                String checkpoints = trust.isEmpty() ? "signed checkpoints not checked (no node credential of the chain's suite)"
                        : v.checkpoints() + " signed checkpoint(s) matched, countersigned by "
                        + (v.countersignedBy().isEmpty() ? "no partner yet" : v.countersignedBy().entrySet().stream()
                                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining(", ")));
                v.checkpointProblems().forEach(p -> System.out.println("PROBLEM " + p));
                if (result.intact()) {
                    System.out.printf("%s: events %d–%d verified in %.2f s, head %s; %s; %d pending%n", chain, from, result.lastGoodSeq(),
                            seconds, result.lastGoodSeq() == 0 ? "-" : HexFormat.of().formatHex(result.lastGoodHash()), checkpoints,
                            v.pending());
                    return v.intact() ? 0 : 1;
                }
                var broken = result.firstBreak().get();
                System.out.printf("%s: BROKEN at event %d: %s — %s (events %d–%d verified)%n", chain, broken.seq(), broken.kind(),
                        broken.explanation(), from, result.lastGoodSeq());
                return 1;
            }
        }
    }
}
