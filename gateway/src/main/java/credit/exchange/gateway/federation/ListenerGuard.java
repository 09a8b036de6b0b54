package credit.exchange.gateway.federation;

import credit.exchange.security.transport.MutualTls;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange listener's guard, one per connection, right after netty's TLS handler and HTTP
 * decoder: a failed handshake is one log line (peer and reason) instead of Camel's warning with
 * the stack trace, and a connection is closed when a request's headers, its whole body, or the
 * next request do not arrive in time (a slow peer would otherwise hold it, and the aggregator's
 * buffer, for ever).
 */
final class ListenerGuard extends ChannelHandlerAdapter implements ChannelHandlerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);

    /** Registry name, as the listener URI's {@code decoders} option refers to it. */
    static final String NAME = "exchangeListenerGuard";

    private final Duration headerTimeout;
    private final Duration requestTimeout;
    private final Duration idleTimeout;

    ListenerGuard(Duration headerTimeout, Duration requestTimeout, Duration idleTimeout) {
        this.headerTimeout = headerTimeout;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
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
                LOG.warn("TLS handshake with {} on the exchange listener refused: {}", ctx.channel().remoteAddress(),
                        MutualTls.failureReason(handshake.cause()));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (handshakeFailed || isTls(cause)) {
                if (!handshakeFailed) {
                    LOG.warn("TLS failure with {} on the exchange listener: {}", ctx.channel().remoteAddress(),
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
                LOG.warn("{} from {} not received within {} ms on the exchange listener: connection closed", awaited,
                        ctx.channel().remoteAddress(), timeout.toMillis());
                ctx.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
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
