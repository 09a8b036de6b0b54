package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.delivery.PublicityDeadlines;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatewayctl publicity}: double publicity (双公示) against its deadlines. */
@Command(name = "publicity", description = "Double publicity (双公示): deliveries against their deadlines.",
        subcommands = {PublicityCommand.Status.class})
final class PublicityCommand {

    @Command(name = "status", description = "Open deliveries with a deadline per destination, with those at risk "
            + "(under 24 hours left) and overdue; then the late ones, most urgent first. Exits 1 if any is overdue.")
    static final class Status implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--limit", defaultValue = "50", description = "late deliveries listed at most")
        int limit;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                PublicityDeadlines deadlines = new PublicityDeadlines(store.database(), GatewayCtl.CLOCK);
                List<PublicityDeadlines.Summary> summary = deadlines.summary();
                System.out.printf("%-12s %8s %8s %8s%n", "destination", "open", "at risk", "overdue");
                for (PublicityDeadlines.Summary s : summary) {
                    System.out.printf("%-12s %8d %8d %8d%n", s.destination(), s.open(), s.atRisk(), s.overdue());
                }
                if (summary.isEmpty()) {
                    System.out.println("(no open delivery with a deadline)");
                }
                for (PublicityDeadlines.Late l : deadlines.late(limit)) {
                    System.out.printf("%8d %-10s %-9s %-8s %-28s decided %s deadline %s  %s, %d attempts%s%n", l.outboxId(),
                            l.destination(), l.category(), l.overdue() ? "OVERDUE" : "AT RISK", l.documentNumber(),
                            l.decisionDate(), l.deadline(), l.state(), l.attempts(),
                            l.lastError() == null ? "" : ", last error " + l.lastError());
                }
                return summary.stream().anyMatch(s -> s.overdue() > 0) ? 1 : 0;
            }
        }
    }
}
