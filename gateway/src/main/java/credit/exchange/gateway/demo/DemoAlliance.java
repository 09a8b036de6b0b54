package credit.exchange.gateway.demo;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo alliance on loopback: Hangzhou, Huzhou, Jiaxing, Shaoxing, the provincial and the
 * national platform, each a real node with its own keys, data directory, embedded database and
 * broker. Everything lives under one directory and is made on first use with the PKI code the
 * {@code pki} commands run: an alliance CA per suite, each node's GM and INTL credentials, the
 * partners' public certificates, and each node's partner configuration. Hangzhou uses the
 * shipped partner-configs/ when the ports are the default ones (those files name them).
 *
 * <p>A pair of nodes exchanges in the GM suite, except with Jiaxing, which the demo makes an
 * INTL partner, as the shipped files say.
 */
public final class DemoAlliance {

    /** One member of the demo alliance. */
    public record Member(String id, String name, String level) {
    }

    public static final List<Member> MEMBERS = List.of(
            new Member("hangzhou", "Hangzhou public credit platform (杭州市公共信用信息平台)", "alliance-city"),
            new Member("huzhou", "Huzhou public credit platform (湖州市公共信用信息平台)", "alliance-city"),
            new Member("jiaxing", "Jiaxing public credit platform (嘉兴市公共信用信息平台)", "alliance-city"),
            new Member("shaoxing", "Shaoxing public credit platform (绍兴市公共信用信息平台)", "alliance-city"),
            new Member("zhejiang", "Credit Zhejiang provincial platform (信用浙江)", "provincial"),
            new Member("national", "National credit information sharing platform (全国信用信息共享平台)", "national"));

    /** Partners the shipped files name that the demo does not run (Shanghai ships disabled): certificate only. */
    private static final List<String> CERTIFICATE_ONLY = List.of("shanghai");

    /** The port of Hangzhou's exchange listener in the shipped partner files' world; the others follow it. */
    public static final int DEFAULT_BASE_PORT = 18440;
    private static final int HTTP_OFFSET = 100;
    private static final int SOAP_OFFSET = 200;
    private static final int CRL_OFFSET = 300;
    /** The member that runs the alliance CAs: the CRL distribution point of every demo certificate is its CRL port. */
    public static final String CA_OPERATOR = "hangzhou";
    private static final Duration VALIDITY = Duration.ofDays(365);

    private final Path root;
    private final int basePort;
    private final Path shippedPartnerConfigs;
    private String realm = "";

    private DemoAlliance(Path root, int basePort, Path shippedPartnerConfigs) {
        this.root = root;
        this.basePort = basePort;
        this.shippedPartnerConfigs = shippedPartnerConfigs;
    }

    /** Makes what is missing under {@code root} (keys, certificates, CRLs, partner files); keeps what exists. */
    public static DemoAlliance prepare(Path root, int basePort, Path shippedPartnerConfigs) throws IOException {
        DemoAlliance alliance = new DemoAlliance(root.toAbsolutePath().normalize(), basePort,
                shippedPartnerConfigs == null ? null : shippedPartnerConfigs.toAbsolutePath().normalize());
        alliance.makePki();
        DemoPartnerConfigs partnerConfigs = new DemoPartnerConfigs(alliance, basePort);
        for (Member m : MEMBERS) {
            partnerConfigs.write(m);
        }
        return alliance;
    }

    /** The suite two members exchange in. */
    public static Suite suiteBetween(String a, String b) {
        return a.equals("jiaxing") || b.equals("jiaxing") ? Suite.INTL : Suite.GM;
    }

