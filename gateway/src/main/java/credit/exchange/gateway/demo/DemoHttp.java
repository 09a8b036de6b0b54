package credit.exchange.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How the demo talks to its members: over their public HTTP API on loopback, signed in with a
 * development token as whom each door admits, waiting for the flows to settle by polling.
 */
final class DemoHttp {

    static final HttpClient LOCAL = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DemoHttp() {
    }

    /** A development token from the node's own issuer (no password: the demo runs without a realm). */
    static String devToken(String api, String user, String roles, String department) throws Exception {
        return DemoAlliance.devToken(api, user, roles, department);
    }

    static HttpResponse<String> call(String method, String url, String authorization, String json) throws Exception {
        return LOCAL.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String code(HttpResponse<String> answer) throws IOException {
        return Json.mapper().readTree(answer.body()).path("code").asText("HTTP " + answer.statusCode());
    }

    static JsonNode getQuietlyWith(String url, String token) {
        try {
            return Json.mapper().readTree(call("GET", url, token, null).body());
        } catch (Exception e) {
            return Json.mapper().createObjectNode();
        }
    }

    /** Waits up to a minute for the push flows to settle; true if they did. */
    static boolean awaitCounts(java.util.function.BooleanSupplier settled) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!settled.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    /**
     * A GET as whom its door admits: local records as the anonymous public, the mutual query as a
     * class A reader, the operations views as the node's operator.
     */
    static JsonNode get(String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (url.contains("/api/v1/alliance/")) {
            request.header("Authorization", signedIn(url, "public-reader", "reader-public"));
        } else if (!url.contains("/api/v1/records")) {
            request.header("Authorization", signedIn(url, "node-operator", "operator"));
        }
        HttpResponse<String> r = LOCAL.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    /** An upload of department files, by the node's operator (the seeded files name their departments row by row). */
    static JsonNode post(String url, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = LOCAL.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).header("Authorization", signedIn(url, "node-operator", "operator"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    /** A development token of the node serving this URL. */
    static String signedIn(String url, String user, String roles) throws IOException, InterruptedException {
        URI u = URI.create(url);
        try {
            return devToken(u.getScheme() + "://" + u.getAuthority(), user, roles, null);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("no development token from " + u.getAuthority(), e);
        }
    }
}
