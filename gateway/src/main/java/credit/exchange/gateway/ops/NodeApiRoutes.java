package credit.exchange.gateway.ops;

import credit.exchange.gateway.federation.CrlDistribution;
import credit.exchange.gateway.infra.BrokerConnection;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.countersign.CountersignRoutes;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.Outbox;
import credit.exchange.routes.delivery.PublicityDeadlines;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.delivery.RelayWatch;
import credit.exchange.routes.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;

/**
 * What the node's HTTP server offers beside the flows: the REST configuration (with the OpenAPI
 * contract at {@code /openapi.json}), the probes an orchestrator uses (live means the process
 * serves HTTP; ready means the database and the broker both answer), and the operators' view of
 * the push flows: outbox counts, double-publicity deadlines, deliveries received. Readiness warns,
 * without turning DOWN, of a blocked relay and of partners behind with their countersignatures;
 * it shows each alliance CRL held (number, thisUpdate, nextUpdate, source) and is DOWN when one is
 * past its nextUpdate plus grace, as every certificate of that CA is then refused.
 */
public final class NodeApiRoutes extends ApiRouteBuilder {

    private final String nodeId;
    private final Database database;
    private final BrokerConnection broker;
    private final RelayWatch relayWatch;
    private final Clock clock;

    public NodeApiRoutes(String nodeId, Database database, BrokerConnection broker, RelayWatch relayWatch, Clock clock) {
        this.nodeId = nodeId;
        this.database = database;
        this.broker = broker;
        this.relayWatch = relayWatch;
        this.clock = clock;
    }

    @Override
    protected void configureApi() {
        restConfiguration()
                .component("platform-http")
                .apiContextPath("/openapi.json")
                .apiContextRouteId("openapi")
                .apiProperty("api.title", "Credit exchange gateway — node " + nodeId)
                .apiProperty("api.version", "1")
                .apiProperty("api.description", "Local API of an alliance credit exchange node");

        rest().description("The node: probes, metrics and the operators' view of the push flows")
                .get("/health/live").id("health-live").produces("application/json")
                    .description("Live: the process serves HTTP")
                    .responseMessage(answers(200, "{status: UP, node}")).to("direct:health-live")
                .get("/health/ready").id("health-ready").produces("application/json")
                    .description("Ready: the database and the broker both answer")
                    .responseMessage(answers(200, "{status: UP, node, checks: {database, broker, relay, countersignatures, crl}}"))
                    .responseMessage(answers(503, "{status: DOWN, node, checks}: the checks say what does not answer"))
                    .to("direct:health-ready")
                // refusals are JSON (ApiError), like every refusal of the API
                .get("/metrics").id("metrics").produces("text/plain,application/json")
                    .description("Camel's and the JVM's meters, for the node's scrape token or an operator")
                    .responseMessage(answers(200, "Prometheus text format 0.0.4")).to("direct:metrics")
                .get("/api/v1/outbox").id("outbox-counts").produces("application/json")
                    .description("The outbox's deliveries of records by partner and state, and every kind's (records, notices,"
                            + " checkpoints, pulls)")
                    .responseMessage(answers(200, "{node, deliveries: record deliveries per partner and state,"
                            + " byKind: per kind, per partner and state}")).to("direct:outbox-counts")
                .get("/api/v1/publicity").id("publicity-status").produces("application/json")
                    .description("Double publicity (双公示) deadlines per destination")
                    .responseMessage(answers(200, "{node, destinations: a summary per destination, late: up to 100 deliveries past their deadline}"))
                    .to("direct:publicity-status")
                .get("/api/v1/received").id("received-counts").produces("application/json")
                    .description("Deliveries this node received, per sender")
                    .responseMessage(answers(200, "{node, received: counts per sender}")).to("direct:received-counts");

        from("direct:health-live").routeId("health-live")
                .process(e -> answer(e, 200, Map.of("status", "UP", "node", nodeId)));
        from("direct:health-ready").routeId("health-ready")
                .process(this::readiness);
        from("direct:metrics").routeId("metrics")
                .process(this::prometheus);

        Outbox outbox = new Outbox(database, clock);
        PublicityDeadlines deadlines = new PublicityDeadlines(database, clock);
        ReceivedDeliveries received = new ReceivedDeliveries(database);
        from("direct:outbox-counts").routeId("outbox-counts")
                .process(e -> answer(e, 200, Map.of("node", nodeId, "deliveries", outbox.counts(DeliveryKind.PUBLICITY),
                        "byKind", outbox.countsByKind())));
        from("direct:publicity-status").routeId("publicity-status")
                .process(e -> answer(e, 200, Map.of("node", nodeId, "destinations", deadlines.summary(),
                        "late", deadlines.late(100))));
        from("direct:received-counts").routeId("received-counts")
                .process(e -> answer(e, 200, Map.of("node", nodeId, "received", received.counts())));
    }

    /** Camel's Micrometer registry (camel.metrics.enabled) in Prometheus text format. */
    private void prometheus(Exchange exchange) {
        PrometheusMeterRegistry registry = getCamelContext().getRegistry().findSingleByType(PrometheusMeterRegistry.class);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setBody(registry == null ? "" : registry.scrape());
    }

    private void readiness(Exchange exchange) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", database.answers() ? "UP" : "DOWN");
        checks.put("broker", broker.answers() ? "UP" : "DOWN");
        // a broker that blocks the relay (disk or address full) leaves the node ready: it answers, and records wait in the database
        checks.put("relay", relayWatch.blockedFor().map(d -> "BLOCKED for " + d.toSeconds() + " s: the broker takes no deliveries"
                + " (journal disk or address full?)").orElse("UP"));
        // partners behind with their countersignatures leave the node ready: it serves, and its trail is still chained and signed
        CountersignRoutes.Standing countersigning = getCamelContext().getRegistry().lookupByNameAndType(CountersignRoutes.REGISTRY_NAME,
                CountersignRoutes.Standing.class);
        if (countersigning != null) {
            List<String> lagging = countersigning.lagging();
            checks.put("countersignatures", lagging.isEmpty() ? "UP" : "WARN " + String.join("; ", lagging));
        }
        // the CRLs held, per CA: without a current one (nextUpdate plus grace passed) its certificates are refused, so not ready
        CrlDistribution crls = getCamelContext().getRegistry().lookupByNameAndType(CrlDistribution.REGISTRY_NAME, CrlDistribution.class);
        if (crls != null) {
            List<String> held = crls.status();
            boolean current = crls.current();
            checks.put("crl", (current ? "UP " : "DOWN ") + String.join("; ", held));
        }
        boolean ready = checks.values().stream().noneMatch(v -> v.startsWith("DOWN"));
        answer(exchange, ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN", "node", nodeId, "checks", checks));
    }
}
