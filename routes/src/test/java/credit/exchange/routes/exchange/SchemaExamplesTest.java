package credit.exchange.routes.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples other vendors read agree with the schemas the node enforces: every JSON block of
 * docs/protocol.md names its schema in the comment line before it ({@code <!-- schema:
 * query.request -->}) and validates against it, and so does every file of docs/schemas/examples/
 * (named {@code <exchange type>.<request|answer>[.<what>].json}).
 */
class SchemaExamplesTest {

    private static final Path DOCS = Path.of(System.getProperty("credit.project.root", ".."), "docs");
    private static final Pattern SCHEMA_COMMENT = Pattern.compile("^\\s*<!-- schema: (\\S+) -->\\s*$");

    /** An example: where it is, the schema it names, its text. */
    record Example(String where, String schema, String json) {
    }

    @Test
    void everyJsonExampleOfTheProtocol_namesItsSchema_andAgreesWithIt() throws IOException {
        List<Example> examples = protocolExamples(Files.readAllLines(DOCS.resolve("protocol.md")));
        assertTrue(examples.size() >= 10, "protocol.md shows its payloads: " + examples.size() + " examples found");
        examples.forEach(SchemaExamplesTest::assertAgrees);
    }

    @Test
    void everyExampleFile_agreesWithItsSchema_andEveryNoticeKindHasARequestAndAnAnswer() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(DOCS.resolve("schemas/examples"))) {
            list.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
        }
        for (String file : files) {
            assertAgrees(new Example("docs/schemas/examples/" + file, schemaOfFile(file),
                    Files.readString(DOCS.resolve("schemas/examples").resolve(file))));
        }
        JsonNode kinds = Json.mapper().readTree(DOCS.resolve("schemas/notice.request.schema.json").toFile()).path("$defs");
        List<String> missing = new ArrayList<>();
        kinds.fieldNames().forEachRemaining(kind -> {
            for (String file : List.of("notice.request." + kind + ".json", "notice.answer." + kind + ".json")) {
                if (!files.contains(file)) {
                    missing.add(file);
                }
            }
        });
        assertEquals(List.of(), missing, "each notice kind has an example request and answer");
    }

    @Test
    void everySchema_isNamedByItsId_soThatItsReferencesResolve() throws IOException {
        try (Stream<Path> list = Files.list(DOCS.resolve("schemas"))) {
            for (Path file : list.filter(p -> p.toString().endsWith(".schema.json")).toList()) {
                JsonNode schema = Json.mapper().readTree(file.toFile());
                assertEquals(PayloadSchemas.BASE + file.getFileName(), schema.path("$id").asText(), file.toString());
                assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), file.toString());
            }
        }
    }

    @Test
    void anExampleThatSaysOtherThanItsSchema_isCaught() throws IOException {
        ObjectNode sanction = (ObjectNode) Json.mapper().readTree(DOCS.resolve("schemas/examples/notice.request.sanction.json").toFile());
        ((ObjectNode) sanction.get("body")).put("listedOn", "27.11.2026");
        List<PayloadSchemas.Problem> problems = PayloadSchemas.problems(PayloadSchemas.schema("notice.request.schema.json"), sanction);
        assertFalse(problems.isEmpty());
        assertEquals("/body/listedOn", problems.get(0).pointer());
    }

    /** The ```json blocks, each with the schema its preceding comment names; a block without one fails. */
    static List<Example> protocolExamples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```json")) {
                continue;
            }
            int start = i;
            int previous = i - 1;
            while (previous >= 0 && lines.get(previous).isBlank()) {
                previous--;
            }
            Matcher named = previous < 0 ? null : SCHEMA_COMMENT.matcher(lines.get(previous));
            if (named == null || !named.matches()) {
                fail("protocol.md line " + (start + 1) + ": a JSON example without its schema (<!-- schema: NAME --> before it)");
            }
            StringBuilder json = new StringBuilder();
            for (i = i + 1; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                json.append(lines.get(i)).append('\n');
            }
            out.add(new Example("protocol.md line " + (start + 1), schemaFile(named.group(1)), json.toString()));
        }
        return out;
    }

    /** {@code query.request} → query.request.schema.json; {@code common#/$defs/delivery} → common.schema.json#/$defs/delivery. */
    private static String schemaFile(String name) {
        int fragment = name.indexOf('#');
        return fragment < 0 ? name + ".schema.json" : name.substring(0, fragment) + ".schema.json" + name.substring(fragment);
    }

    private static String schemaOfFile(String file) {
        String[] parts = file.substring(0, file.length() - ".json".length()).split("\\.");
        return parts.length > 1 && (parts[1].equals("request") || parts[1].equals("answer"))
                ? parts[0] + "." + parts[1] + ".schema.json" : parts[0] + ".schema.json";
    }

    private static void assertAgrees(Example example) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(example.json());
        } catch (IOException e) {
            throw new AssertionError(example.where() + ": the example is not JSON: " + e.getMessage(), e);
        }
        assertEquals(List.of(), PayloadSchemas.problems(PayloadSchemas.schema(example.schema()), json),
                example.where() + " against " + example.schema());
    }
}
