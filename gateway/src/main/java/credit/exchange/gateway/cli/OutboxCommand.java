package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.push.Outbox;
import credit.exchange.routes.push.PushDeliveries;
import credit.exchange.security.CodedException;
import java.time.Duration;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl outbox}: deliveries to partners (provincial pull, national push). */
@Command(name = "outbox", description = "Deliveries to partners: the transactional outbox.",
        subcommands = {OutboxCommand.ListDeliveries.class, OutboxCommand.Replay.class})
final class OutboxCommand {

    @Command(name = "list", description = "Counts per destination and state, then the deliveries asked for (oldest first).")
    static final class ListDeliveries implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--state", paramLabel = "STATE",
                description = "READY, QUEUED, PULLED, DELIVERED, ACKNOWLEDGED, RETRY_WAIT or DEAD")
        String state;

        @Option(names = "--destination", paramLabel = "NODE")
        String destination;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                Outbox outbox = new Outbox(store.database());
                outbox.counts().forEach((dest, states) -> System.out.printf("%-10s %s%n", dest, states));
                String s = state == null ? null : state.toUpperCase(Locale.ROOT);
                for (Outbox.Delivery d : outbox.list(s, destination, limit)) {
                    System.out.printf("%8d %-10s %-4s %-12s record %d  deadline %s  attempts %d%s%n", d.id(),
                            d.destination(), d.mode(), d.state(), d.recordId(), d.deadline() == null ? "-" : d.deadline(),
                            d.attempts(), d.lastError() == null ? "" : "  last error " + d.lastError());
                }
            }
            return 0;
        }
    }

    @Command(name = "replay", description = "Sends DEAD deliveries again, with a new round of retries: one by its id, or --all.")
    static final class Replay implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "the outbox id of a DEAD delivery")
        Long id;

        @Option(names = "--all", description = "every DEAD delivery")
        boolean all;

        @Override
        public Integer call() throws Exception {
            if ((id == null) == !all) {
                System.err.println("name one DEAD delivery by its ID, or --all");
                return 2;
            }
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                int n = new PushDeliveries(config.nodeId(), store.database(), d -> Optional.empty(), null, Duration.ZERO)
                        .replay(Optional.ofNullable(id));
                System.out.println(n + " DEAD deliver" + (n == 1 ? "y" : "ies") + " replayed: READY, relayed by the running node");
                return 0;
            } catch (CodedException e) {
                System.err.println(e.code() + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
