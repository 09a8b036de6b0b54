package credit.exchange.routes.push.soap;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.transport.MutualTls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.cxf.Bus;
import org.apache.cxf.configuration.jsse.SSLContextServerParameters;
import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;
import org.apache.cxf.transport.http_undertow.CXFUndertowHttpHandler;
import org.apache.cxf.transport.http_undertow.UndertowHTTPServerEngine;
import org.apache.cxf.transport.http_undertow.UndertowHTTPServerEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * The SOAP pull service's listener: CXF's Undertow engine on its own port, TLS 1.3 only with a
 * node certificate required (plain HTTP in dev mode), and limits that keep one peer from starving
 * the others. Undertow parses headers on its I/O threads but the service reads a body on a worker
 * thread, blocking; so a peer (any holder of an alliance certificate) has at most
 * {@code requestsPerPeer} requests in progress, each must be received and answered within
 * {@code requestTimeout} (else its connection is closed, which frees the worker), headers must
 * arrive within {@code headerTimeout}, and a body declared larger than {@code maxBodyBytes} is
 * refused from its Content-Length before a byte of it is read (a chunked one is cut off while it
 * is read by the endpoint, {@link ProvincePullRoutes}). Refusals are the SOAP fault the operations
 * declare, with the code, so that a partner's generated client reads them as any other.
 */
public final class SoapListener {

    private static final Logger LOG = LoggerFactory.getLogger(SoapListener.class);

    /**
     * @param maxBodyBytes the largest request body (an envelope, base64 or MTOM, and its SOAP wrapping)
     * @param requestsPerPeer requests one peer (its certificate's node id; its address in dev mode) may have in progress
     * @param headerTimeout time for a request's headers to arrive
     * @param requestTimeout time for a request to be received and answered, from its headers on
     * @param idleTimeout how long a connection without a request in progress is kept
     */
    public record Limits(long maxBodyBytes, int requestsPerPeer, Duration headerTimeout, Duration requestTimeout,
                         Duration idleTimeout) {
    }

    private SoapListener() {
    }

    /**
     * Registers the listener of {@code port} on the bus's Undertow engine factory; the SOAP
     * endpoint at that port then uses it. {@code tls}: {@link MutualTls#server(NodeCredentials, CertificateValidator,
     * MutualTls.HandshakeFailures)} reporting to {@link #handshakeRefused}; empty: plain HTTP (dev mode).
     */
    public static void install(Bus bus, String host, int port, Optional<SSLContext> tls, Limits limits) {
        UndertowHTTPServerEngineFactory factory = bus.getExtension(UndertowHTTPServerEngineFactory.class);
        Engine engine = new Engine(host, port, limits);
        engine.setMaxIdleTime(Math.toIntExact(limits.idleTimeout().toMillis()));
        engine.setHandlers(new ArrayList<>(List.of(new PeerLimits(limits))));
        tls.ifPresent(context -> engine.setTlsServerParameters(tlsParameters(context)));
        engine.finalizeConfig();
        factory.setEnginesList(List.of(engine));
        if (factory.retrieveUndertowHTTPServerEngine(port) != engine) {
            throw new IllegalStateException("port " + port + " already has a SOAP listener in this JVM");
        }
    }

    /** A refused handshake on the SOAP port: one line, the peer and the reason. */
    public static void handshakeRefused(String peer, String reason) {
        LOG.warn("TLS handshake with {} on the SOAP port refused: {}", peer, reason);
    }

    /** TLS 1.3 only (CXF enables its own protocol list minus the excluded ones), a node certificate required. */
    private static TLSServerParameters tlsParameters(SSLContext context) {
        TLSServerParameters tls = new SSLContextServerParameters(context);
        tls.setSecureSocketProtocol(MutualTls.PROTOCOL);
        tls.setIncludeProtocols(List.of(MutualTls.PROTOCOL));
        tls.setExcludeProtocols(new ArrayList<>(MutualTls.REFUSED_PROTOCOLS));
        tls.setCipherSuites(MutualTls.CIPHER_SUITES);
        ClientAuthentication clientAuth = new ClientAuthentication();
        clientAuth.setWant(true);
        clientAuth.setRequired(true);
        tls.setClientAuthentication(clientAuth);
        return tls;
    }

    /** CXF's engine with Undertow's own limits set on the server it builds. */
    private static final class Engine extends UndertowHTTPServerEngine {
        private final Limits limits;

