package credit.exchange.routes.push.soap;

import credit.exchange.routes.exchange.ExchangeReply;
import credit.exchange.routes.exchange.InboundExchange;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.AllianceProfile;
import io.undertow.server.RequestTooBigException;
import io.undertow.servlet.spec.HttpServletRequestImpl;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.cxf.common.DataFormat;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.Bus;
import org.apache.cxf.attachment.AttachmentDeserializer;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.interceptor.AttachmentInInterceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageContentsList;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.staxutils.StaxUtils;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The SOAP pull service ({@link ProvincePull}) as a camel-cxf consumer, on its own port with
 * mutual TLS like the exchange listener ({@link SoapListener}: Undertow, the node's key and trust managers, per-peer
 * limits and timeouts). Every
 * envelope goes through the same {@link InboundExchange} as the REST binding, restricted to the
 * operation's exchange type. XML is parsed by CXF's hardened StAX: a DOCTYPE (external entities,
 * entity expansion) is refused with E_MALFORMED ({@link CodedFault}), and a document larger than the envelope limit allows is cut off
 * by the parser's character limit before it is read whole; a body (an MTOM attachment too) longer
 * than the limit is refused from its declared length ({@link SoapListener}) or cut off while read
 * ({@link BodyLimit}), with E_TOO_LARGE.
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
     * @param bus the CXF bus whose Undertow engine serves it (installed first by {@link SoapListener#install})
     */
    public ProvincePullRoutes(InboundExchange inbound, String address, Bus bus, int maxEnvelopeBytes, boolean devMode) {
        this.inbound = inbound;
        this.address = address;
        this.bus = bus;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.devMode = devMode;
    }

    /** The largest request: base64 grows an envelope by 4/3 (MTOM does not); the SOAP wrapping is a few hundred bytes. */
    public static long maxBodyBytes(int maxEnvelopeBytes) {
        return maxEnvelopeBytes / 3L * 4L + 16_384;
    }

    @Override
    public void configure() {
        CxfEndpoint endpoint = new CxfEndpoint();
        endpoint.setCamelContext(getCamelContext());
        endpoint.setBus(bus);
        endpoint.setAddress(address);
        endpoint.setServiceClass(ProvincePull.class);
        endpoint.setDataFormat(DataFormat.POJO);
        long maxCharacters = maxBodyBytes(maxEnvelopeBytes);
        endpoint.setProperties(Map.of(
                StaxUtils.MAX_XML_CHARACTERS, maxCharacters,
                StaxUtils.MAX_TEXT_LENGTH, maxCharacters,
                StaxUtils.MAX_ELEMENT_DEPTH, 32,
                StaxUtils.MAX_ELEMENT_COUNT, 64,
                AttachmentDeserializer.ATTACHMENT_MAX_COUNT, 2));
        // SoapListener refuses a declared length over the limit; a chunked body (an MTOM attachment) is cut off here
        endpoint.getInInterceptors().add(new BodyLimit(maxCharacters));
        endpoint.getOutFaultInterceptors().add(new CodedFault());
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

    /** Exchange property set when {@link BodyLimit} cut a body off. */
    private static final String CUT_OFF = "credit.exchange.body-cut-off";

    /** Stops reading a request body past the limit, before CXF's attachment and XML readers see more of it. */
    static final class BodyLimit extends AbstractPhaseInterceptor<Message> {
        private final long maxBytes;

        BodyLimit(long maxBytes) {
            super(Phase.RECEIVE);
            addBefore(AttachmentInInterceptor.class.getName());
            this.maxBytes = maxBytes;
        }

        @Override
        public void handleMessage(Message message) {
            InputStream in = message.getContent(InputStream.class);
            if (in == null) {
                return;
            }
            // CXF would read (cache) the rest of a request before answering it, a refused one too
            message.put("cxf.io.cacheinput", Boolean.FALSE);
            org.apache.cxf.message.Exchange exchange = message.getExchange();
            message.setContent(InputStream.class, new FilterInputStream(in) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                @Override
                public void close() throws IOException {
                    // closing Undertow's stream would drain the rest of a cut-off body (and fail it, closing the
                    // connection before the fault is written); Undertow ends the request after the answer
                    if (!Boolean.TRUE.equals(exchange.get(CUT_OFF))) {
                        super.close();
                    }
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > maxBytes) {
                        exchange.put(CUT_OFF, Boolean.TRUE);
                        throw new IOException(ErrorCode.E_TOO_LARGE + ": the request body exceeds " + maxBytes + " bytes");
                    }
                }
            });
        }
    }

    /**
     * Gives every fault the service answers a code, in the {@code exchangeFault} detail the
     * operations declare. A refusal of the exchange ({@link ExchangeFault}) has its own. A body cut
     * off at the size limit while CXF read it ({@link BodyLimit}, or Undertow's entity limit) is
     * E_TOO_LARGE, as every other refusal of the service (what CXF makes of the broken read, e.g.
     * an unmarshalling error, is not the cause). Any other fault CXF raises while reading the
     * request — XML with a DOCTYPE, deeper or longer than the parser's limits, not the operations'
     * form — is E_MALFORMED. After any fault given before the body's end, the connection is closed
     * rather than the rest read.
     */
    static final class CodedFault extends AbstractPhaseInterceptor<Message> {

        CodedFault() {
            super(Phase.PREPARE_SEND);
        }

        @Override
        public void handleMessage(Message message) {
            if (!(message.getContent(Exception.class) instanceof Fault fault)) {
                return;
            }
            String from = "?";
            if (message.getExchange().getInMessage() != null && message.getExchange().getInMessage()
                    .get(AbstractHTTPDestination.HTTP_REQUEST) instanceof HttpServletRequestImpl request) {
                // a body refused before its end stays unread: Undertow closes the connection after the fault instead of draining it
                if (!request.getExchange().isRequestComplete()) {
                    request.getExchange().setPersistent(false);
                }
                from = request.getRemoteAddr() + ":" + request.getRemotePort();
            }
            if (Boolean.TRUE.equals(message.getExchange().get(CUT_OFF)) || cutOff(fault)) {
                String text = ErrorCode.E_TOO_LARGE.meaning();
                LOG.warn("SOAP request from {} refused with {}: {}", from, ErrorCode.E_TOO_LARGE, text);
                code(fault, ErrorCode.E_TOO_LARGE, text);
            } else if (!declared(fault)) {
                String text = "the request is not a SOAP message of this service within its limits (no DOCTYPE, at most 32 elements"
                        + " deep): " + abbreviate(fault.getMessage());
                LOG.warn("SOAP request from {} refused with {}: {}", from, ErrorCode.E_MALFORMED, text);
                code(fault, ErrorCode.E_MALFORMED, text);
            }
        }

        private static void code(Fault fault, ErrorCode code, String text) {
            fault.setMessage(code + ": " + text);
            fault.setFaultCode(Fault.FAULT_CODE_CLIENT);
            Element detail = fault.getOrCreateDetail();
            while (detail.getFirstChild() != null) {
                detail.removeChild(detail.getFirstChild());
            }
            Document doc = detail.getOwnerDocument();
            Element info = doc.createElementNS(ProvincePull.NAMESPACE, "ns1:exchangeFault");
            Element codeElement = doc.createElementNS(ProvincePull.NAMESPACE, "ns1:code");
            codeElement.setTextContent(code.name());
            Element msg = doc.createElementNS(ProvincePull.NAMESPACE, "ns1:message");
            msg.setTextContent(text);
            info.appendChild(codeElement);
            info.appendChild(msg);
            detail.appendChild(info);
        }

        /** A refusal of the exchange itself: the declared fault, which carries its code already. */
        private static boolean declared(Throwable t) {
            for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
                if (t instanceof ExchangeFault) {
                    return true;
                }
            }
            return false;
        }

        private static String abbreviate(String s) {
            return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
        }

        private static boolean cutOff(Throwable t) {
            for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
                if (t instanceof RequestTooBigException) {
                    return true;
                }
            }
            return false;
        }
    }
}
