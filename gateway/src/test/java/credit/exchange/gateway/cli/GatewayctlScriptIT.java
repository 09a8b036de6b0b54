package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands, run as an operator runs them: the {@code ./gatewayctl} script at the
 * project root (which finds the jar this build packaged) starting a node on a fresh data
 * directory, then seed, import and query against that running node.
 */
class GatewayctlScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("credit.project.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void run_isReadyWithin90s_andImportsAreExactAndIdempotent(@TempDir Path dir) throws Exception {
        int port = TestNodes.freePort();
        Path data = dir.resolve("data");
        Process node = gatewayctl(dir.resolve("node.out"), "run", "--data-dir", data.toString(), "--port", Integer.toString(port));
        try {
            Instant started = Instant.now();
            awaitReady("http://127.0.0.1:" + port + "/health/ready", node, Duration.ofSeconds(90));
            System.out.printf("node ready after %d ms%n", Duration.between(started, Instant.now()).toMillis());

            Path generated = dir.resolve("licensing-100k.csv");
            assertEquals(0, run(dir.resolve("seed.out"), "seed", "--subjects", "40000", "--type", "licensing",
                    "--rows", "100000", "--seed", "3", "--out", generated.toString()).exit);
            Path planted = plantedBadRows(dir);

            JsonNode big = importJson(dir, data, generated, "licensing", 0);
            assertEquals(100_000, big.get("rowsRead").asInt());
            assertEquals(100_000, big.get("stored").asInt());
            assertEquals(0, big.get("rejected").asInt());

            JsonNode bad = importJson(dir, data, planted, "licensing", 1); // some rows rejected: exit 1
            assertEquals(12, bad.get("rowsRead").asInt());
            assertEquals(7, bad.get("stored").asInt());
            assertEquals(5, bad.get("rejected").asInt());

            JsonNode again = importJson(dir, data, generated, "licensing", 0);
            assertEquals(0, again.get("stored").asInt());
            assertEquals(100_000, again.get("duplicates").asInt());
            JsonNode badAgain = importJson(dir, data, planted, "licensing", 1);
            assertEquals(0, badAgain.get("stored").asInt());
            assertEquals(5, badAgain.get("rejected").asInt());

            Result query = run(dir.resolve("query.out"), "query", "--data-dir", data.toString(), "--uscc", "91330100716105852F");
            assertEquals(0, query.exit, query.output);
            JsonNode records = JSON.readTree(query.output.substring(query.output.indexOf('{'))).get("records");
            assertEquals(2, records.size(), query.output);
        } finally {
            node.destroy();
            node.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /**
     * The README's run command: the six-node demo alliance, its scenario told step by step, exit 0.
     * A free port range instead of the default one, so that a demo left running does not collide.
     */
    @Test
    void demo_runsTheAllianceScenario_andExitsZero(@TempDir Path dir) throws Exception {
        Result demo = run(dir.resolve("demo.out"), "demo", "--exit", "--dir", dir.resolve("demo").toString(),
                "--base-port", Integer.toString(DemoAlliance.freeBasePort()));

        assertEquals(0, demo.exit, demo.output);
        assertTrue(demo.output.contains("scenario passed"), demo.output);
        for (String step : List.of("1. Hangzhou asks every partner", "2. Huzhou asks Hangzhou", "3. A tampered envelope",
                "4. Push flows", "pulled every record of hangzhou over SOAP", "5. Classes B and C", "E_AUTHORIZATION_REVOKED",
                "E_SHARING_AGREEMENT_REQUIRED", "6. Hangzhou's audit trail", "every partner countersigned", "the console's verification agrees",
                "7. Joint punishment", "every alliance city acknowledged the notice", "Huzhou's response and the measures it applied",
                "every city the notice went to confirms the lift", "8. Recognition, a service institution's filing",
                "every alliance city answered the nomination", "Huzhou keeps Hangzhou's signed recognition statement",
                "a credit service institution's filing is visible at every alliance city",
                "a department's black-list record at Huzhou withdraws the recognition at every alliance city",
                "the province and the nation withdrew the repaired record", "then cleared there when rejected", "9. Shaoxing stops",
                "E_PARTNER_UNREACHABLE")) {
            assertTrue(demo.output.contains(step), step + " missing from:\n" + demo.output);
        }
        assertFalse(demo.output.lines().anyMatch(l -> l.startsWith("   FAILED")), "an expectation failed:\n" + demo.output);

        // the terminal tells the scenario: the nodes' log lines are in the demo's log file
        assertFalse(demo.output.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(INFO|WARN|ERROR|DEBUG).*")),
                "log lines on the terminal:\n" + demo.output);
        assertTrue(Files.readString(dir.resolve("demo/demo.log")).contains("listening on"), "the nodes' log is in demo.log");
        // the hints it prints run as printed, on the data of the demo that has stopped
        java.util.regex.Matcher hint = java.util.regex.Pattern.compile("\\(\\./gatewayctl (repair status \\S+ --data-dir \\S+)\\)")
                .matcher(demo.output);
        assertTrue(hint.find(), demo.output);
        Result repair = run(dir.resolve("repair.out"), hint.group(1).split(" "));
        assertEquals(0, repair.exit, repair.output);
        assertTrue(repair.output.contains("zhejiang   confirmed"), repair.output);
        assertTrue(demo.output.contains("export GATEWAY_CONFIG=" + dir.resolve("demo/data/hangzhou/node.properties")), demo.output);
    }

    /** 12 rows: 7 good (two for one company), 5 each with one planted defect. */
    private static Path plantedBadRows(Path dir) throws IOException {
        String header = "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XDR_ZJLX,XK_XDR_ZJHM,XK_WSH,XK_JDRQ,XK_XKJG,XK_LYDWDM";
        String dept = "113301004A6B675F3B";
        List<String> rows = List.of(
                "阿里巴巴（中国）有限公司,法人及非法人组织,91330100716105852F,,,杭测许字〔2025〕1号,2025-03-01,杭州市测试局," + dept,
                "阿里巴巴（中国）有限公司,法人及非法人组织,91330100716105852F,,,杭测许字〔2025〕2号,2025/03/02,杭州市测试局," + dept,
                "华为技术有限公司,法人及非法人组织,914403001922038216,,,杭测许字〔2025〕3号,1740844800000,杭州市测试局," + dept,
                "张三,自然人,,身份证,11010519491231002X,杭测许字〔2025〕4号,2025-03-04,杭州市测试局," + dept,
                "坏码公司,法人及非法人组织,91330100716105852E,,,杭测许字〔2025〕5号,2025-03-05,杭州市测试局," + dept,
                "无号公司,法人及非法人组织,914403001922038216,,,,2025-03-06,杭州市测试局," + dept,
                "错日公司,法人及非法人组织,914403001922038216,,,杭测许字〔2025〕7号,2025-02-30,杭州市测试局," + dept,
                "李四,自然人,,身份证,110105194912310021,杭测许字〔2025〕8号,2025-03-08,杭州市测试局," + dept,
                "腾讯科技（深圳）有限公司,法人及非法人组织,9144030071526726XG,,,杭测许字〔2025〕9号,2025-03-09,杭州市测试局," + dept,
                "某组织,外星人,9144030071526726XG,,,杭测许字〔2025〕10号,2025-03-10,杭州市测试局," + dept,
                "北京百度网讯科技有限公司,法人及非法人组织,91110000802100433B,,,杭测许字〔2025〕11号,2025-03-11,杭州市测试局," + dept,
                "王五,自然人,,身份证,440524188001010014,杭测许字〔2025〕12号,2025-03-12,杭州市测试局," + dept);
        Path file = dir.resolve("planted.csv");
        Files.writeString(file, header + "\n" + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static JsonNode importJson(Path dir, Path data, Path file, String type, int exit) throws Exception {
        Result r = run(dir.resolve("import.out"), "import", "--data-dir", data.toString(), "--file", file.toString(),
                "--type", type, "--json");
        assertEquals(exit, r.exit, r.output);
        return JSON.readTree(r.output.substring(r.output.indexOf('{')));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path output, String... args) throws Exception {
        Process p = gatewayctl(output, args);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "gatewayctl " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Process gatewayctl(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("gatewayctl").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    private static void awaitReady(String url, Process node, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!node.isAlive()) {
                throw new AssertionError("the node exited with status " + node.exitValue());
            }
            try {
                if (TestNodes.get(url).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within " + limit);
    }
}
