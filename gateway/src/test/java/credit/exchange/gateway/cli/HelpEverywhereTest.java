package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on every command and subcommand of {@code gatewayctl}: its usage, exit 0, nothing else done. */
class HelpEverywhereTest {

    @Test
    void everyCommandOfTheTree_answersHelp_withItsUsage_andExitsZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new GatewayCtl()), new ArrayList<>(), paths);
        assertTrue(paths.size() > 30, "the whole tree is walked: " + paths.size() + " commands");
        List<String> failures = new ArrayList<>();
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(new String[0]));
            String name = String.join(" ", path);
            if (run.exit() != 0 || !run.out().contains("Usage: gatewayctl" + (path.isEmpty() ? "" : " " + name)) || !run.err().isEmpty()) {
                failures.add("gatewayctl " + name + " --help: exit " + run.exit() + ", " + run.err().strip());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyCommandsFirstLine_isAWholeSentence_asTheCommandListsShowIt() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new GatewayCtl()), new ArrayList<>(), paths);
        List<String> cut = new ArrayList<>();
        for (List<String> path : paths) {
            CommandLine command = new CommandLine(new GatewayCtl());
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            String[] description = command.getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0].strip();
            if (!first.endsWith(".") && !first.endsWith(")") && !first.endsWith("。")) {
                cut.add("gatewayctl " + String.join(" ", path) + ": \"" + first + "\"");
            }
        }
        assertEquals(List.of(), cut, "the command lists show only the first line of a description");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var sub : command.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().aliases().equals(List.of()) && !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias of a subcommand already walked
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            collect(sub.getValue(), deeper, out);
        }
    }
}
