package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.Service;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.namespace.QName;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.tools.common.ToolContext;
import org.apache.cxf.tools.wsdlto.WSDLToJava;
import org.apache.cxf.transport.http.HTTPConduit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SOAP pull service as a partner meets it: its WSDL fetched over mutual TLS, a client
 * generated from that WSDL by CXF's wsdl2java and compiled, then a pull and an acknowledgement
 * of real envelopes through it, acting as the province. Hostile XML (an external entity, entity
 * expansion, a body over the size limit) gets a SOAP fault and is not processed.
 */
class SoapPullIT {

    private static final int MAX_ENVELOPE_BYTES = 256 * 1024;

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node hangzhou;
    static int stored;
    static NodeEnvelopes asProvince;
    static SSLContext provinceTls;
    static HttpClient provinceHttp;

    @BeforeAll
    static void startHangzhou() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member member = DemoAlliance.member("hangzhou");
        hangzhou = Node.start(alliance.config(member).with("gateway.exchange.max-envelope-bytes", Integer.toString(MAX_ENVELOPE_BYTES)));
        Path seed = root.resolve("seed");
        new SeedGenerator(5, LocalDate.now()).writeDataSet(30, seed);
        var r = TestNodes.operatorPost(alliance.apiUrl(member) + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(seed.resolve("licensing.csv")));
        assertEquals(200, r.statusCode(), r.body());
        stored = Json.mapper().readTree(r.body()).path("stored").asInt();

        NodeIdentity province = NodeIdentity.load(alliance.config(DemoAlliance.member("zhejiang")), Clock.systemUTC()).orElseThrow();
        asProvince = province.envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
        provinceTls = MutualTls.client(province.tlsCredential().orElseThrow(), province.validator(), "hangzhou");
        provinceHttp = HttpClient.newBuilder().sslContext(provinceTls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (hangzhou != null) {
            hangzhou.close();
        }
    }

