package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The transport doors of a node (docs/protocol.md, "Transport"), tried from outside on loopback:
 * TLS 1.2 is refused on the exchange and SOAP ports (a JSSE client and stock OpenSSL 3), a failed
 * handshake is one log line, headers sent a byte at a time are cut off on all three ports, a
 * peer's slow connections do not starve another peer's pull, and an oversized MTOM body is
 * refused before it is read whole, with E_TOO_LARGE.
 */
class TransportDoorsIT {

    private static final int MAX_ENVELOPE_BYTES = 256 * 1024;
    private static final int REQUESTS_PER_PEER = 4;
    private static final int HEADER_TIMEOUT_MS = 2000;
    private static final int REQUEST_TIMEOUT_SECONDS = 5;

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node hangzhou;
    static NodeEnvelopes asProvince;
    static NodeCredentials provinceTls;
    static NodeCredentials strangerTls;
    static CertificateValidator validator;
    static int exchangePort;
    static int soapPort;

    @BeforeAll
    static void startHangzhou() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member member = DemoAlliance.member("hangzhou");
        hangzhou = Node.start(alliance.config(member)
                .with("gateway.exchange.max-envelope-bytes", Integer.toString(MAX_ENVELOPE_BYTES))
                .with("gateway.soap.requests-per-peer", Integer.toString(REQUESTS_PER_PEER))
                .with("gateway.transport.header-timeout-ms", Integer.toString(HEADER_TIMEOUT_MS))
                .with("gateway.transport.request-timeout-seconds", Integer.toString(REQUEST_TIMEOUT_SECONDS)));
        exchangePort = URI.create(alliance.exchangeUrl(member)).getPort();
        soapPort = URI.create(alliance.soapUrl(member)).getPort();
        NodeIdentity province = NodeIdentity.load(alliance.config(DemoAlliance.member("zhejiang")), Clock.systemUTC()).orElseThrow();
        asProvince = province.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
        provinceTls = province.tlsCredential().orElseThrow();
        validator = province.validator();
        // a certificate of the alliance CA for a node no member has as a partner
        AllianceCa intl = AllianceCa.load(root.resolve("pki").resolve("intl-ca"), Passphrases.fromFile(root.resolve("demo-passphrase")));
        strangerTls = intl.issueNode("stranger", Duration.ofDays(1), List.of("localhost"));
    }

    @AfterAll
    static void stop() {
        if (hangzhou != null) {
            hangzhou.close();
        }
    }

    @Test
    void tls12ClientHello_isRefused_onTheExchangeAndSoapPorts() throws Exception {
        for (int port : List.of(exchangePort, soapPort)) {
            SSLException refused = assertThrows(SSLException.class, () -> handshake(port, "TLSv1.2"), "TLS 1.2 on port " + port);
            assertTrue(refused.getMessage() != null, "port " + port);
            handshake(port, "TLSv1.3"); // the same client, TLS 1.3: accepted
        }
    }

    @Test
    void stockOpenssl3_isRefusedTls12_andSpeaksTls13_onBothPorts() throws Exception {
        Path credentials = root.resolve("zhejiang").resolve("credentials").resolve("intl");
        for (int port : List.of(exchangePort, soapPort)) {
            List<String> common = List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief",
                    "-cert", credentials.resolve("zhejiang.cert.pem").toString(), "-key", credentials.resolve("zhejiang.key.pem").toString(),
                    "-pass", "file:" + root.resolve("demo-passphrase"), "-CAfile", root.resolve("pki/intl-ca/ca.cert.pem").toString(),
                    "-verify_return_error");
            String[] tls12 = openssl(common, "-tls1_2");
            assertEquals("1", tls12[0], "port " + port + ": " + tls12[1]);
            String[] tls13 = openssl(common, "-tls1_3");
            assertEquals("0", tls13[0], "port " + port + ": " + tls13[1]);
            assertTrue(tls13[1].contains("TLSv1.3"), tls13[1]);
        }
    }

    /** Exit status and output of an openssl command with {@code extra} appended, stdin closed. */
    private static String[] openssl(List<String> command, String extra) throws Exception {
        List<String> all = new ArrayList<>(command);
        all.add(extra);
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl ended");
        return new String[] {Integer.toString(process.exitValue()), output};
    }

    @Test
    void aFailedHandshake_isOneLogLine_withoutAStackTrace() throws Exception {
        ch.qos.logback.classic.Logger rootLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // a client without a certificate, and one with a forged certificate: another CA under the alliance CA's name
        AllianceCa foreign = AllianceCa.init(credit.exchange.security.Suite.INTL, "Demo Alliance INTL Root CA", Duration.ofDays(1));
        MutualTls.ServerManagers outsider = MutualTls.serverManagers(foreign.issueNode("outsider", Duration.ofDays(1)), validator);
        for (int attempt = 0; attempt < 4; attempt++) {
            int port = attempt % 2 == 0 ? exchangePort : soapPort;
            javax.net.ssl.KeyManager[] keys = attempt < 2 ? null : outsider.keyManagers();
            ListAppender<ILoggingEvent> log = new ListAppender<>();
            log.start();
            rootLogger.addAppender(log);
            try {
                String peer = refusedConnection(port, keys);
                awaitCondition(() -> transportLines(log, peer).size() >= 1, Duration.ofSeconds(10), "a log line for port " + port);
                // a late second line (a stack trace logged after the first) would be logged by the same I/O thread
                awaitThreadMovedOn(log, transportLines(log, peer).get(0).getThreadName(), port);
                List<ILoggingEvent> lines = transportLines(log, peer);
                assertEquals(1, lines.size(), "port " + port + ": " + lines.stream().map(ILoggingEvent::getFormattedMessage).toList());
                ILoggingEvent line = lines.get(0);
                assertNull(line.getThrowableProxy(), "no stack trace: " + line.getFormattedMessage());
                assertTrue(line.getFormattedMessage().contains(peer), "names the peer: " + line.getFormattedMessage());
                assertTrue(line.getLevel().isGreaterOrEqual(Level.INFO), line.getFormattedMessage());
            } finally {
                rootLogger.detachAppender(log);
            }
        }
    }

    /** A connection whose handshake the node refuses (no certificate, or the untrusted one of {@code keys}); ":" and its local port. */
    private static String refusedConnection(int port, javax.net.ssl.KeyManager[] keys) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys, MutualTls.serverManagers(provinceTls, validator).trustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        int localPort = socket.getLocalPort();
        try (socket) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read(); // the server's alert ends the connection
        } catch (IOException expected) {
            // refused, as it should be
        }
        return ":" + localPort;
    }

    /**
     * Waits until {@code ioThread}, which logged a refused handshake, has logged the refusal of a
     * later connection: an I/O thread serves one connection's event at a time, so by then every
     * line it wrote for the earlier connection is in the log, and none can come after.
     */
    private static void awaitThreadMovedOn(ListAppender<ILoggingEvent> log, String ioThread, int port) throws Exception {
        // the listener hands connections to its I/O threads in turn (or at random): a few connections reach this one
        for (int sentinel = 0; sentinel < 64; sentinel++) {
            String peer = refusedConnection(port, null);
            awaitCondition(() -> !linesNaming(log, peer).isEmpty(), Duration.ofSeconds(10), "the refusal of a later connection on port " + port);
            if (linesNaming(log, peer).stream().anyMatch(e -> e.getThreadName().equals(ioThread))) {
                return;
            }
        }
        throw new AssertionError("no later connection on port " + port + " was served by " + ioThread);
    }

    @Test
    void headersSentOneByteAtATime_areCutOff_onBothPorts() throws Exception {
        SSLContext stranger = MutualTls.client(strangerTls, validator, "hangzhou");
        for (int port : List.of(exchangePort, soapPort)) {
            try (SSLSocket socket = (SSLSocket) stranger.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(250);
                socket.startHandshake();
                long started = System.nanoTime();
                byte[] headers = "POST /exchange HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
                boolean closed = false;
                for (int i = 0; !closed && System.nanoTime() - started < Duration.ofSeconds(15).toNanos(); i++) {
                    try {
                        socket.getOutputStream().write(i < headers.length ? headers[i] : 'a');
                        socket.getOutputStream().flush();
                        closed = socket.getInputStream().read() == -1; // waits 250 ms: about four bytes a second
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // the server is still waiting for the headers
                    } catch (IOException closedByServer) {
                        closed = true;
                    }
                }
                Duration held = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(closed, "port " + port + " still open after " + held);
                assertTrue(held.toMillis() < HEADER_TIMEOUT_MS + 3000, "port " + port + " closed after " + held);
            }
        }
    }

    @Test
    void headersSentOneByteAtATime_areCutOff_onTheApiPort() throws Exception {
        URI api = URI.create(alliance.apiUrl(DemoAlliance.member("hangzhou")));
        try (java.net.Socket socket = new java.net.Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(250);
            long started = System.nanoTime();
            byte[] headers = "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (int i = 0; !closed && System.nanoTime() - started < Duration.ofSeconds(15).toNanos(); i++) {
                try {
                    socket.getOutputStream().write(i < headers.length ? headers[i] : 'a');
                    socket.getOutputStream().flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // the server is still waiting for the headers
                } catch (IOException closedByServer) {
                    closed = true;
                }
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(closed, "the API port still open after " + held);
            assertTrue(held.toMillis() < HEADER_TIMEOUT_MS + 3000, "the API port closed after " + held);
        }
        // and a request in time is answered, on a kept-alive connection too
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(api.resolve("/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
        }
    }

    @Test
    void slowConnectionsOfOnePeer_doNotStarveAnotherPeersPull() throws Exception {
        SSLContext stranger = MutualTls.client(strangerTls, validator, "hangzhou");
        List<SSLSocket> slow = new ArrayList<>();
        List<String> refusedAnswers = new CopyOnWriteArrayList<>();
        ScheduledExecutorService drip = Executors.newScheduledThreadPool(1);
        try {
            for (int i = 0; i < 20; i++) {
                SSLSocket socket = (SSLSocket) stranger.getSocketFactory().createSocket("127.0.0.1", soapPort);
                socket.setSoTimeout(1000);
                socket.startHandshake();
                // complete headers, then a body that never ends: one byte a second
                socket.getOutputStream().write(("POST /soap/province HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
                        + "SOAPAction: \"\"\r\nContent-Length: 100000\r\n\r\n<").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            drip.scheduleAtFixedRate(() -> {
                for (SSLSocket s : slow) {
                    try {
                        s.getOutputStream().write('a');
                        s.getOutputStream().flush();
                    } catch (IOException closed) {
                        // refused (over the per-peer limit) or closed: nothing more to send
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);

            // meanwhile the province pulls, with the timeout a partner configuration gives an answer (4 s in the demo)
            X509Certificate hangzhouGm = PemFiles.readCertificate(root.resolve("certs/hangzhou.gm.pem"));
            byte[] pull = asProvince.seal(PushMessages.pullRequest(10), new ExchangeHeaders(UUID.randomUUID().toString(), "zhejiang",
                    "hangzhou", "pull", null, Clock.systemUTC().instant()), hangzhouGm);
            String body = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:credit-exchange:push:1\">"
                    + "<soap:Body><p:pull><p:envelope>" + Base64.getEncoder().encodeToString(pull) + "</p:envelope></p:pull></soap:Body>"
                    + "</soap:Envelope>";
            HttpClient province = HttpClient.newBuilder().sslContext(MutualTls.client(provinceTls, validator, "hangzhou"))
                    .connectTimeout(Duration.ofSeconds(4)).build();
            long started = System.nanoTime();
            HttpResponse<String> answer = province.send(HttpRequest.newBuilder(URI.create(alliance.soapUrl(DemoAlliance.member("hangzhou"))))
                    .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(4)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("answer"), answer.body());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 4);

            // the stranger's connections over its limit were refused at once, with the code
            List<SSLSocket> admitted = new ArrayList<>();
            for (SSLSocket s : slow) {
                String head = readSome(s);
                if (head.contains("E_RATE_LIMITED")) {
                    refusedAnswers.add(head);
                } else {
                    admitted.add(s);
                }
            }
            assertEquals(20 - REQUESTS_PER_PEER, refusedAnswers.size(), "refused over the per-peer limit");
            // and the admitted ones, still dripping, are closed at the request deadline
            long since = System.nanoTime();
            awaitCondition(() -> admitted.stream().allMatch(TransportDoorsIT::closedByServer),
                    Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS + 10), "the slow requests closed at their deadline");
            assertTrue(Duration.ofNanos(System.nanoTime() - since).toSeconds() <= REQUEST_TIMEOUT_SECONDS + 5);
        } finally {
            drip.shutdownNow();
            for (SSLSocket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void a40MbMtomAttachment_isRefusedWithE_TOO_LARGE_beforeItIsSent() throws Exception {
        SSLContext province = MutualTls.client(provinceTls, validator, "hangzhou");
        try (SSLSocket socket = (SSLSocket) province.getSocketFactory().createSocket("127.0.0.1", soapPort)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            long length = 40L * 1024 * 1024;
            socket.getOutputStream().write(("POST /soap/province HTTP/1.1\r\nHost: 127.0.0.1\r\n" + mtomHeaders()
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // not a byte of the body sent: the answer comes from the declared length alone
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 500"), answer);
            assertTrue(answer.contains("<ns1:code>E_TOO_LARGE</ns1:code>"), answer);
        }
    }

    @Test
    void a40MbChunkedMtomAttachment_isCutOffWhileRead_withE_TOO_LARGE() throws Exception {
        SSLContext province = MutualTls.client(provinceTls, validator, "hangzhou");
        long total = 40L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        try (SSLSocket socket = (SSLSocket) province.getSocketFactory().createSocket("127.0.0.1", soapPort)) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /soap/province HTTP/1.1\r\nHost: 127.0.0.1\r\n" + mtomHeaders()
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    chunk(out, ("--MIME_BOUNDARY\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"text/xml\"\r\n"
                            + "Content-Transfer-Encoding: binary\r\nContent-ID: <root@test>\r\n\r\n"
                            + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:credit-exchange:push:1\">"
                            + "<soap:Body><p:pull><p:envelope><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:att@test\"/>"
                            + "</p:envelope></p:pull></soap:Body></soap:Envelope>\r\n--MIME_BOUNDARY\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Transfer-Encoding: binary\r\nContent-ID: <att@test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] block = new byte[64 * 1024];
                    while (sent.get() < total) {
                        chunk(out, block);
                        sent.addAndGet(block.length);
                    }
                    chunk(out, "\r\n--MIME_BOUNDARY--\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server stopped reading and closed: what this test wants
                }
            }, "mtom-writer");
            writer.start();
            String answer = readAll(socket.getInputStream());
            writer.join(30_000);
            assertTrue(sent.get() < total, "the server closed before the whole body was sent: " + sent.get());
            assertTrue(answer.contains("E_TOO_LARGE"), answer);
        }
    }

    private static String mtomHeaders() {
        return "Content-Type: multipart/related; type=\"application/xop+xml\"; boundary=\"MIME_BOUNDARY\"; start=\"<root@test>\"; "
                + "start-info=\"text/xml\"\r\nSOAPAction: \"\"\r\n";
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A TLS handshake as the province, with only {@code protocol} enabled. */
    private static void handshake(int port, String protocol) throws Exception {
        MutualTls.ServerManagers managers = MutualTls.serverManagers(provinceTls, validator);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.keyManagers(), managers.trustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            assertEquals(protocol, socket.getSession().getProtocol());
        }
    }

    /** Lines of the transport (netty, Undertow, XNIO, CXF, the node's listeners) or naming the peer's port. */
    private static List<ILoggingEvent> transportLines(ListAppender<ILoggingEvent> log, String peer) {
        return new ArrayList<>(log.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .filter(e -> e.getFormattedMessage().contains(peer) || e.getLoggerName().matches(
                        "(io\\.netty|io\\.undertow|org\\.xnio|org\\.apache\\.cxf|org\\.apache\\.camel\\.component\\.netty).*")
                        || e.getThrowableProxy() != null && e.getThrowableProxy().getClassName().contains("SSL"))
                .toList();
    }

    private static List<ILoggingEvent> linesNaming(ListAppender<ILoggingEvent> log, String peer) {
        return new ArrayList<>(log.list).stream().filter(e -> e.getFormattedMessage().contains(peer)).toList();
    }

    private static void awaitCondition(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean closedByServer(SSLSocket socket) {
        try {
            socket.setSoTimeout(50);
            byte[] buffer = new byte[4096];
            while (true) {
                if (socket.getInputStream().read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (IOException closed) {
            return true;
        }
    }

    private static String readSome(SSLSocket socket) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
            }
        } catch (IOException stillOpenOrClosed) {
            // what came so far
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
            }
        } catch (IOException closed) {
            // what came before the close
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
