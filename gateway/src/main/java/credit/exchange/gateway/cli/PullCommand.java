package credit.exchange.gateway.cli;

import credit.exchange.security.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.OutboxPuller;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatewayctl pull}: the provincial pull by hand. */
@Command(name = "pull", description = "Pulls now what a partner's outbox holds for this node, keeps it and acknowledges each batch"
        + " with this node's signed receipt, printing what arrived (the provincial pull, by hand).",
        footer = "Beside a running node this takes what its own pulls have not; the deliveries are kept once, however they came."
                + " Exit 0 when the pull ended (even with nothing to take), 2 when the partner could not be pulled.")
final class PullCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--from", required = true, paramLabel = "PARTNER", description = "the partner to pull from (its partner file has pull-from)")
    String from;

    @Option(names = "--batches", defaultValue = "20", paramLabel = "N",
            description = "the most batches to pull, one after another while they come full (default ${DEFAULT-VALUE})")
    int batches;

    @Override
    public Integer call() throws Exception {
        if (batches < 1) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "--batches must be 1 or more");
        }
        NodeConfig config = node.load();
        try (PartnerSession session = PartnerSession.open(config)) {
            Partner partner = session.partner(from);
            Partner.PullFrom pullFrom = partner.pullFrom().orElseThrow(() -> new CodedException(ErrorCode.E_NOT_GRANTED,
                    "node " + config.nodeId() + " does not pull from " + from + ": its partner file has no pull-from"));
            OutboxPuller puller = new OutboxPuller(config.nodeId(), session.client, session.envelopes,
                    new ReceivedDeliveries(session.store.database()), session.clock);
            List<String> batchIds = new ArrayList<>();
            int pulled = 0;
            int stored = 0;
            try {
                for (int i = 0; i < batches; i++) {
                    OutboxPuller.Round round = puller.pullOnce(partner, session.pullCarrier(partner));
                    if (round.pulled() == 0) {
                        break;
                    }
                    batchIds.add(round.batchId());
                    pulled += round.pulled();
                    stored += round.stored();
                    System.out.printf("batch %s: %d deliveries, %d new here, %d already held; acknowledged%n", round.batchId(),
                            round.pulled(), round.stored(), round.alreadyHeld());
                    for (PushMessages.Delivery d : round.deliveries()) {
                        System.out.println("  " + describe(d));
                    }
                    if (round.pulled() < pullFrom.batch()) {
                        break;
                    }
                }
            } catch (CodedException e) {
                audit(session, batchIds, pulled, stored, e.code());
                throw e;
            }
            System.out.printf("pulled %d deliveries from %s over %s in %d batch(es): %d new, %d already held%n", pulled, from,
                    pullFrom.binding(), batchIds.size(), stored, pulled - stored);
            audit(session, batchIds, pulled, stored, null);
            return 0;
        }
    }

    /** The operator's pull is an audit event naming the operator (each exchange is one of its own, the node's). */
    private void audit(PartnerSession session, List<String> batchIds, int pulled, int stored, ErrorCode failure) {
        AuditEvent.Builder event = AuditEvent.by(AuditEvent.ActorKind.OPERATOR, CliOperator.name(), AuditEvent.Action.PULL)
                .at(session.clock.instant()).partner(from).messageIds(batchIds)
                .detail("pull by hand: " + pulled + " deliveries in " + batchIds.size() + " batch(es), " + stored + " new");
        session.audit.append(List.of((failure == null ? event.outcome(AuditEvent.Outcome.PULLED) : event.outcome(failure)).build()));
    }

    /** One delivery as a line: message id, dataset, subject, document and decision date. */
    static String describe(PushMessages.Delivery d) {
        try {
            JsonNode r = Json.mapper().readTree(d.recordJson());
            JsonNode subject = r.path("subject");
            String who = subject.path("uscc").isTextual() ? subject.path("uscc").asText() : subject.path("personIdMasked").asText("-");
            return String.format("%-24s %-12s %-20s %s  %s", d.messageId(), d.category(), who, r.path("documentNumber").asText("-"),
                    r.path("decisionDate").asText("-"));
        } catch (IOException e) {
            return d.messageId() + " " + d.category();
        }
    }
}