    /**
     * A base port with every member's exchange, API, SOAP and CRL port free (a random range, checked),
     * below Linux's ephemeral range (32768 and up), so that no outgoing connection of the test
     * run takes one of them between the check and the nodes' start.
     */
    public static int freeBasePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(32_768 - 20_000 - CRL_OFFSET - MEMBERS.size());
            boolean free = true;
            for (int i = 0; i < MEMBERS.size() && free; i++) {
                free = isFree(base + i) && isFree(base + HTTP_OFFSET + i) && isFree(base + SOAP_OFFSET + i) && isFree(base + CRL_OFFSET + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free range of ports for the demo alliance");
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public NodeConfig config(Member m) {
        int index = MEMBERS.indexOf(m);
        Map<String, String> values = new HashMap<>();
        values.put("gateway.node.id", m.id());
        values.put("gateway.node.name", m.name());
        values.put("gateway.data-dir", root.resolve("data").toString());
        values.put("gateway.http.port", Integer.toString(basePort + HTTP_OFFSET + index));
        values.put("gateway.exchange.port", Integer.toString(basePort + index));
        values.put("gateway.soap.port", Integer.toString(basePort + SOAP_OFFSET + index));
        values.put("gateway.crl.port", Integer.toString(basePort + CRL_OFFSET + index));
        for (Suite suite : Suite.values()) {
            String s = suite.name().toLowerCase(Locale.ROOT);
            values.put("gateway.credentials." + s + ".key", credentials(m.id(), suite).resolve(m.id() + ".key.pem").toString());
            values.put("gateway.credentials." + s + ".cert", credentials(m.id(), suite).resolve(m.id() + ".cert.pem").toString());
        }
        values.put("gateway.credentials.passphrase", "file:" + passphraseFile());
        values.put("gateway.trust.anchors", ca(Suite.GM).resolve("ca.cert.pem") + "," + ca(Suite.INTL).resolve("ca.cert.pem"));
        values.put("gateway.trust.crls", ca(Suite.GM).resolve("crl.pem") + "," + ca(Suite.INTL).resolve("crl.pem"));
        values.put("gateway.partners.dir", partnerConfigs(m).toString());
        values.put("gateway.partners.certificates", root.resolve("certs").toString());
        values.put("gateway.auth.issuer", realm);
        // the demo's trail is short: its head is signed every few seconds and countersigned at once
        values.put("gateway.audit.checkpoint-seconds", "3");
        values.put("gateway.audit.countersign-seconds", "2");
        return NodeConfig.of(values);
    }

    /**
     * Every member accepts the tokens of this Keycloak realm (its issuer URL) instead of running
     * its own development issuer.
     */
    public DemoAlliance withRealm(String issuer) {
        this.realm = issuer == null ? "" : issuer;
        return this;
    }

    /** Whether the members accept a Keycloak realm's tokens (else each runs its development issuer). */
    public boolean hasRealm() {
        return !realm.isEmpty();
    }

    /** Starts a member; it leaves its configuration as {@link #configFile}, which the CLI reads. */
    public Node start(Member m) throws Exception {
        return Node.start(config(m));
    }

    /**
     * The configuration a member runs with, as it leaves it in its data directory at start
     * ({@link NodeConfig#inForceFile()}): {@code gatewayctl … --config FILE}, or {@code --data-dir
     * <root>/data} for Hangzhou.
     */
    public Path configFile(Member m) {
        return config(m).inForceFile();
    }

    /**
     * Claims the demo's directory for one run and clears what an earlier run left (the members'
     * databases, brokers and inboxes, the seeding markers, the log); keys, certificates, CRLs and
     * the generated seed files are kept. Every run thus starts from the same state. Refused at once
     * if another demo holds the directory. The claim lasts until the returned handle is closed
     * (or the JVM ends).
     */
    public AutoCloseable claimFreshState() throws IOException {
        java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(root.resolve("demo.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held;
        try {
            held = lock.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException inThisJvm) {
            held = null;
        }
        if (held == null) {
            lock.close();
            throw new credit.exchange.security.CodedException(credit.exchange.security.ErrorCode.E_UNAVAILABLE,
                    "a demo is already running from " + root + "; stop it (Ctrl-C) first, or give this one another --dir");
        }
        deleteTree(root.resolve("data"));
        for (String left : List.of("seeded", "seeded-classes-b-c", "demo.log")) {
            Files.deleteIfExists(root.resolve(left));
        }
        return lock::close;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public String apiUrl(Member m) {
        return "http://127.0.0.1:" + (basePort + HTTP_OFFSET + MEMBERS.indexOf(m));
    }

    public String soapUrl(Member m) {
        return "https://127.0.0.1:" + (basePort + SOAP_OFFSET + MEMBERS.indexOf(m)) + "/soap/province";
    }

    /** Where a member serves the alliance CRL of a suite (its CRL port), as the demo certificates name it for the CA operator. */
    public String crlUrl(Member m, Suite suite) {
        return "http://127.0.0.1:" + (basePort + CRL_OFFSET + MEMBERS.indexOf(m)) + "/crl/" + suite.name().toLowerCase(Locale.ROOT) + ".crl";
    }

    public String exchangeUrl(Member m) {
        return "https://127.0.0.1:" + (basePort + MEMBERS.indexOf(m)) + "/exchange";
    }

    /**
     * A token ("Bearer …") from the development issuer of the member at {@code api} (a member
     * without a realm), for a user with these comma-separated roles and, if not null, department.
     */
    public static String devToken(String api, String user, String roles, String department) throws java.io.IOException,
            InterruptedException {
        String form = "username=" + user + "&roles=" + roles + (department == null ? "" : "&department=" + department);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + "/dev-issuer/protocol/openid-connect/token")).timeout(java.time.Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the development issuer at " + api + " gave no token: HTTP " + r.statusCode());
        }
        return "Bearer " + credit.exchange.routes.api.Json.mapper().readTree(r.body()).path("access_token").asText();
    }

    public static Member member(String id) {
        return MEMBERS.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    /** A member's credential of a suite, loaded with the demo passphrase. */
    public NodeCredentials credential(Member m, Suite suite) throws IOException {
        Path dir = credentials(m.id(), suite);
        return NodeCredentials.load(dir.resolve(m.id() + ".key.pem"), dir.resolve(m.id() + ".cert.pem"), passphrase());
    }

    public Path root() {
        return root;
    }

    /** A load driver's simulated partner: its id and its credential in each suite (INTL is its TLS credential). */
    public record LoadPartner(String id, Map<Suite, NodeCredentials> credentials) {
    }

    /**
     * Simulated partners for a load driver: {@code n} nodes {@code load-01}… certified by the
     * alliance CAs (made once, kept under the root), each in a partner file at {@code target} that
     * lets it query class A in {@code suite}, with no rate limit. Written before the target starts.
     */
    public List<LoadPartner> loadPartners(Member target, int n, Suite suite) throws IOException {
        List<LoadPartner> out = new ArrayList<>();
        Map<Suite, AllianceCa> cas = new EnumMap<>(Suite.class);
        for (Suite s : Suite.values()) {
            cas.put(s, AllianceCa.load(ca(s), passphrase()));
        }
        for (int i = 1; i <= n; i++) {
            String id = String.format(Locale.ROOT, "load-%02d", i);
            Map<Suite, NodeCredentials> credentials = new EnumMap<>(Suite.class);
            for (Suite s : Suite.values()) {
                Path dir = credentials(id, s);
                if (!Files.exists(dir.resolve(id + ".cert.pem"))) {
                    cas.get(s).issueNode(id, VALIDITY).save(dir.resolve(id + ".key.pem"), dir.resolve(id + ".cert.pem"),
                            passphrase());
                }
                credentials.put(s, NodeCredentials.load(dir.resolve(id + ".key.pem"), dir.resolve(id + ".cert.pem"), passphrase()));
                PemFiles.writeCertificate(root.resolve("certs").resolve(id + "." + s.name().toLowerCase(Locale.ROOT) + ".pem"),
                        credentials.get(s).certificate());
            }
            Files.writeString(root.resolve(target.id()).resolve("partner-configs").resolve(id + ".yaml"), """
                    # a load driver's simulated partner, written by ./gatewayctl bench exchange
                    id: %s
                    name: Load partner %d
                    level: alliance-city
                    enabled: true
                    suite: %s
                    endpoint: https://127.0.0.1:1
                    certificate: %s.%s.pem
                    may-start:
                      query:
                        classes: [A]
                    we-send: []
                    rate-limit: {per-second: 100000, burst: 100000}
                    timeouts: {connect-ms: 1000, answer-ms: 4000}
                    retry: {attempts: 1, backoff-ms: 200}
                    """.formatted(id, i, suite, id, suite.name().toLowerCase(Locale.ROOT)), StandardCharsets.UTF_8);
            out.add(new LoadPartner(id, credentials));
        }
        return out;
    }

    private Path partnerConfigs(Member m) {
        return m.id().equals("hangzhou") && basePort == DEFAULT_BASE_PORT && shippedPartnerConfigs != null
                && Files.isDirectory(shippedPartnerConfigs) ? shippedPartnerConfigs : root.resolve(m.id()).resolve("partner-configs");
    }

    private void makePki() throws IOException {
        Files.createDirectories(root);
        if (!Files.exists(passphraseFile())) {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            Files.writeString(passphraseFile(), HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(passphraseFile(), PosixFilePermissions.fromString("rw-------"));
        }
        for (Suite suite : Suite.values()) {
            Path caDir = ca(suite);
            AllianceCa ca = Files.exists(caDir.resolve("ca.cert.pem")) ? AllianceCa.load(caDir, passphrase())
                    : AllianceCa.init(suite, "Demo Alliance " + suite + " Root CA", VALIDITY.multipliedBy(5));
            ca.publishCrlAt(List.of(java.net.URI.create(crlUrl(member(CA_OPERATOR), suite))));
            for (Member m : MEMBERS) {
                Path dir = credentials(m.id(), suite);
                if (!Files.exists(dir.resolve(m.id() + ".cert.pem"))) {
                    NodeCredentials c = ca.issueNode(m.id(), VALIDITY);
                    c.save(dir.resolve(m.id() + ".key.pem"), dir.resolve(m.id() + ".cert.pem"), passphrase());
                }
                Path published = root.resolve("certs").resolve(m.id() + "." + suite.name().toLowerCase(Locale.ROOT) + ".pem");
                if (!Files.exists(published)) {
                    Files.createDirectories(published.getParent());
                    PemFiles.writeCertificate(published, PemFiles.readCertificate(dir.resolve(m.id() + ".cert.pem")));
                }
            }
            for (String id : CERTIFICATE_ONLY) {
                Path published = root.resolve("certs").resolve(id + "." + suite.name().toLowerCase(Locale.ROOT) + ".pem");
                if (!Files.exists(published)) {
                    PemFiles.writeCertificate(published, ca.issueNode(id, VALIDITY).certificate());
                }
            }
            ca.crl(Duration.ofDays(7)); // a fresh CRL at every start: validation is fail-closed without a current one
            ca.save(caDir, passphrase());
        }
    }

    private Path ca(Suite suite) {
        return root.resolve("pki").resolve(suite.name().toLowerCase(Locale.ROOT) + "-ca");
    }

    private Path credentials(String nodeId, Suite suite) {
        return root.resolve(nodeId).resolve("credentials").resolve(suite.name().toLowerCase(Locale.ROOT));
    }

    private Path passphraseFile() {
        return root.resolve("demo-passphrase");
    }

    private char[] passphrase() {
        return Passphrases.fromFile(passphraseFile());
    }
}
