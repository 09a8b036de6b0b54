package credit.exchange.routes.push.soap;

import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.transport.MutualTls;
import jakarta.xml.ws.WebServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;

/**
 * Carries pull and acknowledge envelopes to a partner's SOAP pull service, with mutual TLS, as
 * the puller's SOAP binding. A SOAP fault with an error code comes back as that code's refusal;
 * a connection failure as E_PARTNER_UNREACHABLE, so that the exchange is retried.
 */
public final class SoapCarrier implements PartnerClient.Carrier {

    private final Bus bus;
    private final Function<Partner, SSLContext> tls;
    private final Map<String, ClientForPartner> clients = new ConcurrentHashMap<>();

    private record ClientForPartner(Partner partner, ProvincePull port) {
    }

    /** @param tls the TLS context for calling a partner, or null in dev mode (plain http) */
    public SoapCarrier(Bus bus, Function<Partner, SSLContext> tls) {
        this.bus = bus;
        this.tls = tls;
    }

    @Override
    public PartnerClient.PartnerResponse carry(Partner partner, Partner.ExchangeType type, byte[] envelope, Duration timeout) {
        ProvincePull port = port(partner);
        try {
            ExchangeResult result = type == Partner.ExchangeType.ACKNOWLEDGE ? port.acknowledge(envelope) : port.pull(envelope);
            return new PartnerClient.PartnerResponse(200, Optional.of(Base64.getEncoder().encodeToString(result.getReceipt())),
                    result.getAnswer());
        } catch (ExchangeFault fault) {
            ErrorCode code = codeOf(fault.getFaultInfo());
            String json = "{\"code\":\"" + code.name() + "\",\"message\":" + quote(fault.getFaultInfo() == null ? ""
                    : fault.getFaultInfo().getMessage()) + "}";
            return new PartnerClient.PartnerResponse(code.httpStatus(), Optional.empty(), json.getBytes(StandardCharsets.UTF_8));
        } catch (WebServiceException e) {
            throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "the SOAP exchange with partner " + partner.id()
                    + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private ProvincePull port(Partner partner) {
        ClientForPartner current = clients.get(partner.id());
        if (current != null && current.partner().equals(partner)) {
            return current.port();
        }
        String address = partner.pullFrom().flatMap(Partner.PullFrom::soapEndpoint).orElseThrow(() -> new CodedException(
                ErrorCode.E_CONFIG_INVALID, "partner " + partner.id() + " has no soap-endpoint")).toString();
        JaxWsProxyFactoryBean factory = new JaxWsProxyFactoryBean();
        factory.setBus(bus);
        factory.setServiceClass(ProvincePull.class);
        factory.setAddress(address);
        ProvincePull port = factory.create(ProvincePull.class);
        Client client = ClientProxy.getClient(port);
        HTTPConduit conduit = (HTTPConduit) client.getConduit();
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(partner.connectTimeout().toMillis());
        policy.setReceiveTimeout(partner.answerTimeout().toMillis());
        policy.setAllowChunking(false);
        conduit.setClient(policy);
        if (address.startsWith("https:")) {
            if (tls == null) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "this node has no TLS credential to call " + address);
            }
            TLSClientParameters parameters = new TLSClientParameters();
            parameters.setSslContext(tls.apply(partner));
            // CXF sets its own protocol list (TLS 1.3 and 1.2) on the client unless one is named: TLS 1.3 only, as the context
            parameters.setSecureSocketProtocol(MutualTls.PROTOCOL);
            parameters.setCipherSuites(MutualTls.CIPHER_SUITES);
            // the trust manager pins the partner's node id, which the alliance PKI certifies; host names are not
            parameters.setDisableCNCheck(true);
            conduit.setTlsClientParameters(parameters);
        }
        clients.put(partner.id(), new ClientForPartner(partner, port));
        return port;
    }

    private static ErrorCode codeOf(ExchangeFault.Info info) {
        try {
            return info == null ? ErrorCode.E_BAD_ANSWER : ErrorCode.valueOf(info.getCode());
        } catch (IllegalArgumentException e) {
            return ErrorCode.E_BAD_ANSWER;
        }
    }

    private static String quote(String s) {
        try {
            return credit.exchange.routes.api.Json.mapper().writeValueAsString(s == null ? "" : s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"\"";
        }
    }
}
