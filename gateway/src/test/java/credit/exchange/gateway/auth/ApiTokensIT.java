package credit.exchange.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local API behind the real realm: a token that proves itself speaks for its caller, no token
 * is the anonymous public, and a token that does not prove itself is refused with 401, its reason
 * code and a WWW-Authenticate challenge — never read as anonymous.
 */
class ApiTokensIT {

    private static final String SAMPLE_USCC = "913301095GJ1CJ6U17";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static KeycloakServer keycloak;
    static Node node;
    static String url;
    static String taxedUscc;

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.shared();
        // a CA for data subjects' certificates (such as a provincial CA), made with stock openssl
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("subject-ca.key"),
                "-out", path("subject-ca.pem"), "-days", "30", "-subj", "/CN=Test Subject CA/O=Zhejiang Test CA/C=CN",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        NodeConfig config = TestNodes.config(dir, Map.of("gateway.auth.issuer", keycloak.issuer(),
                "gateway.auth.introspection-secret", KeycloakServer.GATEWAY_SECRET,
                "gateway.trust.subject-anchors", path("subject-ca.pem")));
        node = Node.start(config);
        url = TestNodes.baseUrl(config);
        String operator = "Bearer " + keycloak.userToken("node-operator", "operator-pw");
        // records still published (the penalty sample's ended in 2019 and is served to nobody)
        var imported = TestNodes.post(url + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(TestNodes.samples().resolve("licensing-sample.csv")), operator);
        assertEquals(200, imported.statusCode(), imported.body());
        // class B: tax credit ratings (纳税信用), in the list layout
        Path ratings = dir.resolve("tax.csv");
        new SeedGenerator(21, LocalDate.now()).writeRows("redlist", 5, 5, ratings);
        List<String> lines = Files.readAllLines(ratings);
        int column = List.of(lines.get(0).split(",")).indexOf("MD_XDR_SHXYM");
        taxedUscc = lines.get(1).split(",")[column];
        var tax = TestNodes.post(url + "/api/v1/imports?type=tax", "text/csv", Files.readAllBytes(ratings), operator);
        assertEquals(200, tax.statusCode(), tax.body());
    }

    /** A registrar of the realm (授权登记): registers subjects' authorisations for others. */
    private static String registrar() throws Exception {
        return "Bearer " + keycloak.userToken("registrar", "registrar-pw");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aVerifiedTokensCaller_andTheAnonymousPublic_readClassA() throws Exception {
        HttpResponse<String> anonymous = query(null);
        HttpResponse<String> reader = query("Bearer " + keycloak.userToken("public-reader", "public-reader-pw"));
        HttpResponse<String> province = query("Bearer " + keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET));
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals(200, reader.statusCode(), reader.body());
        assertEquals(200, province.statusCode(), province.body());
        assertTrue(Json.mapper().readTree(reader.body()).path("records").size() > 0, reader.body());
    }

    @Test
    void tokensThatDoNotProveThemselves_get401WithTheirCode_andAChallenge() throws Exception {
        String token = keycloak.userToken("public-reader", "public-reader-pw");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertRefused(query("Bearer " + tampered), "E_TOKEN_SIGNATURE");
        assertRefused(query("Bearer " + keycloak.userToken("not-for-the-gateway", "public-reader", "public-reader-pw")),
                "E_TOKEN_AUDIENCE");
        assertRefused(query("Bearer " + keycloak.adminToken()), "E_TOKEN_ISSUER");
        assertRefused(query("Bearer not.a.jwt"), "E_TOKEN_MALFORMED");
        assertRefused(query("Basic dXNlcjpwYXNz"), "E_TOKEN_MALFORMED");
    }

    @Test
    void classB_throughTheApi_onlyOnTheSubjectsAuthorisation_registeredByARegistrar_revokedByItsGrantee() throws Exception {
        String province = "Bearer " + keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET);
        String asked = "/api/v1/records?uscc=" + taxedUscc + "&datasets=tax";
        assertForbidden(call("GET", asked, province, null), "E_AUTHORIZATION_REQUIRED");

        String consent = """
                {"subject": "%s", "grantee": "zhejiang-platform", "purpose": "credit review", "datasets": ["tax"],
                 "validFrom": "%s", "validUntil": "%s", "evidence": "浙信授〔2026〕118号 sha256:%s"}"""
                .formatted(taxedUscc, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), "5e".repeat(32));
        assertForbidden(call("POST", "/api/v1/authorisations", "Bearer " + keycloak.userToken("public-reader", "public-reader-pw"),
                consent), "E_ROLE_REQUIRED");
        assertForbidden(call("POST", "/api/v1/authorisations", province, consent), "E_ROLE_REQUIRED"); // never the grantee for itself
        HttpResponse<String> registered = call("POST", "/api/v1/authorisations", registrar(), consent);
        assertEquals(201, registered.statusCode(), registered.body());
        String id = Json.mapper().readTree(registered.body()).path("id").asText();

        HttpResponse<String> read = call("GET", asked + "&purpose=credit%20review&authorisation=" + id, province, null);
        assertEquals(200, read.statusCode(), read.body());
        JsonNode records = Json.mapper().readTree(read.body()).path("records");
        assertTrue(records.size() > 0 && records.get(0).path("category").asText().equals("tax"), read.body());
        assertForbidden(call("GET", asked + "&purpose=marketing&authorisation=" + id, province, null), "E_AUTHORIZATION_PURPOSE");

        assertEquals(200, call("DELETE", "/api/v1/authorisations/" + id, province, null).statusCode());
        assertForbidden(call("GET", asked + "&purpose=credit%20review&authorisation=" + id, province, null), "E_AUTHORIZATION_REVOKED");
    }

    @Test
    void aConsentTheSubjectSignedWithOpenssl_registersTheAuthorisation_asItsStatementSays() throws Exception {
        String province = "Bearer " + keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET);
        String statement = """
                {"subject": "%s", "grantee": "zhejiang-platform", "purpose": "loan review", "datasets": ["tax"],
                 "validFrom": "%s", "validUntil": "%s"}""".formatted(taxedUscc, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        String signed = signAs(enterprise("taxed", taxedUscc, "subject-ca"), statement);

        HttpResponse<String> registered = call("POST", "/api/v1/authorisations", registrar(),
                "{\"subjectSignature\": \"" + signed + "\"}");
        assertEquals(201, registered.statusCode(), registered.body());
        JsonNode view = Json.mapper().readTree(registered.body());
        assertEquals("loan review", view.path("purpose").asText(), "taken from the signed statement");
        HttpResponse<String> read = call("GET", "/api/v1/records?uscc=" + taxedUscc + "&datasets=tax&purpose=loan%20review&authorisation="
                + view.path("id").asText(), province, null);
        assertEquals(200, read.statusCode(), read.body());

        String registrar = registrar();
        assertRefusedWith(400, "E_FIELD_INVALID", call("POST", "/api/v1/authorisations", registrar,
                "{\"purpose\": \"marketing\", \"subjectSignature\": \"" + signed + "\"}"));
        assertRefusedWith(403, "E_AUTHORIZATION_SUBJECT", call("POST", "/api/v1/authorisations", registrar,
                "{\"subjectSignature\": \"" + signAs(enterprise("other", "914403001922038216", "subject-ca"), statement) + "\"}"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("rogue-ca.key"),
                "-out", path("rogue-ca.pem"), "-days", "30", "-subj", "/CN=Rogue CA/C=CN",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        assertRefusedWith(403, "E_CERT_UNTRUSTED", call("POST", "/api/v1/authorisations", registrar,
                "{\"subjectSignature\": \"" + signAs(enterprise("rogue", taxedUscc, "rogue-ca"), statement) + "\"}"));
        byte[] tampered = Base64.getDecoder().decode(signed);
        tampered[new String(tampered, StandardCharsets.ISO_8859_1).indexOf("loan review")] = 'L';
        assertRefusedWith(400, "E_SIGNATURE_INVALID", call("POST", "/api/v1/authorisations", registrar,
                "{\"subjectSignature\": \"" + Base64.getEncoder().encodeToString(tampered) + "\"}"));
    }

    /** An enterprise certificate from the named CA, naming the enterprise by its USCC in serialNumber; the key and certificate files' stem. */
    private static String enterprise(String name, String uscc, String ca) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path(name + ".key"),
                "-out", path(name + ".csr"), "-subj", "/CN=" + name + " Ltd/serialNumber=" + uscc + "/C=CN");
        Files.writeString(dir.resolve(name + ".ext"), "keyUsage=critical,digitalSignature,nonRepudiation\n");
        openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".pem"), "-CAkey", path(ca + ".key"),
                "-CAcreateserial", "-days", "30", "-extfile", path(name + ".ext"), "-out", path(name + ".pem"));
        return name;
    }

    /** The statement signed as the subject does it: {@code openssl cms -sign -nodetach}, DER, base64. */
    private static String signAs(String signer, String statement) throws Exception {
        Files.writeString(dir.resolve(signer + "-consent.json"), statement);
        openssl("cms", "-sign", "-binary", "-nodetach", "-in", path(signer + "-consent.json"), "-signer", path(signer + ".pem"),
                "-inkey", path(signer + ".key"), "-outform", "DER", "-out", path(signer + "-consent.p7s"));
        return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(signer + "-consent.p7s")));
    }

    private static String path(String file) {
        return dir.resolve(file).toString();
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
    }

    private static void assertRefusedWith(int status, String code, HttpResponse<String> answer) throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, Json.mapper().readTree(answer.body()).path("code").asText(), answer.body());
    }

    private static void assertForbidden(HttpResponse<String> answer, String code) throws Exception {
        assertEquals(403, answer.statusCode(), answer.body());
        assertEquals(code, Json.mapper().readTree(answer.body()).path("code").asText(), answer.body());
        assertFalse(answer.body().contains("records"), "no data at all, not even counts");
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> answer, String code) throws Exception {
        assertEquals(401, answer.statusCode(), answer.body());
        JsonNode error = Json.mapper().readTree(answer.body());
        assertEquals(code, error.path("code").asText(), answer.body());
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), answer.headers().toString());
        assertFalse(answer.body().contains("records"), "no data at all");
    }

    private static HttpResponse<String> query(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1/records?uscc=" + SAMPLE_USCC))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
