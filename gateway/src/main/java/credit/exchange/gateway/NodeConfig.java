package credit.exchange.gateway;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A node's configuration. Sources, later ones winning: the defaults shipped in the jar
 * ({@code gateway-defaults.properties}), the file named by {@code --config} or
 * {@code GATEWAY_CONFIG}, environment variables ({@code gateway.http.port} is
 * {@code GATEWAY_HTTP_PORT}), and Java system properties. docs/operations.md lists every key.
 */
public final class NodeConfig {

    private final Properties values;

    private NodeConfig(Properties values) {
        this.values = values;
    }

    public static NodeConfig load(Path file) {
        return load(file, System.getenv(), System.getProperties());
    }

    static NodeConfig load(Path file, Map<String, String> env, Properties system) {
        Properties p = defaults();
        Path configured = file != null ? file : env.containsKey("GATEWAY_CONFIG") ? Path.of(env.get("GATEWAY_CONFIG")) : null;
        if (configured != null) {
            try (Reader r = Files.newBufferedReader(configured, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new CodedException(ErrorCode.E_CONFIG_INVALID, "cannot read the configuration file " + configured + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
            }
        }
        for (String key : p.stringPropertyNames()) {
            String envKey = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (env.containsKey(envKey)) {
                p.setProperty(key, env.get(envKey));
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("gateway.")) {
                p.setProperty(key, system.getProperty(key));
            }
        }
        return new NodeConfig(p);
    }

    private static Properties defaults() {
        Properties p = new Properties();
        try (InputStream defaults = NodeConfig.class.getResourceAsStream("/gateway-defaults.properties")) {
            p.load(new java.io.InputStreamReader(defaults, StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("gateway-defaults.properties is missing from the gateway jar", e);
        }
        return p;
    }

    /** The shipped defaults with the given values on top; environment and system properties are ignored. */
    public static NodeConfig of(Map<String, String> values) {
        NodeConfig config = load(null, Map.of(), new Properties());
        for (var e : values.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    /** A copy with one value replaced (command-line options use this). */
    public NodeConfig with(String key, String value) {
        Properties p = new Properties();
        p.putAll(values);
        p.setProperty(key, value);
        return new NodeConfig(p);
    }

    /** Writes every value to a properties file that {@code --config} reads back (a node started in another process). */
    public void save(Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            values.store(out, "node " + nodeId());
        }
    }

    /** Where a running node leaves its configuration for the CLI on its host: {@code <node dir>/node.properties}. */
    public Path inForceFile() {
        return nodeDir().resolve("node.properties");
    }

    /**
     * Writes the configuration in force to {@link #inForceFile()}, so that {@code gatewayctl} pointed
     * at this node's data ({@code --data-dir}, {@code --node}) acts with the node's own trust
     * anchors, CRLs, credentials and audit chain instead of the shipped defaults. Secrets (keys
     * ending in {@code password} or {@code secret}) are left out; passphrases are only ever named
     * by their source (env: or file:). Readable by the node's account only where the file system allows.
     */
    public void saveInForce() throws IOException {
        Properties p = new Properties();
        for (String key : values.stringPropertyNames()) {
            if (!key.endsWith("password") && !key.endsWith("secret") && !key.startsWith("gateway.fault.")) {
                p.setProperty(key, values.getProperty(key));
            }
        }
        p.setProperty("gateway.data-dir", nodeDir().getParent().toString()); // the CLI may run from another directory
        Path file = inForceFile();
        Path written = Files.createTempFile(file.getParent(), "node", ".properties");
        try {
            try {
                Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's own access rules apply
            }
            try (var out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
                p.store(out, "the configuration node " + nodeId() + " runs with, written at its start for gatewayctl (secrets left out)");
            }
            Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    public String get(String key) {
        String v = values.getProperty(key);
        return v == null ? "" : v.strip();
    }

    /**
     * The hash chain of this node's audit trail: SM3 on a GM node, SHA-256 on an INTL node
     * ({@code gateway.audit.suite}; empty: GM, unless the node holds only an INTL credential).
     */
    public credit.exchange.security.audit.AuditChain auditChain() {
        String suite = get("gateway.audit.suite");
        if (suite.isEmpty()) {
            suite = get("gateway.credentials.gm.cert").isEmpty() && !get("gateway.credentials.intl.cert").isEmpty() ? "INTL" : "GM";
        }
        try {
            return credit.exchange.security.audit.AuditChain.of(credit.exchange.security.Suite.valueOf(suite.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw invalid("gateway.audit.suite", "must be GM, INTL or empty", suite);
        }
    }

    /** A comma-separated list of files; empty when the key is. */
    public java.util.List<Path> paths(String key) {
        String v = get(key);
        return v.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    /** Every key that starts with the prefix, by what follows it, with its value. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String key : values.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                out.put(key.substring(prefix.length()), get(key));
            }
        }
        return out;
    }

    public int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number", v);
        }
    }

    /** A whole number from {@code min} up. */
    public int whole(String key, int min) {
        int v = getInt(key);
        if (v < min) {
            throw invalid(key, "must be at least " + min, get(key));
        }
        return v;
    }

    /** A TCP port; 0 where the key allows "not served" or "pick a free one". */
    public int port(String key) {
        int v = getInt(key);
        if (v < 0 || v > 65_535) {
            throw invalid(key, "must be a port from 0 to 65535", get(key));
        }
        return v;
    }

    /** A duration in {@code unit}s, from {@code min} up. */
    public java.time.Duration duration(String key, java.time.temporal.ChronoUnit unit, int min) {
        return java.time.Duration.of(whole(key, min), unit);
    }

    /** {@code true} or {@code false}, nothing else (a typo must not read as false). */
    public boolean flag(String key) {
        String v = get(key);
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, "must be true or false", v);
    }

    /** The refusal of a malformed value: its key, what it must be, and what it is. */
    public static CodedException invalid(String key, String must, String value) {
        return new CodedException(ErrorCode.E_CONFIG_INVALID, "configuration " + key + " " + must + ", not '" + value + "'");
    }

    /**
     * Refuses a {@code gateway.*} key the node does not know, by its name: a typo in a properties
     * file, an environment variable or a {@code -D} option must not be silently ignored. Known are
     * the keys of the shipped defaults and the open families {@code gateway.disclosure.<dataset>}
     * and {@code gateway.fault.*} (the crash-test hook, docs/RELIABILITY.md).
     */
    public void refuseUnknownKeys() {
        Properties defaults = defaults();
        List<String> unknown = new ArrayList<>();
        for (String key : values.stringPropertyNames()) {
            if (key.startsWith("gateway.") && !defaults.containsKey(key) && OPEN_FAMILIES.stream().noneMatch(key::startsWith)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            java.util.Collections.sort(unknown);
            throw new CodedException(ErrorCode.E_CONFIG_INVALID, "unknown configuration key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (a typo? docs/operations.md lists every key)");
        }
    }

    private static final List<String> OPEN_FAMILIES = List.of("gateway.disclosure.", "gateway.fault.");

    public String nodeId() {
        return get("gateway.node.id");
    }

    /** The node's own data directory: {@code <gateway.data-dir>/<node id>}. */
    public Path nodeDir() {
        return Path.of(get("gateway.data-dir")).resolve(nodeId()).toAbsolutePath().normalize();
    }

    public boolean embeddedDatabase() {
        return get("gateway.database.url").isEmpty();
    }

    public Path personalIdKeyFile() {
        String v = get("gateway.keys.personal-id");
        return v.isEmpty() ? nodeDir().resolve("keys/personal-id.keys") : Path.of(v);
    }

    /** The metrics scrape token's file ({@code gateway.metrics.token-file}; default under the node's keys). */
    public Path metricsTokenFile() {
        String v = get("gateway.metrics.token-file");
        return v.isEmpty() ? nodeDir().resolve("keys/metrics.token") : Path.of(v);
    }

    /** The alliance CRLs (gateway.trust.crls) as one PEM text, as evidence bundles carry them. */
    public String crlsPem() throws java.io.IOException {
        StringBuilder pem = new StringBuilder();
        for (Path f : paths("gateway.trust.crls")) {
            pem.append(java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII));
        }
        return pem.toString();
    }

    public Path inbox() {
        String v = get("gateway.inbox");
        return v.isEmpty() ? nodeDir().resolve("inbox") : Path.of(v);
    }
}
