package credit.exchange.gateway.infra;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timeouts for the API port, which Camel 4.17's platform-http does not offer: its {@code
 * camel.server.*} keys have none, its Vert.x server is built inside Camel from default options (no
 * idle timeout), and Vert.x has no time limit for a request's headers at all. The node hands Camel
 * its Vert.x instance (Camel looks one up in the registry before making its own), seen through a
 * proxy that gives the HTTP server Camel creates an idle timeout and closes a connection whose
 * request headers have not arrived in time: within the header timeout of the connection, or within
 * the idle and header timeouts of the previous answer. HTTP/2 over cleartext (h2c) is off on that
 * server: Vert.x would otherwise wait for a connection's first bytes before it tells the node of it.
 */
public final class ApiServerTimeouts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServerTimeouts.class);

    private final Vertx vertx;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();

    public ApiServerTimeouts(Duration headerTimeout, Duration idleTimeout) {
        this.vertx = Vertx.vertx();
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** The Vert.x instance to bind in Camel's registry. */
    public Vertx vertx() {
        return (Vertx) Proxy.newProxyInstance(VertxInternal.class.getClassLoader(), new Class<?>[] {VertxInternal.class},
                new Delegate(vertx, this::vertxCall));
    }

    private Object vertxCall(Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createHttpServer")) {
            HttpServerOptions options = args != null && args.length == 1 && args[0] instanceof HttpServerOptions given
                    ? new HttpServerOptions(given) : new HttpServerOptions();
            options.setIdleTimeout(Math.toIntExact(idleTimeout.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    // no h2c: Vert.x would wait for a connection's first bytes to choose, before it knows the connection
                    .setHttp2ClearTextEnabled(false);
            HttpServer server = vertx.createHttpServer(options);
            server.connectionHandler(connection -> {
                arm(connection, headerTimeout);
                connection.closeHandler(closed -> disarm(connection));
            });
            HttpServer[] proxy = new HttpServer[1];
            proxy[0] = (HttpServer) Proxy.newProxyInstance(HttpServer.class.getClassLoader(), new Class<?>[] {HttpServer.class},
                    new Delegate(server, (m, a) -> serverCall(server, proxy[0], m, a)));
            return proxy[0];
        }
        return invoke(vertx, method, args);
    }

    @SuppressWarnings("unchecked")
    private Object serverCall(HttpServer server, HttpServer proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
            Handler<HttpServerRequest> handler = (Handler<HttpServerRequest>) args[0];
            if (handler instanceof io.vertx.ext.web.Router router) {
                ServerRefusals.install(router); // what the server refuses by itself answers in the JSON error form too
            }
            server.requestHandler(request -> {
                HttpConnection connection = request.connection();
                disarm(connection);
                request.response().endHandler(answered -> arm(connection, idleTimeout.plus(headerTimeout)));
                handler.handle(request);
            });
            return proxy;
        }
        Object result = invoke(server, method, args);
        return result == server ? proxy : result;
    }

    private void arm(HttpConnection connection, Duration timeout) {
        disarm(connection);
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (deadlines.remove(connection, id)) {
                LOG.warn("request headers from {} not received within {} ms on the API port: connection closed",
                        connection.remoteAddress(), timeout.toMillis());
                connection.close();
            }
        });
        deadlines.put(connection, timer);
    }

    private void disarm(HttpConnection connection) {
        Long timer = deadlines.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface Call {
        Object apply(Method method, Object[] args) throws Throwable;
    }

    private record Delegate(Object target, Call call) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "proxy of " + target;
                };
            }
            return call.apply(method, args);
        }
    }
}
