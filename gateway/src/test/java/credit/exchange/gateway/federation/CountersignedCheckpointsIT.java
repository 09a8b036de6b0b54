package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partners witness Hangzhou's audit trail over real exchanges: Hangzhou's signed checkpoints go
 * to Huzhou (GM) and Jiaxing (an INTL partner, countersigning with its GM credential, the chain's
 * suite) in sealed envelopes; each countersigns and keeps what it witnessed; Hangzhou keeps the
 * countersignatures, and {@code audit verify} checks them.
 */
class CountersignedCheckpointsIT {

    /** How many rounds of countersigning and of checkpointing an idle node runs while its trail must stay as it is. */
    private static final int IDLE_ROUNDS = 10;

    @TempDir
    Path root;

    @Test
    void hangzhousCheckpoints_areCountersignedByItsRunningPartners_andVerify() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        List<Node> nodes = new ArrayList<>();
        NodeConfig hangzhou = fast(alliance.config(DemoAlliance.member("hangzhou")));
        try {
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(fast(alliance.config(DemoAlliance.member("huzhou")))));
            nodes.add(Node.start(fast(alliance.config(DemoAlliance.member("jiaxing")))));
            String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
            for (String uscc : new String[] {"91330100716105852F", "914403001922038216"}) {
                assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=" + uscc).statusCode());
            }
            TestNodes.await("countersignatures of Hangzhou's checkpoint from Huzhou and Jiaxing", Duration.ofSeconds(60),
                    () -> TestNodes.rows(hangzhou, "select distinct partner from audit_countersignature").containsAll(Set.of("huzhou", "jiaxing")));
            NodeConfig huzhou = fast(alliance.config(DemoAlliance.member("huzhou")));
            assertTrue(TestNodes.rows(huzhou, "select distinct partner from audit_witnessed").contains("hangzhou"), "Huzhou keeps what it witnessed");
            assertTrue(TestNodes.rows(huzhou, "select partner || ' ' || detail || ' ' || cardinality(message_ids) from audit_event"
                    + " where action = 'exchange.in'").contains("hangzhou checkpoint 2"), "each answered exchange is an event, with both message ids");
            // the countersignatures as the partners answered them: of docs/schemas/checkpoint.answer.schema.json
            for (String partner : List.of("huzhou", "jiaxing")) {
                assertTrue(AnswerSchemas.assertKeptAnswersValid(alliance.config(DemoAlliance.member(partner)), java.util.Map.of("hangzhou", hangzhou))
                        .contains("checkpoint-answer"), partner);
            }
            assertTrue(TestNodes.rows(hangzhou, "select action from audit_event").containsAll(Set.of("access", "config", "key")),
                    "the configuration and the credentials in force at start are events too");
            String keys = TestNodes.rows(hangzhou, "select detail from audit_event where action = 'key'").first();
            assertTrue(keys.matches("GM certificate serial [0-9a-f]+ \\(CN=hangzhou.*, valid until .*\\); INTL certificate serial .*;"
                    + " personal-ID protection keys created"), keys);
        } finally {
            nodes.forEach(Node::close);
        }
        Path file = root.resolve("hangzhou.properties");
        hangzhou.save(file);
        CliRun verified = CliRun.of("audit", "verify", "--config", file.toString());
        assertEquals(0, verified.exit(), verified.out());
        assertTrue(verified.out().matches("(?s).*countersigned by huzhou \\(\\d+\\), jiaxing \\(\\d+\\).*"), verified.out());

        // an evidence bundle of the whole day, verified offline with the alliance CA certificates only
        Path bundle = root.resolve("evidence.zip");
        CliRun exported = CliRun.of("audit", "export", "--config", file.toString(), "--from", Instant.now().minus(Duration.ofDays(1)).toString(),
                "--to", Instant.now().plus(Duration.ofHours(1)).toString(), "--partner", "huzhou", "--out", bundle.toString());
        assertEquals(0, exported.exit(), exported.out());
        String anchors = hangzhou.get("gateway.trust.anchors");
        CliRun intact = CliRun.of("audit", "verify-bundle", bundle.toString(), "--trust", anchors);
        assertEquals(0, intact.exit(), intact.out());
        assertTrue(intact.out().matches("(?s).*verifies: events 1–\\d+ of hangzhou's audit trail \\(SM3\\), [1-9]\\d* selected.*countersigned by"
                + " \\[huzhou, jiaxing\\].*"), intact.out());

        Path edited = rewriteEntry(bundle, "events.jsonl", text -> text.replaceFirst("\"actor\":\"anonymous\"", "\"actor\":\"someone\""));
        CliRun modified = CliRun.of("audit", "verify-bundle", edited.toString(), "--trust", anchors);
        assertEquals(1, modified.exit(), modified.out());
        assertTrue(modified.out().matches("(?s).*does NOT verify: E_SIGNATURE_INVALID: event \\d+: MODIFIED.*"), modified.out());

        Path truncated = root.resolve("truncated.zip");
        byte[] whole = Files.readAllBytes(bundle);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun cut = CliRun.of("audit", "verify-bundle", truncated.toString(), "--trust", anchors);
        assertEquals(1, cut.exit(), cut.out());
        assertTrue(cut.out().contains("does NOT verify: E_MALFORMED"), cut.out());

        Path otherCa = root.resolve("other-ca.pem");
        PemFiles.writeCertificate(otherCa, AllianceCa.init(Suite.GM, "Another Root", Duration.ofDays(30)).certificate());
        CliRun unknown = CliRun.of("audit", "verify-bundle", bundle.toString(), "--trust", otherCa.toString());
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("does NOT verify: E_CERT_UNTRUSTED"), unknown.out());
    }

    /**
     * The fixed point: countersigning audits its exchanges, but they alone never make a checkpoint
     * due, so once every checkpoint of a real event is countersigned an idle alliance's trails stop
     * growing. Three nodes, checkpoints and countersigning every second; after the steady state,
     * no node's trail gains an event over the next ten countersigning and checkpoint rounds of each
     * node. Progress is not logged above DEBUG;
     * a partner that stops countersigning shows on readiness (a warning: the node stays ready) and
     * in the metrics.
     */
    @Test
    void anIdleAlliancesTrails_doNotGrow_onceEveryCheckpointIsCountersigned() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        List<String> running = List.of("hangzhou", "huzhou", "jiaxing");
        List<NodeConfig> configs = new ArrayList<>();
        for (String id : running) {
            NodeConfig config = alliance.config(DemoAlliance.member(id)).with("gateway.audit.checkpoint-seconds", "1")
                    .with("gateway.audit.countersign-seconds", "1");
            onlyWith(Path.of(config.get("gateway.partners.dir")), running);
            configs.add(config);
        }
        ch.qos.logback.classic.Logger rootLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        rootLogger.addAppender(logged);
        List<Node> nodes = new ArrayList<>();
        try {
            for (NodeConfig config : configs) {
                nodes.add(Node.start(config));
            }
            String api = alliance.apiUrl(DemoAlliance.member("hangzhou"));
            assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=91330100716105852F").statusCode());

            // steady state: every checkpoint countersigned by both running partners, and no new event over two
            // countersigning and two checkpoint rounds of every node
            long[] previous = counts(configs);
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
            while (true) {
                for (String id : running) {
                    for (String route : List.of("audit-countersign", "audit-chain")) {
                        TestNodes.awaitRouteRuns(alliance.apiUrl(DemoAlliance.member(id)), route, 2);
                    }
                }
                long[] now = counts(configs);
                if (java.util.Arrays.equals(now, previous) && allCountersigned(configs, running)) {
                    break;
                }
                assertTrue(Instant.now().isBefore(giveUp), "every node's checkpoints countersigned and its trail at rest within 90 s");
                previous = now;
            }
            assertTrue(Long.parseLong(TestNodes.rows(configs.get(0), "select count(*) from audit_countersignature").first()) >= 2,
                    "Hangzhou's checkpoint of the query is countersigned by Huzhou and Jiaxing");
            // each node's next ten countersigning rounds and ten checkpoint rounds (counted by Camel's route meter) add nothing
            for (String id : running) {
                for (String route : List.of("audit-countersign", "audit-chain")) {
                    TestNodes.awaitRouteRuns(alliance.apiUrl(DemoAlliance.member(id)), route, IDLE_ROUNDS);
                    long[] now = counts(configs);
                    assertTrue(java.util.Arrays.equals(now, previous), "an idle trail grew: " + java.util.Arrays.toString(previous) + " → "
                            + java.util.Arrays.toString(now) + "; hangzhou's newest events: " + TestNodes.rows(configs.get(0),
                            "select seq || ' ' || action || ' ' || coalesce(detail, '') from audit_event order by seq desc limit 5"));
                }
            }
            List<String> noise = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("checkpoint signed") || m.contains("countersignature(s)")).toList();
            assertTrue(noise.isEmpty(), "checkpoint and countersign progress is DEBUG: " + noise);

            // Jiaxing stops countersigning: Hangzhou's next checkpoint waits for it, on readiness (a warning) and in the metrics
            nodes.remove(2).close();
            assertEquals(200, TestNodes.get(api + "/api/v1/records?uscc=914403001922038216").statusCode());
            TestNodes.await("readiness warning of Jiaxing's missing countersignature", Duration.ofSeconds(60), () -> {
                try {
                    var ready = TestNodes.get(api + "/health/ready");
                    return ready.statusCode() == 200 && ready.body().matches("(?s).*\"countersignatures\" ?: ?\"WARN jiaxing: [1-9]\\d*"
                            + " checkpoint\\(s\\) awaiting countersignature since .*");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String metrics = TestNodes.operatorGet(api + "/metrics").body();
            assertTrue(metrics.matches("(?s).*gateway_audit_checkpoints_awaiting_countersignature\\{partner=\"jiaxing\",?\\} [1-9].*"), metrics);
            assertTrue(metrics.matches("(?s).*gateway_audit_checkpoints_awaiting_countersignature\\{partner=\"huzhou\",?\\} 0\\.0.*"), metrics);
            assertTrue(metrics.matches("(?s).*gateway_audit_countersignature_age_seconds\\{partner=\"jiaxing\",?\\} \\d.*"), metrics);
        } finally {
            rootLogger.detachAppender(logged);
            nodes.forEach(Node::close);
        }
    }

    /** Each node's count of audit events. */
    private static long[] counts(List<NodeConfig> configs) {
        return configs.stream().mapToLong(c -> Long.parseLong(TestNodes.rows(c, "select count(*) from audit_event").first())).toArray();
    }

    /** Whether nothing is pending on any node and each node's checkpoints are countersigned by every other running node. */
    private static boolean allCountersigned(List<NodeConfig> configs, List<String> running) {
        for (NodeConfig c : configs) {
            long partners = running.size() - 1;
            String missing = TestNodes.rows(c, "select (select count(*) from audit_event where seq is null)"
                    + " + (select count(*) from audit_checkpoint k where (select count(*) from audit_countersignature s where s.seq = k.seq) < "
                    + partners + ")").first();
            if (!"0".equals(missing)) {
                return false;
            }
        }
        return true;
    }

    /** Disables, in a node's partner files, the partners that are not running (their exchanges would fail and be audited). */
    private static void onlyWith(Path partnersDir, List<String> running) throws java.io.IOException {
        try (var files = Files.list(partnersDir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String id = f.getFileName().toString().replace(".yaml", "");
                if (!running.contains(id)) {
                    Files.writeString(f, Files.readString(f).replace("enabled: true", "enabled: false"));
                }
            }
        }
    }

    /** A copy of a bundle with one file edited by hand. */
    private Path rewriteEntry(Path bundle, String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path copy = root.resolve("edited-" + bundle.getFileName());
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(bundle));
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals(name)) {
                    content = edit.apply(new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        return copy;
    }


    /** Checkpoints after a few events, countersignatures asked for every second. */
    private static NodeConfig fast(NodeConfig config) {
        return config.with("gateway.audit.checkpoint-events", "4").with("gateway.audit.countersign-seconds", "1");
    }
}
