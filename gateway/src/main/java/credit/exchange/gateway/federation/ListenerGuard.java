package credit.exchange.gateway.federation;

import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.Usage;
import credit.exchange.security.transport.MutualTls;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netty listener's guard (the exchange listener's, the CRL port's), one per connection, right
 * after netty's TLS handler and HTTP decoder: a failed handshake is one log line (peer and reason)
 * instead of Camel's warning with the stack trace, and a connection is closed when a request's
 * headers, its whole body, or the next request do not arrive in time (a slow peer would otherwise
 * hold it, and the aggregator's buffer, for ever). On a TLS listener each request is also checked
 * against the peer's certificate again: a connection opened before its certificate was revoked (or
 * its CA's CRL lapsed) is closed at its next request, not kept for as long as the peer keeps it busy.
 */
final class ListenerGuard extends ChannelHandlerAdapter implements ChannelHandlerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);

    /** Registry name, as the listener URI's {@code decoders} option refers to it. */
    static final String NAME = "exchangeListenerGuard";
    /** Registry name of the CRL port's guard. */
    static final String CRL_NAME = "crlListenerGuard";

    private final String listener;
    private final Duration headerTimeout;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final CertificateValidator validator;

    /**
     * @param listener the listener's name in log lines ("exchange listener", "CRL port")
     * @param validator checks a TLS peer's certificate again at each request; null on a plain listener
     */
    ListenerGuard(String listener, Duration headerTimeout, Duration requestTimeout, Duration idleTimeout, CertificateValidator validator) {
        this.listener = listener;
        this.headerTimeout = headerTimeout;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
        this.validator = validator;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new Guard();
    }

    private final class Guard extends ChannelDuplexHandler {
        private ScheduledFuture<?> deadline;
        private boolean handshakeFailed;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            arm(ctx, headerTimeout, "request headers");
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                Optional<String> untrusted = peerNoLongerTrusted(ctx);
                if (untrusted.isPresent()) {
                    LOG.warn("TLS peer {} on the {} no longer trusted ({}): connection closed", ctx.channel().remoteAddress(), listener,
                            untrusted.get());
                    cancel();
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                    return;
                }
                arm(ctx, requestTimeout, "request body");
            }
            if (msg instanceof LastHttpContent) {
                arm(ctx, idleTimeout.plus(requestTimeout), "next request"); // the answer is made meanwhile
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                handshakeFailed = true;
                LOG.warn("TLS handshake with {} on the {} refused: {}", ctx.channel().remoteAddress(), listener,
                        MutualTls.failureReason(handshake.cause()));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (handshakeFailed || isTls(cause)) {
                if (!handshakeFailed) {
                    LOG.warn("TLS failure with {} on the {}: {}", ctx.channel().remoteAddress(), listener,
                            MutualTls.failureReason(cause));
                }
                handshakeFailed = true;
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            super.channelInactive(ctx);
        }

        private void arm(ChannelHandlerContext ctx, Duration timeout, String awaited) {
            cancel();
            deadline = ctx.executor().schedule(() -> {
                LOG.warn("{} from {} not received within {} ms on the {}: connection closed", awaited,
                        ctx.channel().remoteAddress(), timeout.toMillis(), listener);
                ctx.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        /** Why the TLS peer's certificate no longer passes, if it does not (a cached check: a hash and a lookup). */
        private Optional<String> peerNoLongerTrusted(ChannelHandlerContext ctx) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (validator == null || tls == null) {
                return Optional.empty();
            }
            try {
                Certificate[] chain = tls.engine().getSession().getPeerCertificates();
                validator.validate((X509Certificate) chain[0], Suite.INTL, Usage.SIGNING);
                return Optional.empty();
            } catch (CodedException e) {
                return Optional.of(e.code() + ": " + e.getMessage());
            } catch (SSLPeerUnverifiedException | RuntimeException e) {
                return Optional.of("no verified peer certificate");
            }
        }

        private static boolean isTls(Throwable t) {
            for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
                if (t instanceof SSLException) {
                    return true;
                }
            }
            return false;
        }
    }
}
