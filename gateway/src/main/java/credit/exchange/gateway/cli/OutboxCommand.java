package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.delivery.Outbox;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl outbox}: deliveries to partners (provincial pull, national push). */
@Command(name = "outbox", description = "Deliveries to partners: the transactional outbox.",
        subcommands = {OutboxCommand.ListDeliveries.class, OutboxCommand.Pending.class, OutboxCommand.Replay.class})
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
                Outbox outbox = new Outbox(store.database(), GatewayCtl.CLOCK);
                outbox.counts().forEach((dest, states) -> System.out.printf("%-10s %s%n", dest, states));
                String s = state == null ? null : state.toUpperCase(Locale.ROOT);
                for (Outbox.Listed d : outbox.list(s, destination, limit)) {
                    System.out.printf("%8d %-10s %-4s %-12s %s  deadline %s  attempts %d%s%n", d.id(),
                            d.destination(), d.mode(), d.state(), d.recordId() != null ? "record " + d.recordId()
                                    : d.kind().name().toLowerCase(Locale.ROOT) + " " + d.payloadRef(), d.deadline() == null ? "-" : d.deadline(),
                            d.attempts(), d.lastError() == null ? "" : "  last error " + d.lastError());
                }
            }
            return 0;
        }
    }

    @Command(name = "pending", description = "Deliveries not yet delivered or acknowledged, per partner, dataset and state, with how"
            + " long the oldest has waited.", footer = "Exit 0; 1 when a delivery is DEAD (it waits for ./gatewayctl outbox replay).")
    static final class Pending implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--destination", paramLabel = "NODE", description = "one partner only")
        String destination;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                List<Outbox.Pending> pending = new Outbox(store.database(), GatewayCtl.CLOCK).pending(destination);
                if (pending.isEmpty()) {
                    System.out.println("nothing pending: every delivery" + (destination == null ? "" : " to " + destination)
                            + " is delivered or acknowledged");
                    return 0;
                }
                Instant now = GatewayCtl.CLOCK.instant();
                System.out.printf("%-10s %-4s %-14s %-12s %8s %12s %8s  %s%n", "partner", "mode", "dataset", "state", "count",
                        "oldest age", "attempts", "last error");
                for (Outbox.Pending p : pending) {
                    System.out.printf("%-10s %-4s %-14s %-12s %8d %12s %8d  %s%n", p.destination(), p.mode(), p.dataset(), p.state(),
                            p.deliveries(), age(Duration.between(p.oldest(), now)), p.maxAttempts(), p.lastError() == null ? "" : p.lastError());
                }
                return pending.stream().anyMatch(p -> p.state().equals("DEAD")) ? 1 : 0;
            }
        }

        /** 3d 4h, 2h 5m, 4m 10s, 12s. */
        static String age(Duration d) {
            long s = Math.max(0, d.toSeconds());
            return s >= 86_400 ? s / 86_400 + "d " + s % 86_400 / 3600 + "h"
                    : s >= 3600 ? s / 3600 + "h " + s % 3600 / 60 + "m"
                    : s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
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
                System.err.println("error " + ErrorCode.E_FIELD_MISSING + ": name one DEAD delivery by its ID, or --all");
                return 2;
            }
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                // the replay is an audit event naming the operator, written with it
                int n = new Outbox(store.database(), GatewayCtl.CLOCK).replay(Optional.ofNullable(id), CliOperator.name());
                System.out.println(n + " DEAD deliver" + (n == 1 ? "y" : "ies") + " replayed: READY, relayed by the running node");
                return 0;
            } catch (CodedException e) {
                System.err.println("error " + e.code() + ": " + e.getMessage());
                return 1;
            }
        }
    }
}
