package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command block of README.md, run as a newcomer runs it: read from the README itself (an
 * edit of it is tested), each block a bash script run in order with the shipped files, at the
 * default ports, each to exit 0 within its time. {@code ./gatewayctl run} starts the node in the
 * background, ready when the README's own readiness command answers {@code UP}; SIGTERM stops it
 * at the end. Two blocks are left to CI, which runs them itself: {@code mvn -B verify} (the build
 * this test is part of) and {@code ./gatewayctl demo} ({@code .ci/run} runs it with {@code --exit}).
 *
 * <p>The blocks run in a scratch copy of the project's root — a copy of {@code gatewayctl}, which
 * finds the jar beside itself, with links to what the commands read — so the data, keys, seed files
 * and envelopes they write stay out of the working tree. What the operator types, the passphrases
 * the trust-layer block asks for ({@code read -s}), is the blocks' standard input.
 */
class ReadmeCommandsIT {

    private static final Path ROOT = Path.of(System.getProperty("credit.project.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the commands read from the project's root (the modules too, for gatewayctl's build when the jar is older than the sources). */
    private static final List<String> LINKED = List.of("pom.xml", "security", "routes", "gateway", "bench", "partner-configs", "test-data");
    private static final String TYPED = "ca passphrase for the readme test\nnode key passphrase for the readme test\n";
    private static final Duration BLOCK_LIMIT = Duration.ofMinutes(5);
    private static final Duration READY_LIMIT = Duration.ofMinutes(4);
    private static final Pattern READY_SENTENCE = Pattern.compile("It is ready when `(curl [^`]+)` answers `UP`");

    /** What a block is to this test. */
    enum Kind {
        /** Not commands ({@code ```text}): the architecture diagram. */
        TEXT,
        /** The build CI runs; it cannot run inside itself. */
        CI_BUILD,
        /** The demo, which {@code .ci/run} runs as {@code ./gatewayctl demo --exit}. */
        CI_DEMO,
        /** Starts the node this test's other blocks talk to. */
        NODE,
        /** Run with bash; must exit 0. */
        RUN
    }

    record Block(int line, String text, Kind kind) {
    }

    @Test
    void everyCommandBlock_runsAsWritten_atTheDefaultPorts(@TempDir Path scratch) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<Block> blocks = blocks(readme);
        List<Kind> leftToCi = blocks.stream().map(Block::kind).filter(k -> k == Kind.CI_BUILD || k == Kind.CI_DEMO).sorted().toList();
        assertEquals(List.of(Kind.CI_BUILD, Kind.CI_DEMO), leftToCi, "the blocks left to CI are the build and the demo, once each");
        blocks.stream().filter(b -> b.kind() == Kind.CI_BUILD || b.kind() == Kind.CI_DEMO)
                .forEach(b -> assertFalse(b.text().contains("\n"), "a block left to CI holds one command only, nothing else unrun: " + b));
        assertEquals(1, blocks.stream().filter(b -> b.kind() == Kind.NODE).count(), "one block starts the node: " + blocks);

        Map<String, BiConsumer<Block, Ran>> checks = outputChecks(scratch);
        for (String marker : checks.keySet()) {
            assertEquals(1, blocks.stream().filter(b -> b.kind() == Kind.RUN && b.text().contains(marker)).count(),
                    "one README block holds " + marker + ", whose output this test checks");
        }
        Matcher ready = READY_SENTENCE.matcher(readme.replaceAll("\\s+", " "));
        assertTrue(ready.find(), "the README says how to tell the node is ready: " + READY_SENTENCE.pattern());

        assertDefaultPortFree();
        Path work = scratchCopy(scratch);
        Path nodeLog = scratch.resolve("node.log");
        Process node = null;
        try {
            for (Block block : blocks) {
                switch (block.kind()) {
                    case TEXT, CI_BUILD, CI_DEMO -> System.out.printf("README line %d: left out (%s)%n", block.line(), block.kind());
                    case NODE -> {
                        node = bash(work, block, nodeLog, nodeLog);
                        awaitReady(work, ready.group(1), node, nodeLog);
                    }
                    case RUN -> {
                        Ran ran = run(work, block, scratch, nodeLog);
                        checks.forEach((marker, check) -> {
                            if (block.text().contains(marker)) {
                                check.accept(block, ran);
                            }
                        });
                    }
                }
            }
        } catch (Throwable failed) {
            if (node != null) {
                try {
                    stop(node, nodeLog);
                } catch (Throwable alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
        assertTrue(node != null, "no block started the node");
        stop(node, nodeLog);
    }

    /** The fenced blocks of a Markdown text, each classified; an unknown info string is refused. */
    static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```")) {
                continue;
            }
            String info = lines[i].substring(3).strip();
            int start = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = start; i < lines.length && !lines[i].startsWith("```"); i++) {
                text.append(lines[i]).append('\n');
            }
            assertTrue(i < lines.length, "the block at README line " + start + " is not closed");
            String body = text.toString().strip();
            Kind kind = switch (info) {
                case "text" -> Kind.TEXT;
                case "", "sh", "bash" -> body.startsWith("mvn ") ? Kind.CI_BUILD : body.startsWith("./gatewayctl demo")
                        ? Kind.CI_DEMO : body.equals("./gatewayctl run") ? Kind.NODE : Kind.RUN;
                default -> throw new AssertionError("README line " + start + ": a block of '" + info + "' is neither commands"
                        + " (no language, sh or bash: this test runs it) nor text (```text: not run)");
            };
            blocks.add(new Block(start + 1, body, kind));
        }
        return blocks;
    }

    /** What each block's run must show beyond exit 0, by a text the block holds. */
    private static Map<String, BiConsumer<Block, Ran>> outputChecks(Path scratch) {
        Map<String, BiConsumer<Block, Ran>> checks = new LinkedHashMap<>();
        checks.put("./gatewayctl import --file", (block, ran) -> {
            // each import stored rows; the CLI's query and the HTTP one both found the subject's record; the IDs are valid
            Matcher imports = Pattern.compile("import #\\d+ of (\\S+) .*\\n\\s+rows read\\s+[\\d,]+\\n\\s+stored\\s+([\\d,]+)")
                    .matcher(ran.stdout());
            int found = 0;
            while (imports.find()) {
                found++;
                assertTrue(Integer.parseInt(imports.group(2).replace(",", "")) > 0, imports.group(1) + " stored no row:\n" + ran);
            }
            assertEquals(count(block.text(), "gatewayctl import "), found, "an import summary per import:\n" + ran);
            Matcher uscc = Pattern.compile("--uscc (\\w+)").matcher(block.text());
            assertTrue(uscc.find(), block.text());
            Matcher answers = Pattern.compile("\"query\" : \"uscc " + uscc.group(1) + "\"[^\\]]*\"records\" : \\[ \\{")
                    .matcher(ran.stdout());
            assertEquals(2, answers.results().count(), "the CLI query and the HTTP query each found records of " + uscc.group(1)
                    + ":\n" + ran);
            Matcher check = Pattern.compile("id check ([^\\n]+)").matcher(block.text());
            assertTrue(check.find(), block.text());
            for (String id : check.group(1).strip().split("\\s+")) {
                assertTrue(Pattern.compile("(?m)^VALID \\S+ " + id + "$").matcher(ran.stdout()).find(), id + " is valid:\n" + ran);
            }
        });
        checks.put("dev-issuer/protocol/openid-connect/token", (block, ran) -> {
            // curl prints the answer's body: an import summary (200), not a coded refusal; the department's own rows are
            // held (the operator's import above stored them: duplicates now), every other department's row refused
            JsonNode summary = json(ran);
            assertTrue(summary.path("code").isMissingNode(), "refused:\n" + ran);
            assertTrue(summary.path("stored").asInt() + summary.path("duplicates").asInt() > 0, "the department's rows are held:\n" + ran);
            assertTrue(summary.path("firstDefects").findValuesAsText("code").contains("E_NOT_GRANTED"),
                    "another department's rows are refused:\n" + ran);
        });
        checks.put("./gatewayctl envelope open", (block, ran) -> {
            Matcher sealedIn = Pattern.compile("envelope seal[^\\n]*(?:\\\\\\n[^\\n]*)*?--in (\\S+)").matcher(block.text());
            Matcher openedOut = Pattern.compile("envelope open[^\\n]*(?:\\\\\\n[^\\n]*)*?--out (\\S+)").matcher(block.text());
            assertTrue(sealedIn.find() && openedOut.find(), block.text());
            assertNotEquals(sealedIn.group(1), openedOut.group(1), "envelope open overwrites the seal's input");
            assertTrue(ran.stdout().contains("OPENED message"), ran.toString());
            try {
                Path work = scratch.resolve("project");
                assertArrayEquals(Files.readAllBytes(work.resolve(sealedIn.group(1))), Files.readAllBytes(work.resolve(openedOut.group(1))),
                        "the envelope opened to the payload sealed");
            } catch (IOException e) {
                throw new AssertionError("the payload or what was opened is missing:\n" + ran, e);
            }
        });
        return checks;
    }

    /** A block's run: its exit status and outputs. */
    record Ran(Block block, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "README line " + block.line() + ":\n" + block.text() + "\nexit " + exit + "\n--- stdout\n" + stdout
                    + "\n--- stderr\n" + stderr;
        }
    }

