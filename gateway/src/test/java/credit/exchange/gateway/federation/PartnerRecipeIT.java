package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock-openssl partner recipe (docs/partner-recipe/query-and-pull.sh, issue 20) run against a
 * real node, so that the recipe, and the parts of docs/protocol.md it proves, cannot rot: Lishui,
 * a partner another vendor built, holds an INTL certificate of the alliance CA and is allowed by
 * Hangzhou's partner file to query and to pull; the script queries a subject Hangzhou holds
 * records of, pulls what Hangzhou's outbox holds for Lishui and acknowledges it with its own
 * signed receipt, which Hangzhou keeps. Misused, it stops at the first failed step with the node's
 * code: sealed to another node's certificate, or with its signed attributes out of DER order.
 */
class PartnerRecipeIT {

    private static final Path SCRIPT = Path.of("..", "docs", "partner-recipe", "query-and-pull.sh").toAbsolutePath().normalize();

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node hangzhou;
    static NodeConfig hangzhouConfig;
    static Path lishui;
    static String uscc;
    static int stored;

    @BeforeAll
    static void startHangzhou() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        char[] passphrase = Passphrases.fromFile(root.resolve("demo-passphrase"));
        lishui = root.resolve("lishui");
        NodeCredentials credential = AllianceCa.load(root.resolve("pki").resolve("intl-ca"), passphrase).issueNode("lishui", Duration.ofDays(1));
        credential.save(lishui.resolve("lishui.key.pem"), lishui.resolve("lishui.cert.pem"), passphrase);
        PemFiles.writeCertificate(root.resolve("certs").resolve("lishui.intl.pem"), credential.certificate());
        Files.writeString(root.resolve("hangzhou").resolve("partner-configs").resolve("lishui.yaml"), """
                # a partner built by another vendor from docs/protocol.md (the openssl recipe)
                id: lishui
                name: Lishui public credit platform (丽水市公共信用信息平台)
                level: alliance-city
                enabled: true
                suite: INTL
                endpoint: https://127.0.0.1:1
                certificate: lishui.intl.pem
                may-start:
                  query:
                    classes: [A]
                we-send: []
                rate-limit: {per-second: 50, burst: 100}
                timeouts: {connect-ms: 1000, answer-ms: 4000}
                retry: {attempts: 1, backoff-ms: 200}
                push: {mode: pull, datasets: [licensing], max-batch: 1000, visibility-ms: 60000}
                """, StandardCharsets.UTF_8);
        DemoAlliance.Member member = DemoAlliance.member("hangzhou");
        hangzhouConfig = alliance.config(member);
        hangzhou = alliance.start(member);
        assertEquals(200, TestNodes.get(alliance.apiUrl(member) + "/health/ready").statusCode());

