package credit.exchange.routes.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of the exchange payloads (docs/schemas/, shipped in this jar): every request a
 * partner sends is checked against its type's schema before its flow sees it. The schemas are
 * compiled once, when the class loads. A payload that is not a JSON object is {@code E_MALFORMED};
 * a missing field {@code E_FIELD_MISSING}, any other disagreement {@code E_FIELD_INVALID}, the
 * message naming the field by its JSON pointer.
 */
public final class PayloadSchemas {

    /** The schemas' $id prefix, and where the jar holds them. */
    static final String BASE = "https://credit-exchange.example/schemas/";
    private static final String RESOURCES = "classpath:credit/exchange/routes/exchange/schemas/";
    // formats asserted, not only annotated: a date is a real date (2026-02-30 is not), an instant a real instant
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(resolvers -> resolvers.mapPrefix(BASE, RESOURCES))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<Partner.ExchangeType, Schema> REQUESTS = requests();

    private PayloadSchemas() {
    }

    /**
     * Checks a request's payload against the schema of its exchange type.
     *
     * @throws CodedException E_MALFORMED, E_FIELD_MISSING or E_FIELD_INVALID naming the first field that disagrees
     */
    public static void checkRequest(Partner.ExchangeType type, byte[] payload) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(payload);
        } catch (JsonProcessingException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the " + type.wireName() + " payload is not JSON");
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the " + type.wireName() + " payload cannot be read");
        }
        if (tree == null || !tree.isObject()) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the " + type.wireName() + " payload is not a JSON object");
        }
        List<Problem> problems = problems(REQUESTS.get(type), tree);
        if (!problems.isEmpty()) {
            Problem first = problems.get(0);
            throw new CodedException(first.missing() ? ErrorCode.E_FIELD_MISSING : ErrorCode.E_FIELD_INVALID,
                    type.wireName() + " payload " + first.pointer() + ": " + first.message() + " (docs/schemas/"
                            + type.wireName() + ".request.schema.json)");
        }
    }

    /** One disagreement between a payload and a schema: the field's JSON pointer ("" for the payload itself). */
    public record Problem(String pointer, boolean missing, String message) {
    }

    /** The schema of docs/schemas/ with this file name, e.g. {@code query.answer.schema.json}. */
    public static Schema schema(String file) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + file));
    }

    /** Where a payload disagrees with a schema, ordered by field; empty when it agrees. */
    public static List<Problem> problems(Schema schema, JsonNode payload) {
        List<Error> errors;
        try {
            errors = schema.validate(payload);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            // a number beyond what the schema can compare (1e400) is no value a field may hold
            return List.of(new Problem("", false, "holds a number out of range"));
        }
        return errors.stream()
                .map(e -> {
                    boolean missing = "required".equals(e.getKeyword());
                    String pointer = pointer(e.getInstanceLocation()) + (missing && e.getProperty() != null ? "/" + escape(e.getProperty()) : "");
                    return new Problem(pointer, missing, e.getMessage());
                })
                .sorted(Comparator.comparing(Problem::pointer))
                .toList();
    }

    private static String pointer(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append('/').append(element instanceof String name ? escape(name) : String.valueOf(element));
        }
        return out.toString();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static Map<Partner.ExchangeType, Schema> requests() {
        Map<Partner.ExchangeType, Schema> out = new EnumMap<>(Partner.ExchangeType.class);
        for (Partner.ExchangeType type : Partner.ExchangeType.values()) {
            Schema schema = schema(type.wireName() + ".request.schema.json");
            schema.initializeValidators(); // every $ref resolved now, not under the first partner's request
            out.put(type, schema);
        }
        return out;
    }
}
