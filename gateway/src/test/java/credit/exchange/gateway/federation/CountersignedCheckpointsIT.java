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
