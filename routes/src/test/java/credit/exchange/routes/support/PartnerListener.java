package credit.exchange.routes.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.pki.NodeCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A partner's exchange listener in the test's process (plain HTTP on loopback: the client in dev
 * mode), answering each {@code POST /exchange} as the test's handler says, with the helpers to
 * answer as a partner node does: a sealed answer with the signed receipt of the request.
 */
public final class PartnerListener implements AutoCloseable {

    /** What the listener does with one request's bytes. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange http, byte[] request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private PartnerListener(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/exchange", http -> {
            try (http) {
                handler.handle(http, http.getRequestBody().readAllBytes());
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    public static PartnerListener start(Handler handler) throws IOException {
        return new PartnerListener(handler);
    }

    /** Where the partner file points: the listener's base URL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** {@code answering}'s sealed answer carrying {@code payload} to {@code request}, for {@code to}, with its receipt of the request. */
    public static void answerSealed(HttpExchange http, NodeEnvelopes answering, OpenedEnvelope request, byte[] payload,
                                    NodeCredentials to) throws IOException {
        byte[][] answer = TwoNodes.answerAndReceipt(answering, request, payload, to);
        answer(http, answer[0], answer[1]);
    }

    /** A 200 with {@code body}, and {@code receipt} in the receipt header unless it is null. */
    public static void answer(HttpExchange http, byte[] body, byte[] receipt) throws IOException {
        if (receipt != null) {
            http.getResponseHeaders().add(PartnerClient.RECEIPT_HEADER, Base64.getEncoder().encodeToString(receipt));
        }
        respond(http, 200, body);
    }

    public static void respond(HttpExchange http, int status, byte[] body) throws IOException {
        http.sendResponseHeaders(status, body.length);
        http.getResponseBody().write(body);
    }
}