        Engine(String host, int port, Limits limits) {
            super(host, port);
            this.limits = limits;
        }

        @Override
        public Undertow.Builder decorateUndertowSocketConnection(Undertow.Builder builder) {
            return super.decorateUndertowSocketConnection(builder)
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, Math.toIntExact(limits.headerTimeout().toMillis()))
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, Math.toIntExact(limits.idleTimeout().toMillis()));
        }
    }

    /** Counts each peer's requests in progress, refuses what is over a limit, and closes what outlasts its time. */
    static final class PeerLimits implements CXFUndertowHttpHandler {
        private final Limits limits;
        /** Requests in progress per peer; a peer with none has no entry. */
        private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();
        private volatile HttpHandler next;

        PeerLimits(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void setNext(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            String peer = peer(exchange);
            long declared = exchange.getRequestContentLength();
            if (declared > limits.maxBodyBytes()) {
                refuse(exchange, peer, ErrorCode.E_TOO_LARGE, "the request body of " + declared + " bytes exceeds the limit of "
                        + limits.maxBodyBytes() + " bytes");
                return;
            }
            // a chunked body is cut off while it is read by the SOAP endpoint (ProvincePullRoutes.BodyLimit), whose fault carries the code
            if (!acquire(peer)) {
                refuse(exchange, peer, ErrorCode.E_RATE_LIMITED, "more than " + limits.requestsPerPeer()
                        + " requests of this peer at once");
                return;
            }
            AtomicBoolean done = new AtomicBoolean();
            XnioExecutor.Key deadline = exchange.getIoThread().executeAfter(() -> {
                if (done.compareAndSet(false, true)) {
                    release(peer);
                    LOG.warn("SOAP request of {} from {} not received and answered within {} s: connection closed", peer,
                            address(exchange), limits.requestTimeout().toSeconds());
                    IoUtils.safeClose(exchange.getConnection());
                }
            }, limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            exchange.addExchangeCompleteListener((ex, nextListener) -> {
                if (done.compareAndSet(false, true)) {
                    deadline.remove();
                    release(peer);
                }
                nextListener.proceed();
            });
            next.handleRequest(exchange);
        }

        private boolean acquire(String peer) {
            boolean[] admitted = {false};
            inProgress.compute(peer, (p, n) -> {
                int current = n == null ? 0 : n;
                admitted[0] = current < limits.requestsPerPeer();
                return admitted[0] ? current + 1 : n;
            });
            return admitted[0];
        }

        private void release(String peer) {
            inProgress.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1);
        }

        /** The node id of the peer's certificate; without TLS (dev mode), its IP address. */
        private static String peer(HttpServerExchange exchange) {
            SSLSessionInfo ssl = exchange.getConnection().getSslSessionInfo();
            Optional<String> node = ssl == null || ssl.getSSLSession() == null ? Optional.empty()
                    : MutualTls.peerNodeId(ssl.getSSLSession());
            InetSocketAddress source = exchange.getSourceAddress();
            return node.orElseGet(() -> source == null ? "?" : source.getAddress().getHostAddress());
        }

        private static String address(HttpServerExchange exchange) {
            InetSocketAddress source = exchange.getSourceAddress();
            return source == null ? "?" : source.getAddress().getHostAddress() + ":" + source.getPort();
        }

        /**
         * The refusal as the SOAP fault the operations declare (its code in the detail), answered
         * at once; the body is not read, and the connection closes after the answer.
         */
        private static void refuse(HttpServerExchange exchange, String peer, ErrorCode code, String message) {
            LOG.warn("SOAP request of {} from {} refused with {}: {}", peer, address(exchange), code, message);
            exchange.setStatusCode(500); // SOAP 1.1 over HTTP: a fault travels with 500, as CXF's own
            exchange.setPersistent(false);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/xml; charset=utf-8");
            exchange.getResponseSender().send(fault(code, message));
        }
    }

    static String fault(ErrorCode code, String message) {
        String text = escape(code.name() + ": " + message);
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault>"
                + "<faultcode>soap:Client</faultcode><faultstring>" + text + "</faultstring><detail>"
                + "<ns1:exchangeFault xmlns:ns1=\"" + ProvincePull.NAMESPACE + "\"><ns1:code>" + code.name() + "</ns1:code>"
                + "<ns1:message>" + escape(message) + "</ns1:message></ns1:exchangeFault></detail></soap:Fault></soap:Body>"
                + "</soap:Envelope>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
