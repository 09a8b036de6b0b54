package credit.exchange.routes.audit;

import credit.exchange.security.envelope.Envelopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's status as the officer console shows it: the last full verification of the trail
 * (every event recomputed, every signed checkpoint and countersignature checked), when it ran and
 * how long it took. The {@code audit-verify} route refreshes it on a period; an officer can ask
 * for a run now. One verification runs at a time; a broken chain is logged as an error.
 */
public final class ChainMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ChainMonitor.class);

    /** A verification and when it ran. */
    public record Status(Instant verifiedAt, Duration took, AuditVerifier.Verification verification) {
    }

    private final AuditVerifier verifier;
    private final Optional<Envelopes> trust;
    private final Clock clock;
    private final AtomicReference<Status> latest = new AtomicReference<>();

    /** @param trust the node's envelopes of the chain's suite, which check its checkpoints; none: checkpoints unchecked */
    public ChainMonitor(AuditStore store, Optional<Envelopes> trust, Clock clock) {
        this.verifier = new AuditVerifier(store);
        this.trust = trust;
        this.clock = clock;
    }

    /** The last verification; the first is run now. */
    public Status latest() {
        Status status = latest.get();
        return status != null ? status : verifyNow();
    }

    /** Verifies the whole chain now (waiting for a run in progress to finish first). */
    public synchronized Status verifyNow() {
        Instant start = clock.instant();
        AuditVerifier.Verification v = verifier.verify(1, trust);
        Status status = new Status(clock.instant(), Duration.between(start, clock.instant()), v);
        latest.set(status);
        if (!v.intact()) {
            LOG.error("the audit trail does not verify: {} {}", v.result().firstBreak().map(Object::toString).orElse(""),
                    v.checkpointProblems());
        }
        return status;
    }
}
