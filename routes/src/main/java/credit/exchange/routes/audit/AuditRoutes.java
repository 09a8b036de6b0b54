package credit.exchange.routes.audit;

import credit.exchange.security.envelope.Envelopes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chainer: every few milliseconds it links the pending audit events into the hash chain
 * ({@link AuditStore#chainAll}) and, when one is due, signs a checkpoint of the head. Events are
 * already durable with their actions; a chainer that cannot reach the database tries again at the
 * next tick, and the first replica to take the lock does the work.
 */
public final class AuditRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);

    /** When the chain's head is signed: after so many events, or so long after the last checkpoint if it grew at all. */
    public record CheckpointPolicy(Envelopes signer, long everyEvents, Duration every) {
    }

    private final AuditStore store;
    private final long periodMillis;
    private final int batch;
    private final Optional<CheckpointPolicy> checkpoints;

    /** @param checkpoints the node's signing envelopes (of the chain's suite) and when to sign; none: a node without credentials */
    public AuditRoutes(AuditStore store, long periodMillis, int batch, Optional<CheckpointPolicy> checkpoints) {
        this.store = store;
        this.periodMillis = periodMillis;
        this.batch = batch;
        this.checkpoints = checkpoints;
    }

    @Override
    public void configure() {
        from("timer:audit-chain?period=" + periodMillis + "&delay=" + periodMillis).routeId("audit-chain")
                .process(e -> {
                    try {
                        store.chainAll(batch);
                        checkpoints.flatMap(p -> store.checkpointIfDue(p.signer(), p.everyEvents(), p.every(), Instant.now()))
                                .ifPresent(c -> LOG.info("audit checkpoint signed at event {}", c.seq()));
                    } catch (RuntimeException failure) {
                        LOG.warn("the audit trail could not be chained ({}); pending events wait for the next tick",
                                failure.getMessage());
                    }
                });
    }
}
