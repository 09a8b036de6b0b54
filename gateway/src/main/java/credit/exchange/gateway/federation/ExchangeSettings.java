package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;

/**
 * Where partners reach this node: the exchange listener ({@code gateway.exchange.*}), the SOAP pull
 * port ({@code gateway.soap.*}) and the CRL port ({@code gateway.crl.port}); a port of 0 is not served.
 */
public record ExchangeSettings(String host, int port, boolean devMode, int crlPort, int soapPort, int soapRequestsPerPeer) {

    public static ExchangeSettings read(NodeConfig config) {
        return new ExchangeSettings(config.get("gateway.exchange.host"), config.port("gateway.exchange.port"),
                config.flag("gateway.exchange.dev-mode"), config.port("gateway.crl.port"), config.port("gateway.soap.port"),
                config.whole("gateway.soap.requests-per-peer", 1));
    }

    /** The scheme partners call the listeners with: plain HTTP in dev mode only. */
    public String scheme() {
        return devMode ? "http" : "https";
    }
}