    @Test
    void aClientGeneratedFromTheServedWsdl_pullsAndAcknowledges() throws Exception {
        String address = alliance.soapUrl(DemoAlliance.member("hangzhou"));
        HttpResponse<String> wsdl = provinceHttp.send(HttpRequest.newBuilder(URI.create(address + "?wsdl")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, wsdl.statusCode());
        assertTrue(wsdl.body().contains("name=\"pull\"") && wsdl.body().contains("name=\"acknowledge\""), wsdl.body());
        Path wsdlFile = Files.writeString(root.resolve("province-pull.wsdl"), wsdl.body());

        ClassLoader generated = wsdl2javaAndCompile(wsdlFile, root.resolve("generated"));
        Class<?> portType = generated.loadClass("generated.pull.ProvincePull");
        Service service = Service.create(wsdlFile.toUri().toURL(), new QName("urn:credit-exchange:push:1", "ProvincePullService"));
        Object port = service.getPort(portType);
        ((BindingProvider) port).getRequestContext().put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, address);
        TLSClientParameters tls = new TLSClientParameters();
        tls.setSslContext(provinceTls);
        tls.setDisableCNCheck(true);
        ((HTTPConduit) ClientProxy.getClient(port).getConduit()).setTlsClientParameters(tls);

        X509Certificate hangzhouGm = PemFiles.readCertificate(root.resolve("certs/hangzhou.gm.pem"));
        List<String> received = new ArrayList<>();
        while (true) {
            String pullId = UUID.randomUUID().toString();
            byte[] pull = asProvince.seal(PushMessages.pullRequest(40), headers(pullId, "pull"), hangzhouGm);
            Object result = invoke(portType, port, "pull", pull);
            byte[] answerBytes = (byte[]) result.getClass().getMethod("getAnswer").invoke(result);
            byte[] receiptOfPull = (byte[]) result.getClass().getMethod("getReceipt").invoke(result);
            asProvince.suite(Suite.GM).verifyReceipt(receiptOfPull, pull);
            OpenedEnvelope answer = asProvince.open(answerBytes);
            assertEquals(pullId, answer.headers().correlationId());
            AnswerSchemas.assertValid(answer.headers().exchangeType(), answer.payload());
            List<PushMessages.Delivery> batch = PushMessages.readBatch(answer.payload(), "hangzhou");
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(d -> received.add(d.messageId()));
            Envelopes gm = asProvince.suite(Suite.GM);
            byte[] receipt = gm.signReceipt(new Receipt(answer.headers().messageId(), "hangzhou", "zhejiang", gm.digestAlgorithm(),
                    answer.receivedDigest(), Clock.systemUTC().instant(), Receipt.ACCEPTED));
            byte[] ack = asProvince.seal(PushMessages.write(new PushMessages.Acknowledgement(pullId,
                    batch.stream().map(PushMessages.Delivery::messageId).toList(), Base64.getEncoder().encodeToString(receipt))),
                    headers(UUID.randomUUID().toString(), "acknowledge"), hangzhouGm);
            Object acked = invoke(portType, port, "acknowledge", ack);
            OpenedEnvelope ackAnswer = asProvince.open((byte[]) acked.getClass().getMethod("getAnswer").invoke(acked));
            assertEquals(batch.size(), Json.mapper().readTree(ackAnswer.payload()).path("acknowledged").asInt());
            AnswerSchemas.assertValid(ackAnswer.headers().exchangeType(), ackAnswer.payload());
        }
        assertEquals(stored, received.size());
        assertEquals(stored, received.stream().distinct().count(), "each delivery once");
        assertEquals(stored, Json.mapper().readTree(TestNodes.operatorGet(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/api/v1/outbox")
                .body()).path("deliveries").path("zhejiang").path("ACKNOWLEDGED").asInt(), "every delivery acknowledged");

        // an envelope of the other operation is refused with its code, as a SOAP fault the generated client declares
        byte[] wrongOperation = asProvince.seal(PushMessages.pullRequest(1), headers(UUID.randomUUID().toString(), "pull"), hangzhouGm);
        InvocationTargetException refused = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
                () -> invoke(portType, port, "acknowledge", wrongOperation));
        Object faultInfo = refused.getCause().getClass().getMethod("getFaultInfo").invoke(refused.getCause());
        assertEquals("E_FIELD_INVALID", faultInfo.getClass().getMethod("getCode").invoke(faultInfo));

        // a payload that is not of its schema (docs/schemas/pull.request.schema.json) is refused before the flow sees it
        NodeConfig hangzhouConfig = alliance.config(DemoAlliance.member("hangzhou"));
        String refusalsSql = "select count(*) from audit_event where action = 'exchange.in' and actor = 'zhejiang' and reason = 'E_FIELD_INVALID'";
        long refusedBefore = Long.parseLong(TestNodes.rows(hangzhouConfig, refusalsSql).first());
        byte[] notOfItsSchema = asProvince.seal("{\"max\": \"all\"}".getBytes(StandardCharsets.UTF_8),
                headers(UUID.randomUUID().toString(), "pull"), hangzhouGm);
        InvocationTargetException invalid = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
                () -> invoke(portType, port, "pull", notOfItsSchema));
        Object invalidInfo = invalid.getCause().getClass().getMethod("getFaultInfo").invoke(invalid.getCause());
        assertEquals("E_FIELD_INVALID", invalidInfo.getClass().getMethod("getCode").invoke(invalidInfo));
        assertTrue(((String) invalidInfo.getClass().getMethod("getMessage").invoke(invalidInfo)).contains("/max"));
        assertEquals(refusedBefore + 1, Long.parseLong(TestNodes.rows(hangzhouConfig, refusalsSql).first()), "the refusal is audited");
    }

    @Test
    void anExternalEntity_isRefusedWithAFault_andNothingIsRead() throws Exception {
        String body = """
                <?xml version="1.0"?>
                <!DOCTYPE e [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:credit-exchange:push:1">
                  <soap:Body><p:pull><p:envelope>&secret;</p:envelope></p:pull></soap:Body>
                </soap:Envelope>""";
        HttpResponse<String> answer = postSoap(body.getBytes(StandardCharsets.UTF_8));
        assertFault(answer);
        assertCode(answer, "E_MALFORMED");
        assertFalse(answer.body().contains("root:"), "the entity was not resolved");
    }

    @Test
    void entityExpansion_isRefusedWithAFault() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String body = "<?xml version=\"1.0\"?>" + dtd + "]>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:credit-exchange:push:1\">"
                + "<soap:Body><p:pull><p:envelope>&lol9;</p:envelope></p:pull></soap:Body></soap:Envelope>";
        HttpResponse<String> answer = postSoap(body.getBytes(StandardCharsets.UTF_8));
        assertFault(answer);
        assertCode(answer, "E_MALFORMED");
    }

    @Test
    void aBodyOverTheSizeLimit_isRefusedWithAFault() throws Exception {
        String huge = Base64.getEncoder().encodeToString(new byte[MAX_ENVELOPE_BYTES * 2]);
        String body = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:credit-exchange:push:1\">"
                + "<soap:Body><p:pull><p:envelope>" + huge + "</p:envelope></p:pull></soap:Body></soap:Envelope>";
        // refused from its Content-Length before the body is read (TransportDoorsIT): the fault with E_TOO_LARGE, or,
        // when this client is still sending as the refusal comes, the connection closed under it (Java's client then
        // reports the broken pipe, not the answer)
        HttpResponse<String> answer;
        try {
            answer = postSoap(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedWhileSending) {
            return;
        }
        assertFault(answer);
        assertTrue(answer.body().contains("E_TOO_LARGE"), answer.body());
    }

    /** The fault's detail is the operations' exchangeFault with this code (docs/protocol.md §11, "Bindings"). */
    private static void assertCode(HttpResponse<String> answer, String code) {
        assertTrue(answer.body().matches("(?s).*<(\\w+:)?exchangeFault[^>]*>\\s*<(\\w+:)?code>" + code + "</.*"), answer.body());
    }

    private static void assertFault(HttpResponse<String> answer) {
        assertEquals(500, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Fault"), answer.body());
        assertFalse(answer.body().contains("at org.") || answer.body().contains("Exception:"), "no stack trace: " + answer.body());
    }

    private static HttpResponse<String> postSoap(byte[] body) throws IOException, InterruptedException {
        return provinceHttp.send(HttpRequest.newBuilder(URI.create(alliance.soapUrl(DemoAlliance.member("hangzhou"))))
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ExchangeHeaders headers(String messageId, String type) {
        return new ExchangeHeaders(messageId, "zhejiang", "hangzhou", type, null, Clock.systemUTC().instant());
    }

    private static Object invoke(Class<?> portType, Object port, String operation, byte[] envelope) throws Exception {
        Method m = portType.getMethod(operation, byte[].class);
        return m.invoke(port, (Object) envelope);
    }

    /** wsdl2java into {@code dir}, package generated.pull, compiled there; a class loader over the result. */
    private static ClassLoader wsdl2javaAndCompile(Path wsdl, Path dir) throws Exception {
        Files.createDirectories(dir);
        new WSDLToJava(new String[] {"-d", dir.toString(), "-p", "generated.pull", wsdl.toUri().toString()}).run(new ToolContext());
        List<String> sources;
        try (Stream<Path> files = Files.walk(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        assertTrue(sources.stream().anyMatch(s -> s.endsWith("ProvincePull.java")), "wsdl2java wrote " + sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path"),
                "-proc:none", "-nowarn"));
        args.addAll(sources);
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the generated client compiles");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, SoapPullIT.class.getClassLoader());
    }
}
