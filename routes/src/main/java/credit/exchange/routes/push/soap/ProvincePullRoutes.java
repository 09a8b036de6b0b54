package credit.exchange.routes.push.soap;

import credit.exchange.routes.exchange.ExchangeReply;
import credit.exchange.routes.exchange.InboundExchange;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.transport.MutualTls;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.Bus;
import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageContentsList;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.transport.http_undertow.UndertowHTTPServerEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOAP pull service ({@link ProvincePull}) as a camel-cxf consumer, on its own port with
 * mutual TLS like the exchange listener (Undertow, with the node's key and trust managers). Every
 * envelope goes through the same {@link InboundExchange} as the REST binding, restricted to the
 * operation's exchange type. XML is parsed by CXF's hardened StAX: a DOCTYPE (external entities,
 * entity expansion) is refused, and a document larger than the envelope limit allows is cut off
 * by the parser's character limit before it is read whole.
 */
public final class ProvincePullRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ProvincePullRoutes.class);
    public static final String PATH = "/soap/province";
    private static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final InboundExchange inbound;
    private final String address;
    private final Bus bus;
    private final int maxEnvelopeBytes;
    private final boolean devMode;

    /**
     * @param address the service's URL, {@code https://host:port/soap/province} ({@code http} in dev mode)
     * @param bus the CXF bus whose Undertow engine serves it (TLS already set by {@link #useMutualTls})
     */
    public ProvincePullRoutes(InboundExchange inbound, String address, Bus bus, int maxEnvelopeBytes, boolean devMode) {
        this.inbound = inbound;
        this.address = address;
        this.bus = bus;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.devMode = devMode;
    }

    /** Makes the bus's Undertow engine on this port speak TLS 1.3 and require a node certificate. */
    public static void useMutualTls(Bus bus, String host, int port, MutualTls.ServerManagers managers) {
        TLSServerParameters tls = new TLSServerParameters();
        tls.setKeyManagers(managers.keyManagers());
        tls.setTrustManagers(managers.trustManagers());
        tls.setSecureSocketProtocol(MutualTls.PROTOCOL);
        tls.setIncludeProtocols(List.of(MutualTls.PROTOCOL));
        ClientAuthentication clientAuth = new ClientAuthentication();
        clientAuth.setWant(true);
        clientAuth.setRequired(true);
        tls.setClientAuthentication(clientAuth);
        try {
            bus.getExtension(UndertowHTTPServerEngineFactory.class).setTLSServerParametersForPort(host, port, tls);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the SOAP listener's TLS cannot be configured", e);
        }
    }

    @Override
    public void configure() {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setCamelContext(getCamelContext());
        endpoint.setBus(bus);
        endpoint.setAddress(address);
        endpoint.setServiceClass(ProvincePull.class);
        endpoint.setDataFormat(DataFormat.POJO);
        // base64 grows an envelope by 4/3; the rest of a SOAP request is a few hundred characters
        long maxCharacters = maxEnvelopeBytes / 3L * 4L + 16_384;
        endpoint.setProperties(Map.of(
                StaxUtils.MAX_XML_CHARACTERS, maxCharacters,
                StaxUtils.MAX_TEXT_LENGTH, maxCharacters,
                StaxUtils.MAX_ELEMENT_DEPTH, 32,
                StaxUtils.MAX_ELEMENT_COUNT, 64));
        // a refusal travels back as the SOAP fault the operation declares: CXF answers it, no error handler logs it
        errorHandler(noErrorHandler());
        from(endpoint).routeId("soap-province-pull")
                .process(this::exchange);
    }

    private void exchange(Exchange exchange) throws ExchangeFault {
        String operation = exchange.getIn().getHeader(CxfConstants.OPERATION_NAME, String.class);
        Partner.ExchangeType type = "acknowledge".equals(operation) ? Partner.ExchangeType.ACKNOWLEDGE : Partner.ExchangeType.PULL;
        try {
            MessageContentsList parameters = exchange.getIn().getBody(MessageContentsList.class);
            byte[] envelope = parameters == null || parameters.isEmpty() ? null : (byte[]) parameters.get(0);
            if (envelope == null || envelope.length == 0) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the request carries no envelope");
            }
            Optional<String> peer = peer(exchange);
            if (peer.isEmpty() && !devMode) {
                throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the TLS client presented no node certificate");
            }
            ExchangeReply reply = inbound.receive(envelope, peer, Optional.of(type));
            exchange.getMessage().setBody(new ExchangeResult(reply.answer(), reply.receipt()));
        } catch (CodedException e) {
            if (e.code().httpStatus() >= 500) {
                LOG.warn("SOAP {} refused with {}: {}", operation, e.code(), e.getMessage(), e.getCause());
            }
            throw new ExchangeFault(e.code() + ": " + e.getMessage(), new ExchangeFault.Info(e.code().name(), e.getMessage()));
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("incident {}: unexpected fault in SOAP {}", incident, operation, e);
            throw new ExchangeFault("E_INTERNAL: unexpected fault; quote incident " + incident + " to the operator",
                    new ExchangeFault.Info(ErrorCode.E_INTERNAL.name(), "unexpected fault; quote incident " + incident + " to the operator"));
        }
    }

    /** The node id of the TLS client's certificate, as Undertow hands it to CXF. */
    private static Optional<String> peer(Exchange exchange) {
        Message message = exchange.getIn().getHeader(CxfConstants.CAMEL_CXF_MESSAGE, Message.class);
        if (message == null || !(message.get(AbstractHTTPDestination.HTTP_REQUEST) instanceof HttpServletRequest request)) {
            return Optional.empty();
        }
        return request.getAttribute(CLIENT_CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0
                ? Optional.of(AllianceProfile.nodeId(chain[0])) : Optional.empty();
    }
}
