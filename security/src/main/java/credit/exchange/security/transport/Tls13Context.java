package credit.exchange.security.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised context whose engines, sockets and default parameters enable TLS 1.3 and its
 * AEAD suites only. The JDK's "TLSv1.3" context enables TLS 1.2 as well, and the listeners that
 * take a ready context (Camel's netty-http with SSLContextParameters, the JDK's HttpsServer, Java's
 * HttpClient) keep what the context's engines come with, so the restriction lives here.
 */
final class Tls13Context extends SSLContext {

    private static final String[] PROTOCOLS = {MutualTls.PROTOCOL};
    private static final String[] SUITES = MutualTls.CIPHER_SUITES.toArray(String[]::new);

    Tls13Context(SSLContext initialised) {
        this(initialised, null);
    }

    /** @param failures told of each engine's failed handshake, or null */
    Tls13Context(SSLContext initialised, MutualTls.HandshakeFailures failures) {
        super(new Spi(initialised, failures), initialised.getProvider(), initialised.getProtocol());
    }

    private static SSLParameters restrict(SSLParameters parameters) {
        parameters.setProtocols(PROTOCOLS);
        parameters.setCipherSuites(SUITES);
        return parameters;
    }

    private static SSLEngine restrict(SSLEngine engine) {
        engine.setEnabledProtocols(PROTOCOLS);
        engine.setEnabledCipherSuites(SUITES);
        return engine;
    }

    private static Socket restrict(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            ssl.setEnabledProtocols(PROTOCOLS);
            ssl.setEnabledCipherSuites(SUITES);
        }
        return socket;
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final MutualTls.HandshakeFailures failures;

        Spi(SSLContext delegate, MutualTls.HandshakeFailures failures) {
            this.delegate = delegate;
            this.failures = failures;
        }

        private SSLEngine reporting(SSLEngine engine) {
            return failures == null ? engine : new ReportingEngine(engine, failures);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised with the node's credential");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Sockets(delegate.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSockets(delegate.getServerSocketFactory());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return reporting(restrict(delegate.createSSLEngine()));
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return reporting(restrict(delegate.createSSLEngine(host, port)));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return restrict(delegate.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return restrict(delegate.getSupportedSSLParameters());
        }
    }

    private static final class Sockets extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Sockets(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return SUITES.clone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return SUITES.clone();
        }

        @Override
        public Socket createSocket() throws IOException {
            return restrict(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return restrict(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return restrict(delegate.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class ServerSockets extends SSLServerSocketFactory {
        private final SSLServerSocketFactory delegate;

        ServerSockets(SSLServerSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return SUITES.clone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return SUITES.clone();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return restrict((SSLServerSocket) delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return restrict((SSLServerSocket) delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return restrict((SSLServerSocket) delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return restrict((SSLServerSocket) delegate.createServerSocket(port, backlog, address));
        }

        private static ServerSocket restrict(SSLServerSocket socket) {
            socket.setEnabledProtocols(PROTOCOLS);
            socket.setEnabledCipherSuites(SUITES);
            return socket;
        }
    }
}