    private static Ran run(Path work, Block block, Path scratch, Path nodeLog) throws Exception {
        Path out = scratch.resolve("block-" + block.line() + ".out");
        Path err = scratch.resolve("block-" + block.line() + ".err");
        Process p = bash(work, block, out, err);
        boolean ended = p.waitFor(BLOCK_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Ran ran = new Ran(block, ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        System.out.println(ran);
        if (!ended || ran.exit() != 0) {
            fail((ended ? "" : "not ended within " + BLOCK_LIMIT.toMinutes() + " min: ") + ran + "\n--- node log\n" + tail(nodeLog));
        }
        return ran;
    }

    /**
     * The block as a bash script ({@code -e -o pipefail}: any failing command fails it), in the scratch copy, without GATEWAY_*
     * settings. A line the README marks {@code # exit N: why} must exit with exactly N (docs/operations.md, "Exit statuses").
     */
    private static Process bash(Path work, Block block, Path out, Path err) throws IOException {
        Path script = work.getParent().resolve("block-" + block.line() + ".sh");
        Files.writeString(script, expectedExits(block.text()) + "\n", StandardCharsets.UTF_8);
        Path typed = work.getParent().resolve("typed.txt");
        Files.writeString(typed, TYPED, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", script.toString()).directory(work.toFile())
                .redirectInput(typed.toFile()).redirectOutput(out.toFile());
        if (out.equals(err)) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        // the defaults the README speaks of, not settings of the shell the build runs in
        pb.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_"));
        return pb.start();
    }

    private static final java.util.regex.Pattern EXIT_NOTE = java.util.regex.Pattern.compile("^(.*\\S)\\s+# exit (\\d+):.*$");

    /** Each line noted {@code # exit N: why} checked for exactly that status instead of stopping the script. */
    static String expectedExits(String text) {
        return text.lines().map(line -> {
            java.util.regex.Matcher m = EXIT_NOTE.matcher(line);
            return !m.matches() ? line : "{ " + m.group(1) + "; } && status=0 || status=$?; [ \"$status\" -eq " + m.group(2)
                    + " ] || { echo \"README: expected exit " + m.group(2) + ", got $status: " + m.group(1).replace("\"", "\\\"")
                    + "\" >&2; exit 1; }";
        }).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Runs the README's readiness command until its answer says UP. */
    private static void awaitReady(Path work, String curl, Process node, Path nodeLog) throws Exception {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            if (!node.isAlive()) {
                fail("./gatewayctl run exited with status " + node.exitValue() + "\n--- node log\n" + tail(nodeLog));
            }
            Process probe = new ProcessBuilder("bash", "-c", curl + " --max-time 10").directory(work.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            last = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor(30, TimeUnit.SECONDS);
            try {
                if (!last.isBlank() && "UP".equals(JSON.readTree(last).path("status").asText())) {
                    return;
                }
            } catch (IOException notJson) {
                // not the readiness answer yet
            }
            Thread.sleep(500);
        }
        fail("`" + curl + "` did not answer UP within " + READY_LIMIT.toMinutes() + " min; last: " + last + "\n--- node log\n"
                + tail(nodeLog));
    }

    /** SIGTERM to the node (the JVM and the shell that started it); it must end within a minute. */
    private static void stop(Process node, Path nodeLog) throws Exception {
        node.descendants().forEach(ProcessHandle::destroy);
        node.destroy();
        boolean ended = node.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            fail("the node did not stop within 60 s of SIGTERM\n--- node log\n" + tail(nodeLog));
        }
    }

    /** The project's root as a newcomer's clone: its own gatewayctl (which finds the jar beside itself) and links to what it reads. */
    private static Path scratchCopy(Path scratch) throws IOException {
        Path work = Files.createDirectory(scratch.resolve("project"));
        Files.copy(ROOT.resolve("gatewayctl"), work.resolve("gatewayctl"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String name : LINKED) {
            Files.createSymbolicLink(work.resolve(name), ROOT.resolve(name));
        }
        return work;
    }

    private static void assertDefaultPortFree() {
        try (ServerSocket probe = new ServerSocket(8080, 1, InetAddress.getByName("127.0.0.1"))) {
            probe.setReuseAddress(true);
        } catch (IOException taken) {
            fail("port 8080 is taken on 127.0.0.1; the README's commands use the default port: stop what listens there");
        }
    }

    private static JsonNode json(Ran ran) {
        try {
            return JSON.readTree(ran.stdout().substring(ran.stdout().indexOf('{')));
        } catch (IOException | StringIndexOutOfBoundsException e) {
            throw new AssertionError("not a JSON answer:\n" + ran, e);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
