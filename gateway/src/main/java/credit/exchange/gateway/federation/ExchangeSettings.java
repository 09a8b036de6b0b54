package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.transport.MutualTls;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

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

    /**
     * The client TLS this node calls a partner with: mutual TLS with its INTL credential, checked
     * against the alliance CAs and the partner's id; {@code null} in dev mode (plain HTTP).
     */
    public Function<Partner, SSLContext> clientTls(NodeIdentity identity) {
        if (devMode) {
            return null;
        }
        NodeCredentials tls = identity.tlsCredential().orElseThrow(() -> new CodedException(ErrorCode.E_CONFIG_INVALID,
                "mutual TLS needs the node's INTL credential (gateway.credentials.intl.*); only gateway.exchange.dev-mode=true runs without one"));
        return partner -> MutualTls.client(tls, identity.validator(), partner.id());
    }

    /** The scheme partners call the listeners with: plain HTTP in dev mode only. */
    public String scheme() {
        return devMode ? "http" : "https";
    }
}
