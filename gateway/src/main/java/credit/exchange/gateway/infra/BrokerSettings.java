package credit.exchange.gateway.infra;

import credit.exchange.gateway.NodeConfig;
import java.util.Optional;

/**
 * The broker ({@code gateway.broker.*}): an external Artemis by its URL and credentials, or, without
 * a URL, the in-JVM broker, also listening on {@code embeddedPort} when that is not 0.
 */
public record BrokerSettings(Optional<String> url, String user, String password, int embeddedPort) {

    public static BrokerSettings read(NodeConfig config) {
        return new BrokerSettings(Optional.of(config.get("gateway.broker.url")).filter(u -> !u.isEmpty()),
                config.get("gateway.broker.user"), config.get("gateway.broker.password"), config.port("gateway.broker.embedded-port"));
    }

    @Override
    public String toString() { // the password stays out of logs
        return "BrokerSettings[url=" + url + ", user=" + user + ", embeddedPort=" + embeddedPort + "]";
    }
}
