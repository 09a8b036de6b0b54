package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The transport doors of the exchange listener, the SOAP port and the CRL port (docs/protocol.md,
 * "Transport"); the header and idle timeouts hold for the API port too.
 */
public record TransportSettings(Duration headerTimeout, Duration requestTimeout, Duration idleTimeout) {

    public static TransportSettings read(NodeConfig config) {
        return new TransportSettings(config.duration("gateway.transport.header-timeout-ms", ChronoUnit.MILLIS, 1),
                config.duration("gateway.transport.request-timeout-seconds", ChronoUnit.SECONDS, 1),
                config.duration("gateway.transport.idle-timeout-seconds", ChronoUnit.SECONDS, 1));
    }
}
