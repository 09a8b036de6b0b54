package credit.exchange.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.Suite;
import credit.exchange.security.access.DoorPolicy;
import credit.exchange.security.access.DoorPolicy.Admits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deny by default, tried as callers meet it: a node of the alliance (its own realm, Keycloak)
 * with every flow running. Every HTTP route Camel registered has a rule in {@link DoorPolicy};
 * every door answers each kind of caller — no token, an expired token, another issuer's, an
 * unsigned one, each realm role — with the status and code its rule says; no answer reflects the
 * request; forged imports are refused, store nothing and leave an audit event.
 */
class DoorsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Doors this node (with a realm) does not open: the development issuer's. The partner ports are tried by the federation tests. */
    private static final Set<String> NOT_ON_A_REALM_NODE = Set.of("dev-issuer-keys", "dev-issuer-token", "dev-issuer-sign-in");
    private static final String OWN_DEPARTMENT = "113301004A6B675F3B";
    private static final String OTHER_DEPARTMENT = "11330100002487959W";

    /** A caller of the matrix: its Authorization header (null for none) and the doors its realm roles open. */
    private record Knock(String name, String authorization, Set<Admits> opens) {
    }

    @TempDir
    static Path root;
    static KeycloakServer keycloak;
    static DemoAlliance alliance;
    static Node node;
    static String api;
    static String expired;
    static Instant expiredAt;
    static final List<Knock> callers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.shared();
        // an operator's token that lives one second (the realm's lifespan set for it, then restored)
        assertEquals(204, keycloak.admin("PUT", "", "{\"accessTokenLifespan\": 1}"));
        try {
            expired = bearer("node-operator");
        } finally {
            assertEquals(204, keycloak.admin("PUT", "", "{\"accessTokenLifespan\": 300}"));
        }
        expiredAt = SignedJWT.parse(expired.substring(7)).getJWTClaimsSet().getExpirationTime().toInstant();
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null).withRealm(keycloak.issuer());
        node = alliance.start(DemoAlliance.member("hangzhou"));
        api = alliance.apiUrl(DemoAlliance.member("hangzhou"));

        callers.add(new Knock("public-reader", bearer("public-reader"), Set.of(Admits.READER)));
        callers.add(new Knock("department-feeder", bearer("department-feeder"), Set.of(Admits.DEPARTMENT)));
        callers.add(new Knock("registrar", bearer("registrar"), Set.of(Admits.REGISTRAR)));
        callers.add(new Knock("node-operator", bearer("node-operator"), Set.of(Admits.READER, Admits.DEPARTMENT, Admits.REGISTRAR,
                Admits.OPERATOR, Admits.OPERATOR_OR_AUDITOR, Admits.METRICS)));
        callers.add(new Knock("officer", bearer("officer"), Set.of(Admits.AUDITOR, Admits.OPERATOR_OR_AUDITOR)));
        callers.add(new Knock("zhejiang-platform", "Bearer " + keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET),
                Set.of(Admits.READER)));
        callers.add(new Knock("metrics-scraper", "Bearer " + Files.readString(node.config().metricsTokenFile()).strip(),
                Set.of(Admits.METRICS)));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String bearer(String user) throws Exception {
        return "Bearer " + keycloak.userToken(user, user.equals("node-operator") ? "operator-pw" : user + "-pw");
    }

    @Test
    void everyHttpRouteCamelRegistered_hasADoor_andEveryDoorARoute() {
        Set<String> http = new TreeSet<>();
        for (Route route : node.camelContext().getRoutes()) {
            // by the kind of endpoint the route consumes from: any HTTP server, REST or SOAP one Camel offers
            String component = route.getEndpoint().getClass().getSimpleName().toLowerCase(Locale.ROOT);
            if (component.contains("http") || component.contains("rest") || component.contains("cxf") || component.contains("undertow")
                    || component.contains("jetty") || component.contains("netty") || component.contains("servlet")) {
                http.add(route.getRouteId());
            }
        }
        Set<String> unruled = new TreeSet<>(http);
        DoorPolicy.DOORS.forEach(d -> unruled.remove(d.routeId()));
        assertEquals(Set.of(), unruled, "HTTP routes without a rule in DoorPolicy (closed to everyone until one is written)");
        Set<String> stale = new TreeSet<>();
        DoorPolicy.DOORS.forEach(d -> stale.add(d.routeId()));
        stale.removeAll(http);
        stale.removeAll(NOT_ON_A_REALM_NODE);
        Map<String, String> all = new java.util.TreeMap<>();
        node.camelContext().getRoutes().forEach(r -> all.put(r.getRouteId(), r.getEndpoint().getEndpointUri()));
        assertEquals(Set.of(), stale, "rules for routes this node does not serve; it serves " + all);
    }

    @Test
    void everyDoor_answersEveryKindOfCaller_asItsRuleSays() throws Exception {
        TestNodes.await("the short-lived token has expired beyond the 30 s clock skew", Duration.ofSeconds(90),
                () -> Instant.now().isAfter(expiredAt.plusSeconds(31)));
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("expired", expired);
        broken.put("another issuer", "Bearer " + otherIssuersToken());
        broken.put("unsigned (alg none)", "Bearer " + unsignedToken());
        List<String> failures = new ArrayList<>();
        for (DoorPolicy.Door door : httpDoors()) {
            boolean open = door.admits() == Admits.ANYONE || door.admits() == Admits.PUBLIC_READ;
            HttpResponse<String> anonymous = knock(door, null, Map.of());
            check(failures, door, "no token", anonymous, open ? null : 401, open ? null : "E_TOKEN_MISSING");
            for (var b : broken.entrySet()) {
                HttpResponse<String> r = knock(door, b.getValue(), Map.of());
                check(failures, door, b.getKey(), r, 401, null);
            }
            for (Knock k : callers) {
                boolean admitted = open || k.opens().contains(door.admits());
                check(failures, door, k.name(), knock(door, k.authorization(), Map.of()), admitted ? null : 403,
                        admitted ? null : "E_ROLE_REQUIRED");
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void noAnswer_carriesAHeaderNamedByTheRequest_orCopiedFromIt() throws Exception {
        Set<String> allowed = Set.of("content-type", "content-length", "content-disposition", "cache-control", "location",
                "www-authenticate", "retry-after", "content-security-policy", "referrer-policy", "x-content-type-options",
                "x-frame-options", "transfer-encoding", "date", "connection", "keep-alive", "vary", "x-report-number");
        Map<String, String> probes = Map.of("Set-Cookie", "session=forged", "Access-Control-Allow-Origin", "*",
                "Refresh", "0;url=https://example.test/", "X-Probe", "reflected");
        List<String> failures = new ArrayList<>();
        for (DoorPolicy.Door door : httpDoors()) {
            for (Knock k : List.of(new Knock("anonymous", null, Set.of()), callers.get(3))) {
                HttpResponse<String> r = knock(door, k.authorization(), probes);
                for (String name : r.headers().map().keySet()) {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!allowed.contains(lower) && !lower.equals(":status")) {
                        failures.add(door.routeId() + " as " + k.name() + " answered with header " + name + ": "
                                + r.headers().allValues(name));
                    }
                }
                if (k.authorization() != null && r.body().contains(k.authorization().substring(7, 40))) {
                    failures.add(door.routeId() + " echoed the caller's token in its body");
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void forgedImports_andBlackListRows_areRefused_storeNothing_queueNothing_andAreAudited() throws Exception {
        long records = count("select count(*) from credit_record");
        long outbox = count("select count(*) from outbox where kind = 'PUBLICITY'");
        long refusalsBefore = count("select count(*) from audit_event where action = 'door' and reason like 'E_%'");
        byte[] blackList = Files.readAllBytes(TestNodes.samples().resolve("penalty-sample-gbk.csv"));
        Map<String, String> forgers = new LinkedHashMap<>();
        forgers.put("no token", null);
        forgers.put("expired", expired);
        forgers.put("another issuer", "Bearer " + otherIssuersToken());
        forgers.put("alg none", "Bearer " + unsignedToken());
        forgers.put("a reader", bearer("public-reader"));
        forgers.put("an auditor", bearer("officer"));
        int tries = 0;
        for (var f : forgers.entrySet()) {
            for (String type : List.of("penalty", "blacklist")) {
                HttpResponse<String> r = TestNodes.post(api + "/api/v1/imports?type=" + type, "text/csv", blackList, f.getValue());
                tries++;
                assertTrue(r.statusCode() == 401 || r.statusCode() == 403, f.getKey() + ": " + r.statusCode() + " " + r.body());
                assertTrue(Json.mapper().readTree(r.body()).path("code").asText().startsWith("E_"), r.body());
                assertFalse(r.body().contains(root.toString()), "no server path in an answer");
            }
        }
        assertEquals(records, count("select count(*) from credit_record"), "nothing stored");
        assertEquals(outbox, count("select count(*) from outbox where kind = 'PUBLICITY'"), "nothing queued");
        int expectedRefusals = tries;
        TestNodes.await("every refusal is an audit event", Duration.ofSeconds(30),
                () -> count("select count(*) from audit_event where action = 'door' and reason like 'E_%'") >= refusalsBefore
                        + expectedRefusals);
    }

    @Test
    void aDepartment_filesItsOwnRecordsOnly_andTheImportNamesWhoFiledIt() throws Exception {
        String csv = "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_WSH,XK_JDRQ,XK_XKJG,XK_LYDW,XK_LYDWDM\n"
                + "杭州甲公司,法人及非法人组织,91330100716105852F,杭许〔2026〕901号,2026-11-02,杭州市市场监督管理局,本部门,"
                + OWN_DEPARTMENT + "\n"
                + "杭州乙公司,法人及非法人组织,91330100716105852F,杭许〔2026〕902号,2026-11-02,杭州市市场监督管理局,他部门,"
                + OTHER_DEPARTMENT + "\n";
        HttpResponse<String> r = TestNodes.post(api + "/api/v1/imports?type=licensing", "text/csv", csv.getBytes(StandardCharsets.UTF_8),
                bearer("department-feeder"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode summary = Json.mapper().readTree(r.body());
        assertEquals(1, summary.path("stored").asInt(), r.body());
        assertEquals(1, summary.path("rejected").asInt(), r.body());
        assertEquals("E_NOT_GRANTED", summary.path("firstDefects").path(0).path("code").asText(), r.body());
        assertFalse(summary.path("file").asText().contains("/"), "no server path: " + summary.path("file"));
        HttpResponse<String> forOthers = TestNodes.post(api + "/api/v1/imports?type=licensing&department=" + OTHER_DEPARTMENT,
                "text/csv", csv.getBytes(StandardCharsets.UTF_8), bearer("department-feeder"));
        assertEquals(403, forOthers.statusCode(), forOthers.body());
        TestNodes.await("the import's audit event names the department's importer: " + TestNodes.rows(node.config(),
                        "select actor_kind || ' ' || actor || ': ' || detail from audit_event where action = 'import'"), Duration.ofSeconds(30),
                () -> count("select count(*) from audit_event where action = 'import' and actor = 'department-feeder'"
                        + " and detail like '%for department " + OWN_DEPARTMENT + ": 2 rows read, 1 stored%'") == 1);
    }

    @Test
    void classBAuthorisations_areRegisteredByARegistrar_neverByTheGranteeForItself_onCheckableEvidence() throws Exception {
        String evidence = "杭信授〔2026〕77号 sha256:" + "ab".repeat(32);
        String forItsOwnDepartment = authorisation("11330100002500148D", evidence);
        HttpResponse<String> self = call("POST", "/api/v1/authorisations", bearer("registrar"), forItsOwnDepartment);
        assertEquals(403, self.statusCode(), self.body());
        assertEquals("E_AUTHORIZATION_GRANTEE", Json.mapper().readTree(self.body()).path("code").asText());
        HttpResponse<String> byReader = call("POST", "/api/v1/authorisations", bearer("authorised-reader"),
                authorisation("11330100002487959W", evidence));
        assertEquals(403, byReader.statusCode(), "a class B reader never registers its own consent: " + byReader.body());
        HttpResponse<String> sayso = call("POST", "/api/v1/authorisations", bearer("registrar"),
                authorisation("11330100002487959W", "I say so"));
        assertEquals(400, sayso.statusCode(), sayso.body());
        assertEquals("E_FIELD_INVALID", Json.mapper().readTree(sayso.body()).path("code").asText());
        HttpResponse<String> registered = call("POST", "/api/v1/authorisations", bearer("registrar"),
                authorisation("11330100002487959W", evidence));
        assertEquals(201, registered.statusCode(), registered.body());
        String id = Json.mapper().readTree(registered.body()).path("id").asText();
        TestNodes.await("the registration is an audit event naming the registrar", Duration.ofSeconds(30),
                () -> count("select count(*) from audit_event where action = 'authorisation' and actor = 'registrar'"
                        + " and authorisation_id = '" + id + "'") == 1);
    }

    @Test
    void thePartnerPorts_refuseAClientWithoutACertificate_andOneOfAnotherCa() throws Exception {
        // a certificate that says it is Huzhou, from a CA the alliance never trusted
        NodeCredentials impostor = AllianceCa.init(Suite.INTL, "Not the alliance CA", Duration.ofDays(30))
                .issueNode("huzhou", Duration.ofDays(30), List.of("localhost"));
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        for (String port : List.of(alliance.exchangeUrl(hangzhou), alliance.soapUrl(hangzhou))) {
            assertFalse(answered(URI.create(port), null), port + " answered a client without a certificate");
            assertFalse(answered(URI.create(port), impostor), port + " answered a certificate of another CA");
        }
        // an alliance node that is no partner of this one is refused per envelope: FederationIT's nodeThatIsNoPartner_*
    }

    @Test
    void thePartnerPorts_reflectNothingOfTheRequest_either() throws Exception {
        NodeCredentials huzhou = alliance.credential(DemoAlliance.member("huzhou"), Suite.INTL);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        for (String port : List.of(alliance.exchangeUrl(hangzhou), alliance.soapUrl(hangzhou))) {
            URI u = URI.create(port);
            String head = exchange(u, huzhou, "POST " + u.getPath() + "?Set-Cookie=session%3Dforged&X-Probe=reflected HTTP/1.1\r\n"
                    + "Host: localhost\r\nX-Echo: reflected\r\nContent-Type: text/xml\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            String lower = head.toLowerCase(Locale.ROOT);
            assertTrue(lower.startsWith("http/1.1 "), port + " answered: " + head);
            for (String echoed : List.of("set-cookie", "x-probe", "x-echo", "reflected")) {
                assertFalse(lower.contains(echoed), port + " reflected " + echoed + ": " + head);
            }
        }
    }

    /** The head of the answer to a raw HTTP request over mutual TLS as this node. */
    private static String exchange(URI port, NodeCredentials client, String request) throws Exception {
        SSLContext tls = clientTls(client);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(port.getHost(), port.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) != -1 && head.indexOf("\r\n\r\n") < 0) {
                head.append((char) b);
            }
            return head.toString();
        }
    }

    /** Whether the port answers an HTTP request over TLS with this client certificate (none if null). */
    private static boolean answered(URI port, NodeCredentials client) throws Exception {
        SSLContext tls = clientTls(client);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(port.getHost(), port.getPort())) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            socket.getOutputStream().write(("POST " + port.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket.getInputStream().read() != -1;
        } catch (java.io.IOException refused) {
            return false; // the handshake, or the first read after it (TLS 1.3 checks the client's certificate then), failed
        }
    }

    /** A TLS client presenting this certificate (none if null) that accepts any server. */
    private static SSLContext clientTls(NodeCredentials client) throws Exception {
        KeyManager[] keys = null;
        if (client != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", client.privateKey(), "pw".toCharArray(), client.certificateChain().toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, "pw".toCharArray());
            keys = factory.getKeyManagers();
        }
        TrustManager[] anyServer = {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, anyServer, null);
        return tls;
    }

    private static String authorisation(String grantee, String evidence) {
        return """
                {"subject": "91330100716105852F", "grantee": "%s", "purpose": "loan review", "datasets": ["tax"],
                 "validFrom": "%s", "validUntil": "%s", "evidence": "%s"}""".formatted(grantee, Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600), evidence);
    }

    private static List<DoorPolicy.Door> httpDoors() {
        // the API port's doors; those of the partner ports and the CRL port (paths not starting with /) are tried by the federation tests
        return DoorPolicy.DOORS.stream().filter(d -> d.admits() != Admits.PARTNER && d.path().startsWith("/")
                && !NOT_ON_A_REALM_NODE.contains(d.routeId())).toList();
    }

    /** One request to the door as this caller, with these extra query parameters and request headers. */
    private static HttpResponse<String> knock(DoorPolicy.Door door, String authorization, Map<String, String> probes) throws Exception {
        String path = door.path().replace("{uscc}", "91330100716105852F").replace("{id}", "1").replace("{seq}", "1")
                .replace("{sender}", "huzhou").replace("{partner}", "huzhou").replace("{number}", "hangzhou-20261207-000001");
        StringBuilder query = new StringBuilder(door.routeId().equals("department-upload") ? "?type=licensing" : "");
        for (var p : probes.entrySet()) {
            query.append(query.length() == 0 ? '?' : '&').append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        String method = door.method().split(",")[0];
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path + query)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", door.routeId().equals("department-upload") ? "text/csv" : "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(door.routeId().equals("department-upload") ? "A,B\n" : "{}"));
        probes.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Set-Cookie")) {
                b.header("X-Echo-" + name, value);
            }
        });
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Expects the refusal status and code, or (both null) an answer the door let through: no refusal of the door's. */
    private static void check(List<String> failures, DoorPolicy.Door door, String caller, HttpResponse<String> r, Integer status,
                              String code) {
        String answered = code(r);
        if (status == null) {
            if (r.statusCode() == 401 || answered.equals("E_ROLE_REQUIRED") || answered.equals("E_DOOR_CLOSED")) {
                failures.add(door.routeId() + " refused " + caller + ": " + r.statusCode() + " " + answered);
            }
        } else if (r.statusCode() != status || code != null && !code.equals(answered) || !answered.startsWith("E_")) {
            failures.add(door.routeId() + " as " + caller + ": expected " + status + " " + (code == null ? "E_TOKEN_*" : code) + ", got "
                    + r.statusCode() + " " + answered);
        }
    }

    private static String code(HttpResponse<String> r) {
        try {
            return Json.mapper().readTree(r.body()).path("code").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql) {
        return Long.parseLong(TestNodes.rows(node.config(), sql).first());
    }

    /** A well-formed token of another issuer, with every role, signed by a key the realm never published. */
    private static String otherIssuersToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("elsewhere").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("elsewhere").build(), new JWTClaimsSet.Builder()
                .issuer("https://elsewhere.example.test/realms/credit-exchange").audience("gateway-api").subject("intruder")
                .claim("preferred_username", "intruder").claim("realm_access", Map.of("roles", List.of("operator", "importer", "auditor")))
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The realm's claims with every role, unsigned ({@code "alg": "none"}). */
    private static String unsignedToken() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + keycloak.issuer() + "\",\"aud\":\"gateway-api\",\"sub\":\"intruder\","
                + "\"preferred_username\":\"intruder\",\"realm_access\":{\"roles\":[\"operator\",\"importer\"]},\"exp\":"
                + Instant.now().plusSeconds(300).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    @Test
    void theRealmsExpiredToken_isNotTheSameAsNoToken() throws Exception {
        TestNodes.await("the short-lived token has expired beyond the 30 s clock skew", Duration.ofSeconds(90),
                () -> Instant.now().isAfter(expiredAt.plusSeconds(31)));
        HttpResponse<String> r = knock(DoorPolicy.door("local-query").orElseThrow(), expired, Map.of());
        assertEquals(401, r.statusCode());
        assertEquals("E_TOKEN_EXPIRED", code(r));
        assertNotEquals(null, r.headers().firstValue("WWW-Authenticate").orElse(null));
    }
}
