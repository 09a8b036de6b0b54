package credit.exchange.gateway.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * What a load driver found, figure by figure, each against the bound measured in the same run and
 * the goal docs/PERFORMANCE.md sets: one {@code RESULT … ratio …} line per figure, and with
 * {@code --json FILE} the same as JSON, for comparing runs across commits.
 */
final class BenchSummary {

    /** The drivers' {@code --json} option. */
    static final class JsonOption {
        @Option(names = "--json", paramLabel = "FILE", description = "also write the run's figures, bounds and ratios as JSON to FILE")
        Path json;
    }

    /**
     * One figure: its value, the bound of the same run, their ratio, and the goal of that ratio.
     *
     * @param ratio value / bound for a rate; goal / value for a latency (its bound, the bare operation's latency, is kept
     *        beside it): 1 or more meets a latency's goal
     * @param goal the ratio docs/PERFORMANCE.md asks for; NaN for none
     */
    record Figure(String name, double value, String unit, String boundName, double bound, double ratio, double goal) {
        boolean meetsGoal() {
            return Double.isNaN(goal) || ratio >= goal;
        }
    }

    private final String bench;
    private final List<Figure> figures = new ArrayList<>();

    BenchSummary(String bench) {
        this.bench = bench;
    }

    /** A rate (higher is better) against its bound: ratio value / bound. */
    Figure rate(String name, double value, String unit, String boundName, double bound, double goal) {
        return add(new Figure(name, value, unit, boundName, bound, value / bound, goal));
    }

    /**
     * A latency (lower is better) against its goal in the same unit: ratio goal / value, so that 1 or
     * more meets it; the bound of the run (the bare operation's latency) is kept beside it.
     */
    Figure latency(String name, double value, String unit, String boundName, double bound, double goalValue) {
        return add(new Figure(name, value, unit, boundName, bound, goalValue / value, 1.0));
    }

    private Figure add(Figure f) {
        figures.add(f);
        System.out.println(line(f));
        return f;
    }

    static String line(Figure f) {
        String bound = Double.isNaN(f.bound()) ? "" : String.format(Locale.ROOT, "; bound (%s) %,.3f %s", f.boundName(), f.bound(), f.unit());
        return String.format(Locale.ROOT, "RESULT %s: %,.3f %s%s; %s %.3f%s", f.name(), f.value(), f.unit(), bound,
                f.unit().equals("ms") ? "goal / value" : "value / bound", f.ratio(), Double.isNaN(f.goal()) ? ""
                        : String.format(Locale.ROOT, " (goal %.2f: %s)", f.goal(), f.meetsGoal() ? "met" : "NOT met"));
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** The run as JSON: the bench, when, and each figure with its bound, ratio and goal. */
    String json(Instant at) {
        ObjectNode root = Json.mapper().createObjectNode().put("bench", bench).put("at", at.toString());
        root.put("java", System.getProperty("java.version")).put("cores", Runtime.getRuntime().availableProcessors());
        ArrayNode out = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode o = out.addObject().put("name", f.name()).put("value", f.value()).put("unit", f.unit()).put("ratio", f.ratio());
            if (!Double.isNaN(f.bound())) {
                o.put("bound", f.bound()).put("boundName", f.boundName());
            }
            if (!Double.isNaN(f.goal())) {
                o.put("goal", f.goal()).put("met", f.meetsGoal());
            }
        }
        return Json.write(root);
    }

    /** Writes the JSON summary when the run was asked for one. */
    void write(JsonOption option) throws IOException {
        if (option != null && option.json != null) {
            Files.writeString(option.json, json(BenchCommand.CLOCK.instant()) + "\n", StandardCharsets.UTF_8);
            System.out.println("summary written to " + option.json);
        }
    }
}
