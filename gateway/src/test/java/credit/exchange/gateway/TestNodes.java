package credit.exchange.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Helpers for tests that run real nodes on loopback. */
public final class TestNodes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestNodes() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A node configuration under {@code dataDir} with a free HTTP port and the given overrides. */
    public static NodeConfig config(Path dataDir, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("gateway.data-dir", dataDir.toString());
        values.put("gateway.http.port", Integer.toString(freePort()));
        values.putAll(overrides);
        return NodeConfig.of(values);
    }

    public static String baseUrl(NodeConfig config) {
        return "http://127.0.0.1:" + config.get("gateway.http.port");
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        return post(url, contentType, body, null);
    }

    /** A GET with {@code Authorization: <bearer>} (a whole header value, "Bearer …"), none if null. */
    public static HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(String url, String contentType, byte[] body, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A development token ("Bearer …") of the node at this URL (its development issuer: no realm),
     * for a user with these comma-separated roles and, if not null, department.
     */
    public static String devToken(String url, String user, String roles, String department) throws IOException, InterruptedException {
        URI u = URI.create(url);
        return credit.exchange.gateway.demo.DemoAlliance.devToken(u.getScheme() + "://" + u.getAuthority(), user, roles, department);
    }

    /** A GET as a signed-in reader of class A (reader-public): the local and mutual queries of the public's records. */
    public static HttpResponse<String> readerGet(String url) throws IOException, InterruptedException {
        return get(url, devToken(url, "test-reader", "reader-public", null));
    }

    /** A GET as the node's operator (a development token with the operator role). */
    public static HttpResponse<String> operatorGet(String url) throws IOException, InterruptedException {
        return get(url, devToken(url, "test-operator", "operator", null));
    }

    /** A POST as the node's operator (a development token with the operator role): imports, operations. */
    public static HttpResponse<String> operatorPost(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        return post(url, contentType, body, devToken(url, "test-operator", "operator", null));
    }

    /** Waits until the condition holds, polling; fails with what it waited for after {@code limit}. */
    public static void await(String what, Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (java.time.Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    /**
     * How many times the node's route has run so far (Camel's route meter {@code camel_exchanges_total}
     * of that routeId, from /metrics), or -1 while it cannot be read.
     */
    public static long routeRuns(String apiUrl, String routeId) {
        try {
            long runs = -1;
            for (String line : operatorGet(apiUrl + "/metrics").body().split("\n")) {
                if (line.startsWith("camel_exchanges_total{") && line.contains("routeId=\"" + routeId + "\"")) {
                    runs = Math.max(runs, 0) + (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return runs;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until the node's timer route has run {@code rounds} more times from now: the event a
     * negative proof waits for ("a further relay pass changed nothing") instead of a fixed time.
     * The second of two runs began after the first had ended, so at least one whole run lies between.
     */
    public static void awaitRouteRuns(String apiUrl, String routeId, int rounds) throws InterruptedException {
        long before = routeRuns(apiUrl, routeId);
        await(rounds + " more runs of " + routeId + " at " + apiUrl, Duration.ofSeconds(60),
                () -> before >= 0 && routeRuns(apiUrl, routeId) >= before + rounds);
    }

    public static Path samples() {
        return Path.of(System.getProperty("credit.samples.dir", "../test-data/samples"));
    }

    /** The first column of every row the query returns on the node's database, sorted and without repeats. */
    public static java.util.SortedSet<String> rows(NodeConfig config, String sql) {
        try (var store = credit.exchange.gateway.infra.CreditStoreConnection.open(config);
             var c = store.database().connection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            java.util.SortedSet<String> out = new java.util.TreeSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