        Path seed = root.resolve("seed");
        new SeedGenerator(20, LocalDate.now()).writeDataSet(10, seed);
        var imported = TestNodes.operatorPost(alliance.apiUrl(member) + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(seed.resolve("licensing.csv")));
        assertEquals(200, imported.statusCode(), imported.body());
        stored = Json.mapper().readTree(imported.body()).path("stored").asInt();
        assertTrue(stored > 0, imported.body());
        uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv")));
    }

    @AfterAll
    static void stop() {
        if (hangzhou != null) {
            hangzhou.close();
        }
    }

    @Test
    void recipe_queriesPullsAndAcknowledges_withStockOpensslAndCurl_andTheNodeKeepsItsReceipt() throws Exception {
        Path out = root.resolve("recipe-out");

        String[] run = recipe(root.resolve("certs").resolve("hangzhou.intl.pem"), out);

        assertEquals("0", run[0], run[1]);
        List<String> steps = new ArrayList<>();
        for (String type : List.of("query", "pull", "acknowledge")) {
            for (String step : List.of("seal", "send", "answer", "receipt", "result")) {
                steps.add(type + " " + step);
            }
        }
        assertEquals(steps, run[1].lines().filter(l -> l.startsWith("ok ")).map(l -> String.join(" ", List.of(l.split(" +")).subList(1, 3))).toList(), run[1]);
        assertTrue(Pattern.compile("(?m)^ok   query result +ANSWERED, [1-9]\\d* records of " + uscc + "$").matcher(run[1]).find(), run[1]);
        assertTrue(run[1].contains("hangzhou ACCEPTED at "), run[1]);
        Matcher pulled = Pattern.compile("(?m)^ok   pull result +(\\d+) deliveries$").matcher(run[1]);
        assertTrue(pulled.find() && Integer.parseInt(pulled.group(1)) > 0, run[1]);
        int n = Integer.parseInt(pulled.group(1));
        assertTrue(Pattern.compile("(?m)^ok   acknowledge result +" + n + " deliveries acknowledged$").matcher(run[1]).find(), run[1]);

        // at the node: the deliveries handed out are ACKNOWLEDGED, and the partner's own receipt of the batch is kept
        assertEquals(String.valueOf(n), TestNodes.rows(hangzhouConfig, "select count(*) from outbox where kind = 'PUBLICITY' and destination = 'lishui'"
                + " and state = 'ACKNOWLEDGED'").first());
        var kept = TestNodes.rows(hangzhouConfig, "select translate(encode(receipt, 'base64'), E'\\n', '')"
                + " from pull_receipt where destination = 'lishui'");
        assertEquals(1, kept.size(), kept.toString());
        assertArrayEquals(Files.readAllBytes(out.resolve("pull.our-receipt.der")), Base64.getDecoder().decode(kept.first()));
    }

    @Test
    void recipe_sealingToAnotherNodesCertificate_failsAtTheSendStep_withTheNodesCode() throws Exception {
        String[] run = recipe(root.resolve("certs").resolve("huzhou.intl.pem"), root.resolve("recipe-misaddressed"));

        assertEquals("1", run[0], run[1]);
        assertTrue(run[1].contains("ok   query seal "), run[1]);
        assertTrue(Pattern.compile("(?m)^FAIL query send +HTTP 400 E_NOT_RECIPIENT: .+$").matcher(run[1]).find(), run[1]);
        assertTrue(run[1].lines().noneMatch(l -> l.startsWith("ok   query send")), "nothing after the first failure: " + run[1]);
    }

    /**
     * protocol.md §2: the signed attributes are a DER SET OF, sorted by their encodings. The same
     * recipe with its attributes left in the order they were made: stock openssl verifies its own
     * splice (it checks the bytes as they stand), the node refuses the signature.
     */
    @Test
    void recipe_withSignedAttributesNotInDerOrder_passesOpensslButIsRefusedE_SIGNATURE_INVALID() throws Exception {
        String script = Files.readString(SCRIPT);
        String sorted = "sorted(kept + ours)";
        assertTrue(script.contains(sorted), "the recipe sorts the attributes where this test expects it");
        Path unsorted = root.resolve("unsorted-recipe.sh");
        Files.writeString(unsorted, script.replace(sorted, "(kept + ours)"));

        String[] run = recipe(unsorted, root.resolve("certs").resolve("hangzhou.intl.pem"), root.resolve("recipe-unsorted"));

        assertEquals("1", run[0], run[1]);
        assertTrue(run[1].contains("ok   query seal "), "openssl cms -verify accepts it: " + run[1]);
        assertTrue(Pattern.compile("(?m)^FAIL query send +HTTP 400 E_SIGNATURE_INVALID: .+$").matcher(run[1]).find(), run[1]);
    }

    private static String[] recipe(Path nodeCertificate, Path out) throws Exception {
        return recipe(SCRIPT, nodeCertificate, out);
    }

    /** Runs the script as Lishui against Hangzhou with the node certificate given; its exit status and output. */
    private static String[] recipe(Path script, Path nodeCertificate, Path out) throws Exception {
        Path intlCa = root.resolve("pki").resolve("intl-ca");
        Process process = new ProcessBuilder("bash", script.toString(),
                "NODE_URL=" + alliance.exchangeUrl(DemoAlliance.member("hangzhou")), "NODE_ID=hangzhou",
                "NODE_CERT=" + nodeCertificate, "SELF_ID=lishui", "SELF_KEY=" + lishui.resolve("lishui.key.pem"),
                "SELF_CERT=" + lishui.resolve("lishui.cert.pem"), "SELF_KEY_PASS=file:" + root.resolve("demo-passphrase"),
                "CA_CERT=" + intlCa.resolve("ca.cert.pem"), "CRL=" + intlCa.resolve("crl.pem"), "USCC=" + uscc, "OUT=" + out)
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the recipe ended: " + output);
        return new String[] {Integer.toString(process.exitValue()), output};
    }
}
