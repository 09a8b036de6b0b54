package credit.exchange.security.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.Suite;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's certificate as a client that checks host names meets it (curl, a browser, Java's HTTPS
 * client trusting the alliance CA): issued without host names, it is accepted at the loopback by
 * name and by address, as the demo's {@code 127.0.0.1} URLs and the README's {@code localhost} ones
 * reach it; issued for other names, it is refused at the loopback.
 */
class NodeCertificateHostNamesTest {

    private static final char[] STORE_PASSWORD = "test store".toCharArray();
    private static final ExecutorService SERVER = Executors.newCachedThreadPool();
    private static AllianceCa ca;

    @BeforeAll
    static void ca() {
        ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650));
    }

    @AfterAll
    static void stop() {
        SERVER.shutdownNow();
    }

    @Test
    void aNodeCertificateIssuedWithoutNames_passesHostNameVerification_at127001_andLocalhost() throws Exception {
        NodeCredentials node = ca.issueNode("hangzhou", Duration.ofDays(30));

        assertEquals("hangzhou", handshake(node, "127.0.0.1"));
        assertEquals("hangzhou", handshake(node, "localhost"));
    }

    @Test
    void aNodeCertificateIssuedForOtherNames_failsHostNameVerification_atTheLoopback() {
        NodeCredentials node = ca.issueNode("hangzhou", Duration.ofDays(30), List.of("gateway.hangzhou.example"));

        assertThrows(SSLHandshakeException.class, () -> handshake(node, "127.0.0.1"));
        assertThrows(SSLHandshakeException.class, () -> handshake(node, "localhost"));
    }

    /**
     * Serves TLS at 127.0.0.1 with the node's credential and connects to it as a client trusting the
     * alliance CA and checking the server's name against {@code host} (RFC 2818, as HTTPS does).
     *
     * @return the node ID of the certificate the client accepted
     */
    private static String handshake(NodeCredentials node, String host) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", node.privateKey(), STORE_PASSWORD, node.certificateChain().toArray(new X509Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, STORE_PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("alliance-ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            SERVER.submit(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getInputStream().read(); // until the client closes
                }
                return null;
            });
            // connected to 127.0.0.1 whatever localhost resolves to here; the name checked is the one given
            try (Socket plain = new Socket(loopback, server.getLocalPort());
                 SSLSocket client = (SSLSocket) clientTls.getSocketFactory().createSocket(plain, host, server.getLocalPort(), true)) {
                client.setSoTimeout(10_000);
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                client.startHandshake();
                return AllianceProfile.nodeId((X509Certificate) client.getSession().getPeerCertificates()[0]);
            }
        }
    }
}
