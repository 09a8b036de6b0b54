package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.security.access.DoorPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestApiEndpoint;
import org.apache.camel.component.rest.RestEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document at {@code /openapi.json} against what the node serves: a node of the demo
 * alliance with every flow (alliance workflows, mutual queries, the audit console, the development
 * issuer). Every route Camel registered on the API port is an operation of the document, at its
 * path and method, and every operation is such a route; every operation says what it answers on
 * success, and its refusals in the one error form ({@code ApiError}). A route added without its
 * place in the contract fails here.
 */
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_SCHEMA = "#/components/schemas/ApiError";

    /** Routes of the API port that are not operations of the REST contract, and why. */
    private static final Map<String, String> NOT_OPERATIONS = Map.of(
            "openapi", "the contract itself",
            "console-page", "the officer console's page and its assets (/console/*): what a browser loads, not an API",
            "dev-issuer-keys", "the development issuer's JWKS (RFC 7517): OpenID Connect's contract, and no door of a node with a realm",
            "dev-issuer-token", "the development issuer's token endpoint (RFC 6749): OpenID Connect's contract, none on a node with a realm",
            "dev-issuer-sign-in", "the development issuer's sign-in page (OpenID Connect authorization endpoint): a browser's, none with a realm");

    @TempDir
    static Path root;
    static Node node;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        node = alliance.start(DemoAlliance.member("hangzhou"));
        var answer = TestNodes.get(alliance.apiUrl(DemoAlliance.member("hangzhou")) + "/openapi.json");
        assertEquals(200, answer.statusCode(), answer.body());
        document = JSON.readTree(answer.body());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyRouteOfTheApiPort_isAnOperationAtItsPathAndMethod_andEveryOperationARoute() {
        Map<String, String> served = new TreeMap<>();
        for (Route route : node.camelContext().getRoutes()) {
            // the API port's server is platform-http, which the REST DSL's routes consume from too
            if (route.getEndpoint() instanceof RestEndpoint rest) {
                served.put(route.getRouteId(), rest.getMethod().toUpperCase(Locale.ROOT) + " "
                        + (Objects.toString(rest.getPath(), "") + "/" + Objects.toString(rest.getUriTemplate(), "")).replaceAll("/+", "/")
                        .replaceAll("(.)/$", "$1"));
            } else if (route.getEndpoint() instanceof RestApiEndpoint contract) {
                served.put(route.getRouteId(), "GET " + contract.getPath());
            } else if (route.getEndpoint() instanceof PlatformHttpEndpoint http) {
                served.put(route.getRouteId(), methods(http.getHttpMethodRestrict()) + " " + http.getPath());
            }
        }
        Set<String> notServed = new TreeSet<>(NOT_OPERATIONS.keySet());
        notServed.removeAll(served.keySet());
        assertEquals(Set.of(), notServed,
                "routes said to be outside the contract that this node does not serve on its API port: " + served);
        served.keySet().removeAll(NOT_OPERATIONS.keySet());
        Map<String, String> documented = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String id = operation.getValue().path("operationId").asText("(no operationId)");
            String was = documented.put(id, operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            assertEquals(null, was, "two operations named " + id);
        }));

        assertEquals(served, documented, "the routes the API port serves (left) and the operations the contract documents (right)");
        for (var operation : documented.entrySet()) {
            DoorPolicy.Door door = DoorPolicy.door(operation.getKey()).orElseThrow(() -> new AssertionError(operation + " has no door"));
            assertEquals(door.method() + " " + door.path(), operation.getValue(), "the door's rule and the contract name one place");
        }
    }

    @Test
    void everyOperation_saysWhatItAnswers_andItsRefusalsAreApiErrors() {
        JsonNode error = document.path("components").path("schemas").path("ApiError").path("properties");
        for (String field : List.of("code", "meaning", "message", "incident")) {
            assertTrue(error.has(field), "ApiError names its " + field + ": " + document.path("components"));
        }
        List<String> failures = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String id = operation.getValue().path("operationId").asText();
            JsonNode responses = operation.getValue().path("responses");
            if (responses.has("default")) {
                failures.add(id + ": a default response says nothing");
            }
            List<String> successes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(code -> {
                JsonNode response = responses.get(code);
                if (code.startsWith("2")) {
                    successes.add(code);
                } else if (!code.equals("503") && !ERROR_SCHEMA.equals(response.path("content").path("application/json").path("schema")
                        .path("$ref").asText())) {
                    failures.add(id + " " + code + ": not an ApiError: " + response);
                }
                if (response.path("description").asText().isBlank()) {
                    failures.add(id + " " + code + ": no description");
                }
            });
            if (successes.size() != 1) {
                failures.add(id + ": one success expected, documented " + successes);
            }
            DoorPolicy.Admits admits = DoorPolicy.door(id).map(DoorPolicy.Door::admits).orElse(null);
            List<String> refusals = new ArrayList<>(List.of("401", "500"));
            if (admits != DoorPolicy.Admits.ANYONE) {
                refusals.add("403");
            }
            if (path.getKey().matches(".*\\{(id|seq|sender)}.*")) {
                refusals.add("404");
            }
            if (!operation.getKey().equals("get")) {
                refusals.add("400");
            }
            for (String code : refusals) {
                if (!responses.has(code)) {
                    failures.add(id + ": " + code + " missing from " + responses);
                }
            }
        }));
        assertEquals(List.of(), failures);
        assertFalse(document.path("paths").isEmpty());
    }

    @Test
    void optionalQueryParameters_areNotRequired() {
        JsonNode get = document.path("paths").path("/api/v1/records").path("get");
        for (JsonNode parameter : get.path("parameters")) {
            assertFalse(parameter.path("required").asBoolean(), "a local query needs none of its parameters: " + parameter);
        }
    }

    private static String methods(String restrict) {
        return restrict == null ? "(any method)" : restrict.toUpperCase(Locale.ROOT);
    }
}
