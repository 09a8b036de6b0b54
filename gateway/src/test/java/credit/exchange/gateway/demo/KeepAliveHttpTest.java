package credit.exchange.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load drivers' client, against the JDK's own HTTP server: sized and chunked answers in
 * Chinese and a posted body with its answer's headers, on one kept-alive connection; a connection
 * the server closed is opened again and the request sent once more; a server that does not answer
 * is a timeout, not sent twice.
 */
class KeepAliveHttpTest {

    private final Set<Object> connections = ConcurrentHashMap.newKeySet();
    private final Set<String> requests = ConcurrentHashMap.newKeySet();
    private final CountDownLatch never = new CountDownLatch(1);
    private HttpServer server;

    private KeepAliveHttp client() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
            String query = exchange.getRequestURI().getQuery();
            requests.add(exchange.getRequestMethod() + " " + query);
            if (query.contains("silent")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body = "POST".equals(exchange.getRequestMethod()) ? exchange.getRequestBody().readAllBytes()
                    : ("{\"query\": \"" + query + "\", \"名称\": \"杭州\"}").getBytes(StandardCharsets.UTF_8);
            boolean chunked = query.contains("chunked");
            exchange.getResponseHeaders().add("X-Receipt", "cmVjZWlwdA==");
            exchange.sendResponseHeaders(query.contains("missing") ? 404 : 200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return new KeepAliveHttp(SocketFactory.getDefault(), "127.0.0.1", server.getAddress().getPort(), 500);
    }

    @AfterEach
    void stop() {
        never.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sizedChunkedAndPostedAnswers_areRead_onOneConnection_andAClosedOneIsOpenedAgain() throws IOException {
        try (KeepAliveHttp http = client()) {
            for (int i = 0; i < 5; i++) {
                assertEquals("{\"query\": \"uscc=" + i + "\", \"名称\": \"杭州\"}", http.get("/r?uscc=" + i).text());
            }
            assertEquals("{\"query\": \"chunked\", \"名称\": \"杭州\"}", http.get("/r?chunked").text());
            assertEquals(404, http.get("/r?missing").status());
            byte[] envelope = {0x30, (byte) 0x82, 0, 1, 0x7f};
            KeepAliveHttp.Answer posted = http.post("/exchange?post", "application/pkcs7-mime", envelope);
            assertEquals(200, posted.status());
            assertArrayEquals(envelope, posted.body(), "the body went as sent");
            assertEquals(Optional.of("cmVjZWlwdA=="), posted.header("x-receipt"));
            assertEquals(1, connections.size(), "one kept-alive connection");
            http.close();
            assertEquals(200, http.get("/r?again").status(), "opened again");
            assertEquals(2, connections.size());
        }
    }

    @Test
    void aServerThatDoesNotAnswer_isATimeout_andTheRequestIsNotSentAgain() throws IOException {
        try (KeepAliveHttp http = client()) {
            assertEquals(200, http.get("/r?first").status());

            assertThrows(SocketTimeoutException.class, () -> http.post("/exchange?silent", "application/pkcs7-mime", new byte[] {1}));

            assertEquals(Set.of("GET first", "POST silent"), requests, "sent once");
            assertEquals(200, http.get("/r?after").status(), "a new connection after the timeout");
        }
    }

    @Test
    void aKeptAliveConnectionTheServerClosed_isOpenedAgain_andTheRequestSentOnceMore() throws Exception {
        // a server that answers one request per connection and then closes it, without saying so
        List<String> received = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = listener.accept()) {
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                            String request = in.readLine();
                            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                                // headers: none needed
                            }
                            received.add(request);
                            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            serving.setDaemon(true);
            serving.start();
            try (KeepAliveHttp http = new KeepAliveHttp(SocketFactory.getDefault(), "127.0.0.1", listener.getLocalPort(), 2_000)) {
                assertEquals("ok", http.get("/first").text());

                assertEquals("ok", http.get("/second").text(), "answered on a new connection");

                assertEquals(List.of("GET /first HTTP/1.1", "GET /second HTTP/1.1"), received, "each request reached the server once");
            }
        }
    }
}
