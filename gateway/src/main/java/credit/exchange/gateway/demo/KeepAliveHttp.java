package credit.exchange.gateway.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * The load drivers' HTTP/1.1 client: one kept-alive connection (plain, or TLS from the socket
 * factory), one request at a time on the caller's thread, as wrk or curl's keep-alive asks — so
 * that what a driver measures is the node, not a client's own threads (the JDK's HttpClient hands
 * every exchange to its selector thread and back, and its TLS through more hand-offs still, on the
 * cores the node uses too). Reads a Content-Length or chunked body.
 */
public final class KeepAliveHttp implements AutoCloseable {

    /** An answer: its status, its headers (names in lower case) and body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private final SocketFactory sockets;
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** The answer's status line was read: a failure now is no closed kept-alive connection. */
    private boolean answering;

    /** A plain connection, answers awaited at most 30 s. */
    public KeepAliveHttp(String host, int port) {
        this(SocketFactory.getDefault(), host, port, 30_000);
    }

    /** @param sockets plain or TLS ({@code SSLContext.getSocketFactory()}); the handshake happens on the first request */
    public KeepAliveHttp(SocketFactory sockets, String host, int port, int timeoutMillis) {
        this.sockets = sockets;
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    public Answer get(String pathAndQuery) throws IOException {
        return send("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: application/json\r\n\r\n", null);
    }

    public Answer post(String path, String contentType, byte[] body) throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    /**
     * One request; on a kept-alive connection the server closed meanwhile (it failed before any
     * answer came, other than by a timeout), sent once more on a new one. A failure on a new
     * connection, a timeout or a broken answer is the caller's.
     */
    private Answer send(String head, byte[] body) throws IOException {
        while (true) {
            boolean reused = connect();
            answering = false;
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (!reused || answering || e instanceof SocketTimeoutException) {
                    throw e;
                }
            }
        }
    }

    /**
     * Opens the connection if there is none; true if it was kept from an earlier request (a
     * connection stays open only after an answer was read whole: any failure closes it).
     */
    private boolean connect() throws IOException {
        if (socket != null) {
            return true;
        }
        Socket s = sockets.createSocket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        return false;
    }

    private Answer read() throws IOException {
        String status = line();
        answering = true;
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
        }
        long length = Long.parseLong(headers.getOrDefault("content-length", "-1"));
        boolean chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
        boolean close = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                body.write(in.readNBytes((int) size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected
            }
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new IOException("connection closed within the answer");
            }
            body.write(bytes);
        } else {
            body.write(in.readAllBytes());
            close = true;
        }
        if (close) {
            close();
        }
        return new Answer(code, Map.copyOf(headers), body.toByteArray());
    }

    private long chunkSize() throws IOException {
        return Long.parseLong(line().split(";")[0].strip(), 16);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that is gone
            }
            socket = null;
        }
    }
}
