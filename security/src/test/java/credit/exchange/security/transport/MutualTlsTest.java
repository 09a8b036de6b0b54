package credit.exchange.security.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node's TLS contexts offer and accept TLS 1.3 with AEAD suites only, whatever uses them. */
class MutualTlsTest {

    static NodeCredentials hangzhou;
    static NodeCredentials huzhou;
    static CertificateValidator validator;

    @BeforeAll
    static void alliance() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Test Alliance INTL CA", Duration.ofDays(30));
        hangzhou = ca.issueNode("hangzhou", Duration.ofDays(1));
        huzhou = ca.issueNode("huzhou", Duration.ofDays(1));
        validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(7))), Clock.systemUTC());
    }

    @Test
    void everyEngineSocketAndDefault_enablesTls13AndAeadSuitesOnly() throws Exception {
        String[] tls13 = {"TLSv1.3"};
        String[] suites = MutualTls.CIPHER_SUITES.toArray(String[]::new);
        for (SSLContext context : List.of(MutualTls.server(hangzhou, validator), MutualTls.client(huzhou, validator, "hangzhou"),
                MutualTls.server(hangzhou, validator, (peer, reason) -> { }))) {
            SSLEngine engine = context.createSSLEngine();
            assertArrayEquals(tls13, engine.getEnabledProtocols());
            assertArrayEquals(suites, engine.getEnabledCipherSuites());
            assertArrayEquals(tls13, context.createSSLEngine("127.0.0.1", 1).getEnabledProtocols());
            assertArrayEquals(tls13, context.getDefaultSSLParameters().getProtocols());
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                assertArrayEquals(tls13, socket.getEnabledProtocols());
            }
            try (SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
                assertArrayEquals(tls13, socket.getEnabledProtocols());
            }
        }
    }

    @Test
    void aTls12Client_isRefused_andTheRefusalIsReportedOnce_withThePeer() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        SSLContext server = MutualTls.server(hangzhou, validator, (peer, reason) -> reported.add(peer + " " + reason));
        // the engine path, as Undertow and netty use it, driven in memory
        SSLEngine serverEngine = server.createSSLEngine("127.0.0.1", 40000);
        serverEngine.setUseClientMode(false);
        serverEngine.setNeedClientAuth(true);
        SSLContext tls12 = SSLContext.getInstance("TLS");
        MutualTls.ServerManagers managers = MutualTls.serverManagers(huzhou, validator);
        tls12.init(managers.keyManagers(), managers.trustManagers(), null);
        SSLEngine client = tls12.createSSLEngine("127.0.0.1", 8443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        assertThrows(SSLException.class, () -> EngineHandshake.run(client, serverEngine));
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith("127.0.0.1:40000 "), reported.get(0));
        assertTrue(reported.get(0).contains("TLSv1.2"), reported.get(0));
    }

    @Test
    void failureReason_isOneBoundedLine_ofTheInnermostMessage() {
        Exception chain = new SSLException("outer", new IllegalStateException("E_CERT_UNTRUSTED: line one\nline two"));
        assertEquals("E_CERT_UNTRUSTED: line one line two", MutualTls.failureReason(chain));
        assertTrue(MutualTls.failureReason(new SSLException("x".repeat(1000))).length() <= 301);
        assertEquals("SSLException", MutualTls.failureReason(new SSLException((String) null)));
    }

    /** Drives a client and a server engine against each other in memory until both finish or one fails. */
    static final class EngineHandshake {
        static void run(SSLEngine client, SSLEngine server) throws Exception {
            java.nio.ByteBuffer empty = java.nio.ByteBuffer.allocate(0);
            java.nio.ByteBuffer toServer = java.nio.ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            java.nio.ByteBuffer toClient = java.nio.ByteBuffer.allocate(server.getSession().getPacketBufferSize());
            java.nio.ByteBuffer app = java.nio.ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 50; round++) {
                step(client, empty, toServer, toClient, app);
                step(server, empty, toClient, toServer, app);
                if (client.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                        && server.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    return;
                }
            }
            throw new AssertionError("the handshake did not finish");
        }

        private static void step(SSLEngine engine, java.nio.ByteBuffer empty, java.nio.ByteBuffer out, java.nio.ByteBuffer in,
                                 java.nio.ByteBuffer app) throws SSLException {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> engine.wrap(empty, out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    app.clear();
                    engine.unwrap(in, app);
                    in.compact();
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                default -> { }
            }
        }
    }
}
