package credit.exchange.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The lookup driver's client reads sized and chunked answers in Chinese, on one kept-alive connection, and reconnects once. */
class KeepAliveHttpTest {

    @Test
    void sizedAndChunkedAnswers_areRead_onOneConnection_andAClosedOneIsOpenedAgain() throws IOException {
        Set<Object> connections = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
            byte[] body = ("{\"query\": \"" + exchange.getRequestURI().getQuery() + "\", \"名称\": \"杭州\"}").getBytes(StandardCharsets.UTF_8);
            boolean chunked = exchange.getRequestURI().getQuery().contains("chunked");
            exchange.sendResponseHeaders(exchange.getRequestURI().getQuery().contains("missing") ? 404 : 200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", server.getAddress().getPort())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(new KeepAliveHttp.Answer(200, "{\"query\": \"uscc=" + i + "\", \"名称\": \"杭州\"}"), http.get("/r?uscc=" + i));
            }
            assertEquals(new KeepAliveHttp.Answer(200, "{\"query\": \"chunked\", \"名称\": \"杭州\"}"), http.get("/r?chunked"));
            assertEquals(404, http.get("/r?missing").status());
            assertEquals(1, connections.size(), "one kept-alive connection");
            http.close();
            assertEquals(200, http.get("/r?again").status(), "opened again");
            assertEquals(2, connections.size());
        } finally {
            server.stop(0);
        }
    }
}
