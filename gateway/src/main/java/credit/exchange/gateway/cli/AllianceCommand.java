package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.mutualquery.MergedAnswer;
import credit.exchange.routes.mutualquery.PartnerAnswers;
import credit.exchange.routes.mutualquery.MergedAnswer.Outcome;
import credit.exchange.routes.mutualquery.MergedAnswer.PartnerResult;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.query.RecordDisclosure;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatewayctl alliance}: the alliance's exchanges, by the operator. */
@Command(name = "alliance", description = "The alliance partners, asked by the operator (信用信息互查).",
        subcommands = {AllianceCommand.Query.class})
final class AllianceCommand {

    /** Every enabled partner the node sends queries to, by id: whom "all" asks. */
    static List<Partner> queried(PartnerSession session) {
        return session.partners.all().stream()
                .filter(p -> p.enabled() && p.weSend().contains(Partner.ExchangeType.QUERY))
                .sorted(Comparator.comparing(Partner::id))
                .toList();
    }

    @Command(name = "query", description = "Asks every partner this node queries (or those named) about a legal person, in parallel,"
            + " and prints each partner's outcome, record count and latency (the mutual query, 信用信息互查).",
            footer = "Exit 0 when every partner answered (a denial is an answer), 1 when one failed or timed out, 2 when none could be asked.")
    static final class Query implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--uscc", required = true, paramLabel = "CODE", description = "the legal person's unified social credit code")
        String uscc;

        @Option(names = "--partners", paramLabel = "IDS", description = "partner ids separated by commas (default: every enabled partner queried)")
        String partnerIds;

        @Option(names = "--purpose", paramLabel = "TEXT", defaultValue = "mutual query", description = "why the records are read (default: ${DEFAULT-VALUE})")
        String purpose;

        @Option(names = "--json", description = "print the merged answer with its records as JSON (the local API's answer) instead of the lines")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String code = uscc.strip().toUpperCase(Locale.ROOT);
            IdentifierCheck check = Uscc.check(code);
            if (!check.valid()) {
                throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "USCC " + check.reason());
            }
            NodeConfig config = node.load();
            try (PartnerSession session = PartnerSession.open(config)) {
                List<Partner> asked = partners(session);
                Caller operator = CliOperator.caller();
                CategoryCatalogue catalogue = CategoryCatalogue.load(session.store.database());
                AccessPolicy policy = new AccessPolicy(RecordDisclosure.parse(config.withPrefix("gateway.disclosure."), catalogue));
                QueryRequest request = new QueryRequest(code, operator.name(), purpose);
                // the operator's reads are audited like anyone's
                MergedAnswer merged = new PartnerAnswers(session.client, catalogue, policy, session.clock)
                        .askAll(asked, request, operator, new AccessEvents(session.audit));
                if (json) {
                    System.out.println(Json.write(merged));
                } else {
                    System.out.printf("mutual query of %s by %s: %d partner(s) asked%n", code, operator.name(), asked.size());
                    for (PartnerResult r : merged.partners()) {
                        // the demo's step 1 prints the same lines
                        System.out.printf("   %-9s %-9s %-22s %3d records  %s%s%n", r.node(), r.outcome(), r.code() == null ? "" : r.code(),
                                r.records(), r.latencyMs() == null ? "" : r.latencyMs() + " ms",
                                r.withheld().isEmpty() ? "" : "  (" + r.message() + ")"); // why it holds fewer records
                    }
                }
                return merged.partners().stream().anyMatch(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.TIMED_OUT) ? 1 : 0;
            }
        }

        private List<Partner> partners(PartnerSession session) {
            List<Partner> asked = new ArrayList<>();
            if (partnerIds == null || partnerIds.isBlank() || partnerIds.strip().equals("all")) {
                asked.addAll(queried(session));
            } else {
                for (String id : partnerIds.split("\\s*,\\s*")) {
                    if (!id.isBlank() && asked.stream().noneMatch(p -> p.id().equals(id.strip()))) {
                        asked.add(session.partner(id.strip()));
                    }
                }
            }
            if (asked.isEmpty()) {
                throw new CodedException(ErrorCode.E_NOT_FOUND, "node " + session.config.nodeId() + " queries no enabled partner"
                        + " (partner files in " + session.partners.directory() + ")");
            }
            return asked;
        }
    }
}
