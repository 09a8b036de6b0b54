package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.alliance.AllianceNotices;
import credit.exchange.routes.alliance.CreditRepairs;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl repair}: credit repair (信用修复) and the holders' confirmations. */
@Command(name = "repair", description = "Credit repair (信用修复): repaired or withdrawn records and the partners that confirmed.",
        subcommands = {RepairCommand.Status.class})
final class RepairCommand {

    @Command(name = "status", description = "A repair, and for each partner that was handed the record: confirmed (with how many"
            + " deliveries it withdrew) or still being told. Exits 1 while a partner has not confirmed.")
    static final class Status implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(paramLabel = "REPAIR_ID") String id;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                CreditRepairs.Repair r = new CreditRepairs(store.database(), new AllianceNotices(store.database(), GatewayCtl.CLOCK), config.nodeId(),
                        GatewayCtl.CLOCK).status(id);
                System.out.printf("repair %s: %s %s of %s (%s), %s: %s%n", r.id(), r.category(), r.documentNumber(), r.sourceDepartment(),
                        r.uscc(), r.reason(), r.basis());
                if (r.holders().isEmpty()) {
                    System.out.println("  no partner was handed this record");
                }
                boolean open = false;
                for (AllianceNotices.Delivery d : r.holders()) {
                    String line = switch (d.state()) {
                        case "ANSWERED" -> "confirmed " + d.answeredAt().map(Instant::toString).orElse("") + ", withdrew "
                                + d.answer().map(a -> a.path("withdrawn").asInt()).orElse(0) + " delivery(ies)";
                        case "REFUSED" -> "REFUSED " + d.lastError();
                        default -> "not confirmed yet (" + d.attempts() + " attempts" + (d.lastError() == null ? "" : ", last " + d.lastError()) + ")";
                    };
                    open |= !d.state().equals("ANSWERED");
                    System.out.printf("  %-10s %s%n", d.partner(), line);
                }
                return open ? 1 : 0;
            }
        }
    }
}
