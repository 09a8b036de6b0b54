package credit.exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak for the tests: the server distribution from Maven Central (unpacked by the build
 * into {@code gateway/target/keycloak}), started once per test JVM in dev mode on a free port with
 * the realm of {@code deploy/keycloak/} plus the test users and clients of
 * {@code keycloak/test-realm-additions.json}, on a Java 21+ JDK (KEYCLOAK_JAVA_HOME, or the newest
 * under /usr/lib/jvm), and stopped when the JVM ends.
 */
public final class KeycloakServer {

    public static final String REALM = "credit-exchange";
    public static final String PROVINCE_SECRET = "province-secret-for-tests";
    public static final String GATEWAY_SECRET = "gateway-api-secret-for-tests";
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static KeycloakServer shared;

    private final int port;

    private KeycloakServer(int port) {
        this.port = port;
    }

    /** The server of this test run, started on first use. */
    public static synchronized KeycloakServer shared() throws Exception {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String issuer() {
        return base() + "/realms/" + REALM;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** An access token for a test user, by the password grant of the test client. */
    public String userToken(String username, String password) throws Exception {
        return userToken("gateway-tests", username, password);
    }

    public String userToken(String clientId, String username, String password) throws Exception {
        return token(issuer(), Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    }

    /** An access token of a platform client, by client credentials. */
    public String clientToken(String clientId, String secret) throws Exception {
        return token(issuer(), Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A token of the master realm's administrator: a valid token of another issuer. */
    public String adminToken() throws Exception {
        return token(base() + "/realms/master", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", ADMIN, "password", ADMIN_PASSWORD));
    }

    /** Calls the admin REST API of the realm; returns the status. */
    public int admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Lets the officer console of a gateway at {@code baseUrl} sign officers in (its redirect URI, as an operator registers it). */
    public void allowConsoleAt(String baseUrl) throws Exception {
        ObjectNode client = (ObjectNode) adminGet("/clients?clientId=officer-console").get(0);
        client.putArray("redirectUris").add(baseUrl + "/console/*");
        int status = admin("PUT", "/clients/" + client.path("id").asText(), Json.mapper().writeValueAsString(client));
        if (status != 204) {
            throw new IllegalStateException("the officer console's redirect URI was not registered: " + status);
        }
    }

    public JsonNode adminGet(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + adminToken()).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private static String token(String issuer, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = Json.mapper().readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token refused (" + r.statusCode() + "): " + r.body());
        }
        return answer.path("access_token").asText();
    }

    private static KeycloakServer start() throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.4.5")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + " (mvn verify unpacks it before the integration tests)");
        }
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.writeString(imports.resolve(REALM + "-realm.json"), Json.mapper().writeValueAsString(testRealm()));
        int port = TestNodes.freePort();
        List<String> command = List.of("sh", home.resolve("bin/kc.sh").toString(), "start-dev", "--http-host=127.0.0.1",
                "--http-port=" + port, "--hostname=http://127.0.0.1:" + port, "--import-realm", "--db=dev-mem");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.getParent().resolve("keycloak.log").toFile());
        builder.environment().put("JAVA_HOME", javaHome().toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("GATEWAY_PROVINCE_CLIENT_SECRET", PROVINCE_SECRET);
        builder.environment().put("GATEWAY_API_CLIENT_SECRET", GATEWAY_SECRET);
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }, "keycloak-stop"));
        KeycloakServer server = new KeycloakServer(port);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak ended at start; see " + home.getParent().resolve("keycloak.log"));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    server.applyDeployedPasswordPolicy();
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak did not start within 3 minutes; see " + home.getParent().resolve("keycloak.log"));
    }

    /**
     * The deployed realm with the test users and clients added, and without its password policy:
     * Keycloak checks imported users' plain-text passwords against the realm's policy and fails the
     * whole import on the first that breaks it (keycloak/keycloak#29420), and the test users'
     * passwords ("officer-pw") do. {@link #start()} puts the deployed policy back once they exist.
     */
    private static ObjectNode testRealm() throws IOException {
        ObjectNode realm = deployedRealm();
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/test-realm-additions.json")) {
            JsonNode additions = Json.mapper().readTree(in);
            for (String field : List.of("clients", "users")) {
                additions.path(field).forEach(((ArrayNode) realm.withArray(field))::add);
            }
        }
        realm.remove("passwordPolicy");
        return realm;
    }

    private static ObjectNode deployedRealm() throws IOException {
        Path root = Path.of(System.getProperty("credit.project.root", ".."));
        return (ObjectNode) Json.mapper().readTree(root.resolve("deploy/keycloak/credit-exchange-realm.json").toFile());
    }

    /**
     * Sets the deployed realm's password policy on the running realm, after the import: the tests
     * then run under it (it binds new passwords, not the imported ones), and a policy Keycloak does
     * not understand fails here rather than in production.
     */
    private void applyDeployedPasswordPolicy() throws Exception {
        JsonNode policy = deployedRealm().path("passwordPolicy");
        if (policy.isMissingNode()) {
            return;
        }
        ObjectNode update = Json.mapper().createObjectNode().put("passwordPolicy", policy.asText());
        int status = admin("PUT", "", Json.mapper().writeValueAsString(update));
        if (status != 204) {
            throw new IllegalStateException("Keycloak refused the deployed realm's password policy: HTTP " + status);
        }
    }

    /** KEYCLOAK_JAVA_HOME, or the JDK under /usr/lib/jvm with the highest major version of at least 21. */
    static Path javaHome() throws IOException {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.filter(p -> Files.isRegularFile(p.resolve("release"))).forEach(candidates::add);
        }
        return candidates.stream()
                .filter(p -> majorVersion(p).orElse(0) >= 21)
                .max(Comparator.comparingInt(p -> majorVersion(p).orElse(0)))
                .orElseThrow(() -> new IllegalStateException("Keycloak needs Java 21 or later: set KEYCLOAK_JAVA_HOME"));
    }

    private static Optional<Integer> majorVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Optional.of(Integer.parseInt(v.split("[.+-]")[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
