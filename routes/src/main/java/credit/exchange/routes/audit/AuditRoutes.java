package credit.exchange.routes.audit;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chainer: every few milliseconds it links the pending audit events into the hash chain
 * ({@link AuditStore#chainAll}). Events are already durable with their actions; a chainer that
 * cannot reach the database tries again at the next tick, and the first replica to take the lock
 * does the work.
 */
public final class AuditRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);

    private final AuditStore store;
    private final long periodMillis;
    private final int batch;

    public AuditRoutes(AuditStore store, long periodMillis, int batch) {
        this.store = store;
        this.periodMillis = periodMillis;
        this.batch = batch;
    }

    @Override
    public void configure() {
        from("timer:audit-chain?period=" + periodMillis + "&delay=" + periodMillis).routeId("audit-chain")
                .process(e -> {
                    try {
                        store.chainAll(batch);
                    } catch (RuntimeException failure) {
                        LOG.warn("the audit trail could not be chained ({}); pending events wait for the next tick",
                                failure.getMessage());
                    }
                });
    }
}
