package credit.exchange.routes.partner;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import credit.exchange.security.Classification;
import credit.exchange.security.Suite;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one partner configuration file: YAML, checked against
 * partner-configs/partner-config.schema.json (shipped in this jar), then against what a schema
 * cannot say (the id is the file's name, the certificate exists, is of the partner's suite and
 * names the partner). Every problem comes back with its file and line; nothing is half-read.
 */
public final class PartnerConfigReader {

    /** The largest configuration file read; a partner file is a few hundred bytes. */
    static final long MAX_FILE_BYTES = 64 * 1024;
    private static final String SCHEMA_RESOURCE = "/credit/exchange/routes/partner/partner-config.schema.json";
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);
    private static final Schema SCHEMA = loadSchema();

    private final Path certificates;

    /** @param certificates the directory a relative {@code certificate} path is resolved against */
    public PartnerConfigReader(Path certificates) {
        this.certificates = certificates;
    }

    /** The outcome for one file: the partner, or the reasons it was rejected. */
    public sealed interface Result {
        record Read(Partner partner) implements Result {
        }

        record Rejected(List<ConfigProblem> problems) implements Result {
        }
    }

    public Result read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return rejected(file, 0, "larger than " + MAX_FILE_BYTES + " bytes; a partner file is a few hundred");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return rejected(file, 0, "cannot be read as UTF-8 text: " + e.getClass().getSimpleName());
        }
        JsonNode tree;
        Map<String, Integer> lines;
        try {
            tree = MAPPER.readTree(text);
            lines = lineOfEachPointer(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return rejected(file, at == null ? 0 : at.getLineNr(), "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            return rejected(file, 0, "not valid YAML: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return rejected(file, 0, "is empty");
        }
        List<Error> errors;
        try {
            errors = SCHEMA.validate(tree);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            // a number YAML reads as infinite (5E5555555) is no number the schema can compare
            return rejected(file, 0, "holds a number out of range: " + outOfRange.getMessage());
        }
        if (!errors.isEmpty()) {
            List<ConfigProblem> problems = new ArrayList<>();
            for (Error error : errors) {
                String pointer = error.getInstanceLocation().toString().replaceFirst("^\\$", "").replace('.', '/')
                        .replaceAll("\\[(\\d+)]", "/$1");
                if (error.getProperty() != null && !error.getProperty().isEmpty()) {
                    pointer = pointer + "/" + escape(error.getProperty()); // e.g. the unknown or missing property
                }
                problems.add(new ConfigProblem(file, line(lines, pointer), describe(pointer, error.getMessage())));
            }
            return new Result.Rejected(problems);
        }
        return semantics(file, tree, lines);
    }

    private Result semantics(Path file, JsonNode tree, Map<String, Integer> lines) {
        String id = tree.get("id").asText();
        String expectedName = id + ".yaml";
        if (!file.getFileName().toString().equals(expectedName) && !file.getFileName().toString().equals(id + ".yml")) {
            return rejected(file, line(lines, "/id"), "the id '" + id + "' must be the file's name (" + expectedName + ")");
        }
        Suite suite = Suite.valueOf(tree.get("suite").asText());
        Path certificateFile = certificates.resolve(tree.get("certificate").asText());
        X509Certificate certificate;
        try {
            certificate = PemFiles.readCertificate(certificateFile);
        } catch (RuntimeException | IOException e) {
            return rejected(file, line(lines, "/certificate"), "certificate " + certificateFile + " cannot be read as a PEM certificate");
        }
        if (Suite.ofKey(certificate.getPublicKey()).orElse(null) != suite) {
            return rejected(file, line(lines, "/certificate"), "certificate " + certificateFile + " is not a " + suite + " certificate");
        }
        String certified = AllianceProfile.nodeId(certificate);
        if (!id.equals(certified)) {
            return rejected(file, line(lines, "/certificate"), "certificate " + certificateFile + " is node " + certified + "'s, not " + id + "'s");
        }
        Optional<URI> endpoint = uri(tree.get("endpoint").asText());
        if (endpoint.isEmpty()) {
            return rejected(file, line(lines, "/endpoint"), "endpoint: " + tree.get("endpoint").asText() + " is not a URI");
        }
        JsonNode query = tree.path("may-start").path("query");
        Optional<PartnerGrant> grant = query.isMissingNode() ? Optional.empty() : Optional.of(grant(query));
        Set<Partner.ExchangeType> weSend = EnumSet.noneOf(Partner.ExchangeType.class);
        tree.get("we-send").forEach(t -> weSend.add(Partner.ExchangeType.of(t.asText()).orElseThrow()));
        Optional<Partner.Push> push = Optional.empty();
        JsonNode pushNode = tree.path("push");
        if (!pushNode.isMissingNode()) {
            Set<String> datasets = new LinkedHashSet<>();
            pushNode.get("datasets").forEach(d -> datasets.add(d.asText()));
            JsonNode retryNode = pushNode.path("delivery-retry");
            Partner.DeliveryRetry deliveryRetry = retryNode.isMissingNode() ? Partner.DeliveryRetry.DEFAULT
                    : new Partner.DeliveryRetry(retryNode.get("attempts").asInt(),
                            Duration.ofMillis(retryNode.get("first-backoff-ms").asLong()),
                            Duration.ofMillis(retryNode.get("max-backoff-ms").asLong()));
            push = Optional.of(new Partner.Push("pull".equals(pushNode.get("mode").asText()), Set.copyOf(datasets),
                    pushNode.has("deadline-days") ? Optional.of(pushNode.get("deadline-days").asInt()) : Optional.empty(),
                    pushNode.path("max-batch").asInt(Partner.Push.DEFAULT_MAX_BATCH),
                    Duration.ofMillis(pushNode.path("visibility-ms").asLong(Partner.Push.DEFAULT_VISIBILITY.toMillis())),
                    deliveryRetry));
        }
        Optional<Partner.PullFrom> pullFrom = Optional.empty();
        JsonNode pullNode = tree.path("pull-from");
        if (!pullNode.isMissingNode()) {
            Partner.Binding binding = Partner.Binding.valueOf(pullNode.get("binding").asText().toUpperCase(java.util.Locale.ROOT));
            if (binding == Partner.Binding.SOAP && !pullNode.has("soap-endpoint")) {
                return rejected(file, line(lines, "/pull-from"), "pull-from: binding soap needs the partner's soap-endpoint");
            }
            Optional<URI> soapEndpoint = pullNode.has("soap-endpoint") ? uri(pullNode.get("soap-endpoint").asText()) : Optional.empty();
            if (pullNode.has("soap-endpoint") && soapEndpoint.isEmpty()) {
                return rejected(file, line(lines, "/pull-from/soap-endpoint"), "pull-from.soap-endpoint: "
                        + pullNode.get("soap-endpoint").asText() + " is not a URI");
            }
            pullFrom = Optional.of(new Partner.PullFrom(binding, soapEndpoint,
                    pullNode.path("batch").asInt(500), Duration.ofMillis(pullNode.path("interval-ms").asLong(1000))));
        }
        Set<String> noticeKinds = new LinkedHashSet<>();
        tree.path("may-start").path("notice").path("kinds").forEach(k -> noticeKinds.add(k.asText()));
        JsonNode rate = tree.get("rate-limit");
        JsonNode timeouts = tree.get("timeouts");
        return new Result.Read(new Partner(id, tree.get("name").asText(), Partner.Level.of(tree.get("level").asText()),
                tree.get("enabled").asBoolean(), endpoint.get(), suite, certificate, grant, Set.copyOf(weSend),
                tree.path("may-start").has("publicity"), Set.copyOf(noticeKinds), push, pullFrom,
                new Partner.RateLimit(rate.get("per-second").asDouble(), rate.get("burst").asInt()),
                Duration.ofMillis(timeouts.get("connect-ms").asLong()), Duration.ofMillis(timeouts.get("answer-ms").asLong()), file));
    }

    private static PartnerGrant grant(JsonNode query) {
        Set<Classification> classes = EnumSet.noneOf(Classification.class);
        query.get("classes").forEach(c -> classes.add(Classification.valueOf(c.asText())));
        Set<String> datasets = new LinkedHashSet<>();
        query.path("datasets").forEach(d -> datasets.add(d.asText()));
        Map<String, String> agreements = new LinkedHashMap<>();
        query.path("sharing-agreements").fields().forEachRemaining(e -> agreements.put(e.getKey(), e.getValue().asText()));
        return new PartnerGrant(classes, datasets, agreements);
    }

    private static String describe(String pointer, String message) {
        String where = pointer.isEmpty() ? "the file" : pointer.substring(1).replace('/', '.');
        return where + ": " + message;
    }

    private static Result rejected(Path file, int line, String reason) {
        return new Result.Rejected(List.of(new ConfigProblem(file, line, reason)));
    }

    /** The line of a pointer, or of its nearest parent that has one (a missing property is reported at its object). */
    private static int line(Map<String, Integer> lines, String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** The line where each JSON pointer's value starts, from the YAML token stream. */
    static Map<String, Integer> lineOfEachPointer(String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> path = new ArrayDeque<>();     // pointer of each open container
        Deque<Integer> index = new ArrayDeque<>();   // next array index, or -1 in an object
        String field = null;
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    field = parser.currentName();
                    lines.put(path.peek() + "/" + escape(field), parser.currentTokenLocation().getLineNr());
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    path.pop();
                    index.pop();
                    continue;
                }
                String pointer;
                if (path.isEmpty()) {
                    pointer = "";
                } else if (index.peek() >= 0) {
                    int i = index.pop();
                    index.push(i + 1);
                    pointer = path.peek() + "/" + i;
                } else {
                    pointer = path.peek() + "/" + escape(field);
                }
                lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
                if (token == JsonToken.START_OBJECT) {
                    path.push(pointer);
                    index.push(-1);
                } else if (token == JsonToken.START_ARRAY) {
                    path.push(pointer);
                    index.push(0);
                }
            }
        }
        return lines;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static Schema loadSchema() {
        try (InputStream in = PartnerConfigReader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the routes jar");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An http(s) URI with a host, or none (the schema checks the scheme; a URI can still be malformed after it). */
    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
