package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.seed.SeedGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operator command that changes a node's state ({@link OperatorCommands#CHANGE_STATE}) run
 * against one node's data (the province, which has run once and is down; Hangzhou runs beside it
 * as the partner its pull and conformance run talk to), each leaving an audit event of its action
 * that names the operator: the account running the command.
 */
class OperatorCommandsAuditedIT {

    @TempDir
    static Path root;

    static DemoAlliance alliance;
    static Node hangzhou;
    static NodeConfig zhejiang;
    static String config;

    @BeforeAll
    static void startPartner() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        zhejiang = alliance.config(DemoAlliance.member("zhejiang"));
        Path file = root.resolve("zhejiang.properties");
        zhejiang.save(file);
        config = file.toString();
        alliance.start(DemoAlliance.member("zhejiang")).close(); // its store and keys exist, as after a first run
        hangzhou = alliance.start(DemoAlliance.member("hangzhou"));
    }

    @AfterAll
    static void stopPartner() {
        if (hangzhou != null) {
            hangzhou.close();
        }
    }

    @Test
    void everyCommandThatChangesState_leavesAnAuditEvent_namingTheOperator() throws Exception {
        Path seed = root.resolve("seed");
        new SeedGenerator(7, LocalDate.now()).writeDataSet(5, seed);
        Path mappings = root.resolve("mappings.csv");
        Files.writeString(mappings, "legacy_code,uscc\n330100000012345,91330100716105852F\n", StandardCharsets.UTF_8);
        Path bundle = root.resolve("evidence.zip");

        // in this order: the export signs a checkpoint of the head, which the purge then ends at
        Map<String, Supplier<String[]>> runs = new LinkedHashMap<>();
        runs.put("import", () -> args("import", "--file", seed.resolve("licensing.csv").toString(), "--type", "licensing"));
        runs.put("id map", () -> args("id", "map", "--file", mappings.toString()));
        runs.put("outbox replay", () -> args("outbox", "replay", "--all"));
        runs.put("pull", () -> args("pull", "--from", "hangzhou"));
        runs.put("conformance", () -> new String[] {"conformance", "--partner-url", alliance.exchangeUrl(DemoAlliance.member("hangzhou")),
            "--as", "zhejiang", "--config", config, "--timeout-ms", "5000"});
        runs.put("report", () -> args("report", "--uscc", "91330100716105852F", "--purpose", "operator audit test", "--out",
                root.resolve("report.pdf").toString()));
        runs.put("audit export", () -> args("audit", "export", "--from", Instant.now().minus(Duration.ofHours(1)).toString(),
                "--to", Instant.now().plus(Duration.ofHours(1)).toString(), "--out", bundle.toString()));
        runs.put("audit purge", () -> args("audit", "purge", "--through", single("select max(seq) from audit_checkpoint"),
                "--archive-dir", root.resolve("archives").toString()));
        assertEquals(OperatorCommands.CHANGE_STATE.keySet(), runs.keySet(), "each command that changes state is run here");

        List<String> unaudited = new ArrayList<>();
        for (var run : runs.entrySet()) {
            String action = OperatorCommands.CHANGE_STATE.get(run.getKey());
            long before = events(action);
            CliRun result = CliRun.of(run.getValue().get());
            if (events(action) != before + 1) {
                unaudited.add("gatewayctl " + run.getKey() + " (exit " + result.exit() + "): " + (events(action) - before) + " '" + action
                        + "' events naming " + CliOperator.name() + "\n" + result.out() + result.err());
            }
        }
        assertEquals(List.of(), unaudited);
    }

    private static String[] args(String... words) {
        List<String> all = new ArrayList<>(List.of(words));
        all.add("--config");
        all.add(config);
        return all.toArray(new String[0]);
    }

    /** The events of this action by the operator, chained or still pending. */
    private static long events(String action) {
        return Long.parseLong(single("select count(*) from audit_event where action = '" + action + "' and actor_kind = 'OPERATOR'"
                + " and actor = '" + CliOperator.name().replace("'", "''") + "'"));
    }

    private static String single(String sql) {
        return TestNodes.rows(zhejiang, sql).first();
    }
}
