package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.federation.PartnerSettings;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.ConfigProblem;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.partnerstatus.PartnerStatus;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl partners}: the partner configurations. */
@Command(name = "partners", description = "Partner configurations (partner-configs/).",
        subcommands = {PartnersCommand.Validate.class, PartnersCommand.Status.class})
final class PartnersCommand {

    @Command(name = "validate", description = "Check partner files offline, as the node would at start:"
            + " schema, file name, certificate; warn of what a file lacks for the work it sets up. Exit 0 if all are valid, 1 if any is not.")
    static final class Validate implements Callable<Integer> {

        @Parameters(index = "0", defaultValue = "partner-configs", paramLabel = "DIR")
        Path directory;

        @Option(names = "--certificates", paramLabel = "DIR",
                description = "where relative certificate paths are resolved (default: DIR)")
        Path certificates;

        @Override
        public Integer call() {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException(directory + " is not a directory");
            }
            PartnerDirectory partners = new PartnerDirectory(directory, certificates == null ? directory : certificates);
            PartnerDirectory.Reload result = partners.reload();
            partners.all().stream().sorted(Comparator.comparing(Partner::id)).forEach(p -> System.out.printf(
                    "ok       %-10s %-4s %-13s %s  %s%n", p.id(), p.suite(), p.level().configName(),
                    p.enabled() ? "enabled " : "disabled", p.source().getFileName()));
            partners.all().stream().sorted(Comparator.comparing(Partner::id)).flatMap(p -> p.gaps().stream())
                    .forEach(gap -> System.out.println("warning  " + gap));
            for (ConfigProblem problem : result.problems()) {
                System.out.println("invalid  " + problem);
            }
            System.out.printf("%d valid, %d problems%n", partners.all().size(), result.problems().size());
            return result.problems().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "status", description = "Each partner of the node, one a line, unreachable ones first: enabled, reachable"
            + " (from how the last exchange with it ended), the last exchange sent and received, failures in the last hour and"
            + " the last error, outbox deliveries and alliance notices waiting for it, checkpoints awaiting its countersignature."
            + " Reads the node's database (a running node's, or its data directory's); creates nothing."
            + " Exit 0, or 1 if an enabled partner is unreachable.")
    static final class Status implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--json", description = "the status as JSON (as GET /api/v1/partners/status answers it)")
        boolean json;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            // an existing node's store only: without one, E_NOT_FOUND naming the data directory, never a new cluster
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                PartnerSettings settings = PartnerSettings.read(config);
                Path dir = settings.dir();
                if (!Files.isDirectory(dir)) {
                    throw new CodedException(ErrorCode.E_NOT_FOUND, "no partner configuration directory at " + dir.toAbsolutePath()
                            + " (gateway.partners.dir)");
                }
                PartnerDirectory partners = settings.directory();
                PartnerDirectory.Reload reload = partners.reload();
                PartnerStatus.Report report = new PartnerStatus(config.nodeId(), partners, store.database(), GatewayCtl.CLOCK).report();
                if (json) {
                    System.out.println(Json.write(report));
                } else {
                    print(report);
                }
                for (ConfigProblem problem : reload.problems()) {
                    System.err.println("warning: partner file rejected, not shown: " + problem);
                }
                return report.partners().stream().anyMatch(l -> l.enabled() && l.reachable() == PartnerStatus.Reachability.UNREACHABLE)
                        ? 1 : 0;
            }
        }

        private static final String LINE = "%-10s %-8s %-12s %-54s %-21s %-45s %-15s %-44s %-10s %-8s %s%n";

        private static void print(PartnerStatus.Report report) {
            System.out.printf("partners of %s at %s%n", report.node(), time(Optional.of(report.at())));
            System.out.printf(LINE, "PARTNER", "ENABLED", "REACHABLE", "LAST SENT", "LAST ANSWERED", "LAST RECEIVED (24 h)",
                    "FAILURES (1 h)", "LAST ERROR", "OUTBOX", "NOTICES", "CHECKPOINTS AWAITING");
            for (PartnerStatus.Line l : report.partners()) {
                PartnerStatus.Pending p = l.pending();
                System.out.printf(LINE, l.partner(), l.enabled() ? "yes" : "no", l.reachable(), exchange(l.lastSent()), time(l.lastAnswered()),
                        exchange(l.lastReceived()), l.failures().lastHour(),
                        l.failures().lastError().map(e -> e + " " + time(l.failures().lastErrorAt())).orElse("-"),
                        p.outbox() + (p.outboxDead() > 0 ? " +" + p.outboxDead() + " DEAD" : ""), p.notices(),
                        l.countersignatures().map(w -> w.awaiting() + " (last " + time(w.lastAt()) + ")").orElse("-"));
            }
            if (report.partners().isEmpty()) {
                System.out.println("no partner is configured");
            }
        }

        private static String exchange(Optional<PartnerStatus.LastExchange> e) {
            return e.map(x -> time(Optional.of(x.at())) + (x.type() == null ? "" : " " + x.type()) + " " + x.outcome()).orElse("-");
        }

        private static String time(Optional<Instant> at) {
            return at.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
        }
    }
}
