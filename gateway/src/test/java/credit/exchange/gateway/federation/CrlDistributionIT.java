package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.RevocationReason;
import credit.exchange.security.transport.MutualTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRL distribution between real nodes (docs/protocol.md §8): Hangzhou runs the alliance CAs and
 * serves their CRLs at the distribution point every demo certificate names; Huzhou holds copies
 * of the first CRLs as its files and learns of later revocations only from that point. Shaoxing,
 * its partner, is played by the test with Shaoxing's credentials.
 */
class CrlDistributionIT {

    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node hangzhou;
    static Node huzhou;
    static Path huzhouCrls;

    @BeforeAll
    static void start() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        hangzhou = alliance.start(DemoAlliance.member("hangzhou"));
        // Huzhou's CRL files are its own copies of the first CRLs: no later CRL reaches it as a file
        huzhouCrls = Files.createDirectories(root.resolve("huzhou-crls"));
        StringBuilder files = new StringBuilder();
        for (Suite suite : Suite.values()) {
            Path copy = huzhouCrls.resolve(suite.name().toLowerCase(Locale.ROOT) + ".crl.pem");
            Files.copy(caDir(suite).resolve("crl.pem"), copy);
            files.append(files.isEmpty() ? "" : ",").append(copy);
        }
        huzhou = Node.start(alliance.config(DemoAlliance.member("huzhou"))
                .with("gateway.trust.crls", files.toString())
                .with("gateway.trust.crl-refresh-seconds", "1"));
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {huzhou, hangzhou}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void aRevokedPartnerCertificate_isRefused_byANodeThatLearnedOfItOnlyFromTheCrlDistributionPoint() throws Exception {
        NodeIdentity shaoxing = NodeIdentity.load(alliance.config(DemoAlliance.member("shaoxing")), Clock.systemUTC()).orElseThrow();
        NodeEnvelopes asShaoxing = shaoxing.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
        NodeCredentials shaoxingTls = shaoxing.tlsCredential().orElseThrow();
        HttpClient toHuzhou = HttpClient.newBuilder().sslContext(MutualTls.client(shaoxingTls, shaoxing.validator(), "huzhou"))
                .connectTimeout(Duration.ofSeconds(5)).build();
        X509Certificate shaoxingGm = PemFiles.readCertificate(root.resolve("certs/shaoxing.gm.pem"));
        // the certificates name Hangzhou's CRL port as where their CA's CRL is published
        assertEquals(List.of(URI.create(alliance.crlUrl(DemoAlliance.member("hangzhou"), Suite.GM))), AllianceProfile.crlUrls(shaoxingGm));
        assertEquals(200, query(toHuzhou, asShaoxing).statusCode(), "before the revocation, Huzhou answers Shaoxing");
        byte[] filesBefore = Files.readAllBytes(huzhouCrls.resolve("gm.crl.pem"));

        // the CA revokes Shaoxing's GM (envelope) certificate; the new CRL goes to the CA operator's node only
        publishRevocation(Suite.GM, shaoxingGm);

        TestNodes.await("Huzhou refuses Shaoxing's envelope E_CERT_REVOKED", Duration.ofSeconds(30),
                () -> code(query(toHuzhou, asShaoxing)).equals("E_CERT_REVOKED"));
        HttpResponse<String> refused = query(toHuzhou, asShaoxing);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("E_CERT_REVOKED", code(refused));
        assertArrayEquals(filesBefore, Files.readAllBytes(huzhouCrls.resolve("gm.crl.pem")), "Huzhou's CRL file did not change");
        String crlCheck = readiness(huzhou()).path("checks").path("crl").asText();
        assertTrue(crlCheck.startsWith("UP") && crlCheck.contains("GM CRL 2")
                && crlCheck.contains("from " + alliance.crlUrl(DemoAlliance.member("hangzhou"), Suite.GM)), crlCheck);

        // and its INTL (TLS) certificate: Huzhou then refuses Shaoxing's handshake, and closes a connection opened before
        SSLSocket keptAlive = (SSLSocket) MutualTls.client(shaoxingTls, shaoxing.validator(), "huzhou").getSocketFactory()
                .createSocket("127.0.0.1", URI.create(alliance.exchangeUrl(DemoAlliance.member("huzhou"))).getPort());
        keptAlive.setSoTimeout(10_000);
        assertEquals(403, post(keptAlive, asShaoxing), "an answer on the connection (E_CERT_REVOKED), which stays open");
        publishRevocation(Suite.INTL, PemFiles.readCertificate(root.resolve("certs/shaoxing.intl.pem")));
        TestNodes.await("Huzhou refuses Shaoxing's TLS handshake", Duration.ofSeconds(30), () -> {
            // a new connection each time: an established one is not checked again
            HttpClient fresh = HttpClient.newBuilder().sslContext(MutualTls.client(shaoxingTls, shaoxing.validator(), "huzhou"))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            try {
                query(fresh, asShaoxing);
                return false;
            } catch (RuntimeException e) {
                return e.getCause() instanceof IOException; // no HTTP answer: the handshake was refused
            }
        });
        assertEquals(-1, post(keptAlive, asShaoxing), "the connection opened before the revocation is closed at its next request");
        keptAlive.close();
        crlCheck = readiness(huzhou()).path("checks").path("crl").asText();
        assertTrue(crlCheck.contains("INTL CRL 2") && crlCheck.contains("from " + alliance.crlUrl(DemoAlliance.member("hangzhou"),
                Suite.INTL)), crlCheck);
    }

