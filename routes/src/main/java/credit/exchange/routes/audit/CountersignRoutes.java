package credit.exchange.routes.audit;

import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.PartnerDirectory;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every few seconds, asks each enabled partner to countersign the checkpoints it has not countersigned yet. */
public final class CountersignRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CountersignRoutes.class);
    private static final int PER_ROUND = 20;

    private final Countersignatures countersignatures;
    private final PartnerDirectory partners;
    private final PartnerClient client;
    private final long periodMillis;

    public CountersignRoutes(Countersignatures countersignatures, PartnerDirectory partners, PartnerClient client, long periodMillis) {
        this.countersignatures = countersignatures;
        this.partners = partners;
        this.client = client;
        this.periodMillis = periodMillis;
    }

    @Override
    public void configure() {
        from("timer:audit-countersign?period=" + periodMillis + "&delay=" + periodMillis).routeId("audit-countersign")
                .process(e -> {
                    try {
                        int n = countersignatures.collect(java.util.List.copyOf(partners.all()), client, PER_ROUND);
                        if (n > 0) {
                            LOG.debug("audit: {} countersignature(s) of our checkpoints collected from partners", n);
                        }
                    } catch (RuntimeException failure) {
                        LOG.warn("audit countersignatures not collected this round: {}", failure.getMessage());
                    }
                });
    }
}
