package credit.exchange.gateway;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The realm tokens come from ({@code gateway.auth.*}): its issuer (empty: the development issuer),
 * the audience, how often its keys may be re-read, and token introspection.
 */
public record AuthSettings(Optional<String> issuer, String audience, Duration keyRefresh, Optional<String> introspectionSecret,
                           Duration activeFor) {

    public static AuthSettings read(NodeConfig config) {
        return new AuthSettings(Optional.of(config.get("gateway.auth.issuer").replaceAll("/+$", "")).filter(s -> !s.isEmpty()),
                config.get("gateway.auth.audience"), config.duration("gateway.auth.key-refresh-seconds", ChronoUnit.SECONDS, 1),
                Optional.of(config.get("gateway.auth.introspection-secret")).filter(s -> !s.isEmpty()),
                config.duration("gateway.auth.active-seconds", ChronoUnit.SECONDS, 0));
    }

    @Override
    public String toString() { // the secret stays out of logs
        return "AuthSettings[issuer=" + issuer + ", audience=" + audience + ", introspection=" + introspectionSecret.isPresent() + "]";
    }
}