    @Test
    void theCrlPort_servesTheCrlsHeld_toAnyone_andNothingElse() throws Exception {
        for (Suite suite : Suite.values()) {
            HttpResponse<byte[]> answer = PLAIN.send(HttpRequest.newBuilder(URI.create(alliance.crlUrl(DemoAlliance.member("hangzhou"), suite)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, answer.statusCode());
            assertEquals(Optional.of("application/pkix-crl"), answer.headers().firstValue("Content-Type"));
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509", Providers.bc())
                    .generateCRL(new ByteArrayInputStream(answer.body()));
            X509Certificate ca = PemFiles.readCertificate(caDir(suite).resolve("ca.cert.pem"));
            crl.verify(ca.getPublicKey(), Providers.bc()); // DER, signed by the alliance CA of the suite
            assertEquals(answer.body().length, crl.getEncoded().length);
        }
        String base = alliance.crlUrl(DemoAlliance.member("hangzhou"), Suite.GM).replace("/crl/gm.crl", "");
        assertRefused(send("POST", base + "/crl/gm.crl"), 405, "E_METHOD_NOT_ALLOWED");
        assertRefused(send("DELETE", base + "/crl/intl.crl"), 405, "E_METHOD_NOT_ALLOWED");
        assertRefused(send("GET", base + "/crl/other.crl"), 404, "E_NOT_FOUND");
        assertRefused(send("GET", base + "/crl"), 404, "E_NOT_FOUND");
        for (String other : List.of("/exchange", "/health/ready", "/api/v1/records", "/soap/province", "/")) {
            assertEquals(404, send("GET", base + other).statusCode(), other + " on the CRL port");
        }
        // nothing of the request comes back: neither query parameters nor headers
        HttpResponse<String> probed = PLAIN.send(HttpRequest.newBuilder(URI.create(base + "/crl/gm.crl?Set-Cookie=session%3Dforged"
                + "&X-Probe=reflected")).header("X-Echo", "reflected").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, probed.statusCode());
        for (String echoed : List.of("set-cookie", "x-probe", "x-echo")) {
            assertTrue(probed.headers().firstValue(echoed).isEmpty(), "reflected " + echoed + ": " + probed.headers().map());
        }
        // the metrics show each CRL's age and how long it stays current
        String metrics = TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/metrics").body();
        for (String gauge : List.of("gateway_crl_age_seconds{suite=\"GM\"}", "gateway_crl_current_seconds{suite=\"INTL\"}")) {
            assertTrue(metrics.contains(gauge), gauge + " in " + metrics.lines().filter(l -> l.contains("crl")).toList());
        }
        // the exchange port serves no CRL, not even to a partner
        NodeIdentity jiaxing = NodeIdentity.load(alliance.config(DemoAlliance.member("jiaxing")), Clock.systemUTC()).orElseThrow();
        HttpClient partner = HttpClient.newBuilder().sslContext(MutualTls.client(jiaxing.tlsCredential().orElseThrow(), jiaxing.validator(),
                "hangzhou")).build();
        String exchange = alliance.exchangeUrl(DemoAlliance.member("hangzhou")).replace("/exchange", "/crl/gm.crl");
        assertEquals(404, partner.send(HttpRequest.newBuilder(URI.create(exchange)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aNodeWhoseCrlIsPastNextUpdatePlusGrace_refusesThatCasCertificates_andIsNotReady() throws Exception {
        // Zhejiang holds a GM CRL due for renewal a minute from now and fetches no other within the test
        char[] passphrase = Passphrases.fromFile(root.resolve("demo-passphrase"));
        X509CRL shortLived = AllianceCa.load(caDir(Suite.GM), passphrase).crl(Duration.ofSeconds(60)); // the CA directory is not saved
        Path files = Files.createDirectories(root.resolve("zhejiang-crls"));
        PemFiles.writeCrl(files.resolve("gm.crl.pem"), shortLived);
        Files.copy(caDir(Suite.INTL).resolve("crl.pem"), files.resolve("intl.crl.pem"));
        try (Node zhejiang = Node.start(alliance.config(DemoAlliance.member("zhejiang"))
                .with("gateway.trust.crls", files.resolve("gm.crl.pem") + "," + files.resolve("intl.crl.pem"))
                .with("gateway.trust.crl-grace-seconds", "10").with("gateway.trust.crl-refresh-seconds", "3600"))) {
            NodeIdentity huzhou = NodeIdentity.load(alliance.config(DemoAlliance.member("huzhou")), Clock.systemUTC()).orElseThrow();
            NodeEnvelopes asHuzhou = huzhou.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
            HttpClient toZhejiang = HttpClient.newBuilder().sslContext(MutualTls.client(huzhou.tlsCredential().orElseThrow(),
                    huzhou.validator(), "zhejiang")).connectTimeout(Duration.ofSeconds(5)).build();
            String api = alliance.apiUrl(DemoAlliance.member("zhejiang"));
            if (java.time.Instant.now().isBefore(shortLived.getNextUpdate().toInstant())) {
                assertEquals(200, send(toZhejiang, asHuzhou, "huzhou", "zhejiang").statusCode(), "while the CRL is current");
                assertEquals(200, TestNodes.get(api + "/health/ready").statusCode());
            }

            TestNodes.await("Zhejiang is not ready once its GM CRL is past nextUpdate plus grace", Duration.ofSeconds(120),
                    () -> {
                        try {
                            return TestNodes.get(api + "/health/ready").statusCode() == 503;
                        } catch (Exception e) {
                            return false;
                        }
                    });
            String crlCheck = readiness(api).path("checks").path("crl").asText();
            assertTrue(crlCheck.startsWith("DOWN") && crlCheck.contains("DOWN GM CRL") && crlCheck.contains("certificates refused"), crlCheck);
            HttpResponse<String> refused = send(toZhejiang, asHuzhou, "huzhou", "zhejiang");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("E_CERT_UNTRUSTED", code(refused));
            assertTrue(refused.body().contains("revocation status unknown"), refused.body());
        }
    }

    private static void publishRevocation(Suite suite, X509Certificate certificate) throws IOException {
        char[] passphrase = Passphrases.fromFile(root.resolve("demo-passphrase"));
        AllianceCa ca = AllianceCa.load(caDir(suite), passphrase);
        ca.revoke(certificate.getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        ca.crl(Duration.ofDays(7));
        ca.save(caDir(suite), passphrase); // Hangzhou's gateway.trust.crls names this crl.pem
    }

    private static Path caDir(Suite suite) {
        return root.resolve("pki").resolve(suite.name().toLowerCase(Locale.ROOT) + "-ca");
    }

    private static HttpResponse<String> query(HttpClient client, NodeEnvelopes asShaoxing) {
        return send(client, asShaoxing, "shaoxing", "huzhou");
    }

    /** A query envelope of {@code sender}'s, sealed to the recipient's GM certificate and posted to its exchange listener. */
    private static HttpResponse<String> send(HttpClient client, NodeEnvelopes asSender, String sender, String recipient) {
        try {
            X509Certificate recipientGm = PemFiles.readCertificate(root.resolve("certs/" + recipient + ".gm.pem"));
            byte[] envelope = asSender.seal("{\"uscc\": \"91330100716105852F\", \"requestedBy\": \"crl-test\", \"purpose\": \"test\"}"
                    .getBytes(StandardCharsets.UTF_8), new ExchangeHeaders(UUID.randomUUID().toString(), sender, recipient, "query", null,
                    Clock.systemUTC().instant()), recipientGm);
            return client.send(HttpRequest.newBuilder(URI.create(alliance.exchangeUrl(DemoAlliance.member(recipient))))
                    .header("Content-Type", "application/pkcs7-mime").POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One query of Shaoxing's as a raw HTTP/1.1 request on a kept-alive TLS connection: the answer's
     * status, its body read, or -1 when the connection was closed instead of an answer.
     */
    private static int post(SSLSocket socket, NodeEnvelopes asShaoxing) throws Exception {
        X509Certificate huzhouGm = PemFiles.readCertificate(root.resolve("certs/huzhou.gm.pem"));
        byte[] envelope = asShaoxing.seal("{\"uscc\": \"91330100716105852F\", \"requestedBy\": \"crl-test\", \"purpose\": \"test\"}"
                .getBytes(StandardCharsets.UTF_8), new ExchangeHeaders(UUID.randomUUID().toString(), "shaoxing", "huzhou", "query", null,
                Clock.systemUTC().instant()), huzhouGm);
        try {
            var out = socket.getOutputStream();
            out.write(("POST /exchange HTTP/1.1\r\nHost: huzhou\r\nContent-Type: application/pkcs7-mime\r\nContent-Length: "
                    + envelope.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(envelope);
            out.flush();
            var in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                head.append((char) b);
            }
            String headers = head.toString().toLowerCase(Locale.ROOT);
            int length = Integer.parseInt(headers.replaceAll("(?s).*content-length: *(\\d+).*", "$1"));
            in.readNBytes(length);
            return Integer.parseInt(headers.substring(9, 12));
        } catch (java.net.SocketException | javax.net.ssl.SSLException closed) {
            return -1;
        }
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return PLAIN.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, code(answer), answer.body());
    }

    private static String code(HttpResponse<String> answer) {
        try {
            return Json.mapper().readTree(answer.body()).path("code").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static String huzhou() {
        return alliance.apiUrl(DemoAlliance.member("huzhou"));
    }

    private static JsonNode readiness(String api) throws Exception {
        return Json.mapper().readTree(TestNodes.get(api + "/health/ready").body());
    }
}
