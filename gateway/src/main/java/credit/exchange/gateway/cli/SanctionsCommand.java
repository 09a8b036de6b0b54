package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.alliance.AllianceNotices;
import credit.exchange.routes.alliance.JointSanctions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl sanctions}: joint incentives and punishment (联合奖惩) this node initiated. */
@Command(name = "sanctions", description = "Joint incentives and punishment (联合奖惩): notices this node issued and the partners' answers.",
        subcommands = {SanctionsCommand.Status.class})
final class SanctionsCommand {

    @Command(name = "status", description = "Without an id: every notice with its counts. With one: each partner — delivered"
            + " (acknowledged) or still trying, its response and the measures applied, or OVERDUE. Exits 1 if any response is overdue.")
    static final class Status implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(arity = "0..1", paramLabel = "NOTICE_ID") String id;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config)) {
                AllianceNotices notices = new AllianceNotices(store.database(), GatewayCtl.CLOCK);
                JointSanctions sanctions = new JointSanctions(store.database(), notices, GatewayCtl.CLOCK);
                if (id == null) {
                    boolean overdue = false;
                    System.out.printf("%-36s %-18s %-20s %8s %12s %9s %7s%n", "notice", "subject", "issued", "partners", "acknowledged",
                            "responded", "overdue");
                    for (AllianceNotices.Notice n : notices.ofKind(JointSanctions.NOTICE, Optional.empty(), 100)) {
                        JointSanctions.Status s = sanctions.status(n.id());
                        System.out.printf("%-36s %-18s %-20s %8d %12d %9d %7d%n", n.id(), n.subject(), n.createdAt().toString().substring(0, 19),
                                s.partners().size(), s.acknowledged(), s.responded(), s.overdue());
                        overdue |= s.overdue() > 0;
                    }
                    return overdue ? 1 : 0;
                }
                JointSanctions.Status s = sanctions.status(id);
                AllianceNotices.Notice n = s.notice();
                System.out.printf("notice %s: %s list, %s (%s), measures %s, responses due %s; list entry %s%n", n.id(),
                        n.body().path("listType").asText(), n.subject(), n.body().path("partyName").asText(), n.body().path("measures"),
                        n.respondBy().map(Instant::toString).orElse("-"), s.entryStatus());
                for (JointSanctions.PartnerStatus p : s.partners()) {
                    String delivery = p.delivery().equals("PENDING") ? "not delivered yet (" + p.attempts() + " attempts"
                            + (p.lastError() == null ? "" : ", last " + p.lastError()) + ")"
                            : p.delivery().equals("REFUSED") ? "REFUSED " + p.lastError() : "acknowledged " + p.acknowledgedAt().map(Instant::toString).orElse("");
                    String response = p.respondedAt().map(t -> "responded " + t + ": " + String.join("; ", p.measuresApplied()))
                            .orElse(p.overdue() ? "OVERDUE" : "no response yet");
                    String lift = s.entryStatus().equals("ACTIVE") ? ""
                            : p.liftConfirmedAt().map(t -> "; lift confirmed " + t).orElse("; lift not confirmed yet");
                    System.out.printf("  %-10s %s; %s%s%n", p.partner(), delivery, response, lift);
                }
                return s.overdue() > 0 ? 1 : 0;
            }
        }
    }
}
