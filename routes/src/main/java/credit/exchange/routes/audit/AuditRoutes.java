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
 * next tick, and the first replica to take the lock does the work. On its own period the whole
 * chain is verified again ({@link ChainMonitor}), for the officer console's chain status.
 */
public final class AuditRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);

    /** When the chain's head is signed: after so many events, or so long after the last checkpoint if it grew at all. */
    public record CheckpointPolicy(Envelopes signer, long everyEvents, Duration every) {
    }

    private final AuditStore store;
    private final AuditCheckpoints checkpointing;
    private final long periodMillis;
    private final int batch;
    private final Optional<CheckpointPolicy> checkpoints;
    private final ChainMonitor monitor;
    private final Duration verifyEvery;

    /**
     * @param checkpoints the node's signing envelopes (of the chain's suite) and when to sign; none: a node without credentials
     * @param verifyEvery how often the whole chain is verified again
     */
    public AuditRoutes(AuditStore store, long periodMillis, int batch, Optional<CheckpointPolicy> checkpoints, ChainMonitor monitor,
                       Duration verifyEvery) {
        this.store = store;
        this.checkpointing = new AuditCheckpoints(store);
        this.periodMillis = periodMillis;
        this.batch = batch;
        this.checkpoints = checkpoints;
        this.monitor = monitor;
        this.verifyEvery = verifyEvery;
    }

    @Override
    public void configure() {
        from("timer:audit-chain?period=" + periodMillis + "&delay=" + periodMillis).routeId("audit-chain")
                .process(e -> {
                    try {
                        store.chainAll(batch);
                        checkpoints.flatMap(p -> checkpointing.checkpointIfDue(p.signer(), p.everyEvents(), p.every(), Instant.now()))
                                .ifPresent(c -> LOG.debug("audit checkpoint signed at event {}", c.seq())); // state, not news: the console shows it
                    } catch (RuntimeException failure) {
                        LOG.warn("the audit trail could not be chained ({}); pending events wait for the next tick",
                                failure.getMessage());
                    }
                });
        from("timer:audit-verify?period=" + verifyEvery.toMillis() + "&delay=" + verifyEvery.toMillis()).routeId("audit-verify")
                .process(e -> {
                    try {
                        monitor.verifyNow();
                    } catch (RuntimeException failure) {
                        LOG.warn("the audit trail could not be verified ({}); next try in {}", failure.getMessage(), verifyEvery);
                    }
                });
    }
}
