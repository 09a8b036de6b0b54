package credit.exchange.gateway;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The HTTP API's address and TLS ({@code gateway.http.*}), and how long a stop lets in-flight work finish. */
public record ApiSettings(String host, int port, boolean tls, Duration shutdown) {

    public static ApiSettings read(NodeConfig config) {
        return new ApiSettings(config.get("gateway.http.host"), config.port("gateway.http.port"), config.flag("gateway.http.tls"),
                config.duration("gateway.shutdown-seconds", ChronoUnit.SECONDS, 0));
    }

    public String baseUrl() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
