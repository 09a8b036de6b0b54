package credit.exchange.routes.partnerstatus;

import credit.exchange.routes.api.ApiRouteBuilder;

/**
 * {@code GET /api/v1/partners/status}: {@link PartnerStatus} as JSON, for operators and auditors
 * (its door in {@link credit.exchange.security.access.DoorPolicy}); the console's partner view
 * reads it.
 */
public final class PartnerStatusRoutes extends ApiRouteBuilder {

    private final PartnerStatus status;

    public PartnerStatusRoutes(PartnerStatus status) {
        this.status = status;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/partners").description("The partners of this node as its operators watch them")
                .get("/status").id("partners-status").produces("application/json")
                    .description("Per partner: enabled, reachable (from the last exchange's outcome), the last exchange each way,"
                            + " failures in the last hour, pending deliveries and notices, checkpoints awaiting its countersignature;"
                            + " unreachable partners first")
                    .responseMessage(answers(200, "{node, at, partners: [{partner, name, level, enabled, reachable, lastSent, lastAnswered,"
                            + " lastReceived, failures, pending, countersignatures}]}"))
                    .to("direct:partners-status");
        from("direct:partners-status").routeId("partners-status").process(e -> answer(e, 200, status.report()));
    }
}
