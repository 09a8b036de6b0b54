package credit.exchange.gateway;

import credit.exchange.security.audit.AuditChain;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The audit trail ({@code gateway.audit.*}) and the officer console ({@code gateway.console.*}): the
 * chain's suite, how often and how much is chained, when checkpoints are signed and sent for
 * countersigning, how often the chain is verified again, and the console's client and grace.
 */
public record AuditSettings(AuditChain chain, int chainMs, int batch, int checkpointEvents, Duration checkpointInterval,
                           Duration countersignInterval, Duration verifyInterval, String consoleClientId,
                           Duration countersignGrace) {

    public static AuditSettings read(NodeConfig config) {
        return new AuditSettings(config.auditChain(), config.whole("gateway.audit.chain-ms", 1), config.whole("gateway.audit.batch", 1),
                config.whole("gateway.audit.checkpoint-events", 1),
                config.duration("gateway.audit.checkpoint-seconds", ChronoUnit.SECONDS, 1),
                config.duration("gateway.audit.countersign-seconds", ChronoUnit.SECONDS, 1),
                config.duration("gateway.audit.verify-seconds", ChronoUnit.SECONDS, 1),
                config.get("gateway.console.client-id"),
                config.duration("gateway.console.countersign-grace-seconds", ChronoUnit.SECONDS, 0));
    }
}
