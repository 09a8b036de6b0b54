package credit.exchange.routes.exchange;

import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.transport.MutualTls;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.apache.camel.Exchange;

/**
 * The exchange listener: {@code POST /exchange} with an envelope in, on its own port with mutual
 * TLS (docs/protocol.md, "Transport"). A request that proves itself gets 200, the sealed answer
 * as body and our signed receipt (base64 DER) in the {@value PartnerClient#RECEIPT_HEADER}
 * header; anything else gets its error code's status and a JSON error, never a stack trace.
 * Also the expiry of remembered message ids, every second (at most a thousand at a time).
 */
public final class ExchangeRoutes extends ApiRouteBuilder {

    /** Where camel-netty puts the TLS session of the request. */
    static final String TLS_SESSION_HEADER = "CamelNettySSLSession";

    private final InboundExchange inbound;
    private final ExchangeMessages messages;
    private final String listenerUri;
    private final boolean devMode;
    private volatile ExchangeMetrics metrics;

    /**
     * @param listenerUri the consumer endpoint of the listener (the gateway builds it: netty-http
     *        with the node's TLS context)
     * @param devMode plain HTTP without client certificates: the envelope alone identifies the sender
     */
    public ExchangeRoutes(InboundExchange inbound, ExchangeMessages messages, String listenerUri, boolean devMode) {
        this.inbound = inbound;
        this.messages = messages;
        this.listenerUri = listenerUri;
        this.devMode = devMode;
    }

    @Override
    protected void configureApi() {
        from(listenerUri).routeId("inbound-exchange")
                .process(this::receive);

        from("timer:exchange-message-expiry?period=1000&delay=5000").routeId("exchange-message-expiry")
                .process(e -> messages.forgetExpired());
    }

    private ExchangeMetrics metrics() {
        ExchangeMetrics m = metrics;
        if (m == null) {
            m = metrics = ExchangeMetrics.of(getCamelContext());
        }
        return m;
    }

    private void receive(Exchange exchange) {
        var in = exchange.getMessage();
        if (!"POST".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the exchange listener takes POST /exchange with an envelope");
        }
        byte[] envelope = in.getBody(byte[].class);
        if (envelope == null || envelope.length == 0) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the request carries no envelope");
        }
        Optional<String> peer = Optional.ofNullable(in.getHeader(TLS_SESSION_HEADER, SSLSession.class)).flatMap(MutualTls::peerNodeId);
        if (peer.isEmpty() && !devMode) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the TLS client presented no node certificate");
        }
        long start = System.nanoTime();
        ExchangeReply reply;
        try {
            reply = inbound.receive(envelope, peer);
        } catch (CodedException e) {
            metrics().record(peer.orElse("unidentified"), ExchangeMetrics.Direction.INBOUND, e.code().name(),
                    Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        metrics().record(peer.orElse("unidentified"), ExchangeMetrics.Direction.INBOUND, ExchangeMetrics.ANSWERED,
                Duration.ofNanos(System.nanoTime() - start));
        exchange.getMessage().removeHeaders("*"); // nothing of the request is echoed
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, PartnerClient.ENVELOPE_MEDIA_TYPE);
        exchange.getMessage().setHeader(PartnerClient.RECEIPT_HEADER, Base64.getEncoder().encodeToString(reply.receipt()));
        exchange.getMessage().setBody(reply.answer());
    }
}
