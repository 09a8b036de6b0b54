package credit.exchange.gateway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * Every command of {@code gatewayctl}, classified by what it does to a node's state. A new command
 * is in none of the lists until someone decides where it belongs: {@link OperatorCommandsClassifiedTest}
 * fails until then, and {@code OperatorCommandsAuditedIT} runs each command that changes a node's
 * state and asserts that it left an audit event naming the operator.
 */
final class OperatorCommands {

    private OperatorCommands() {
    }

    /** Commands that change a node's state, with the audit action each one's event has (docs/operations.md, "Audit trail"). */
    static final Map<String, String> CHANGE_STATE = Map.of(
            "import", "import",
            "id map", "id.map",
            "outbox replay", "outbox.replay",
            "pull", "pull",
            "conformance", "conformance",
            "audit export", "export",
            "audit purge", "purge",
            "report", "report");

    /** Commands that read a node's state and change none (a query's reads are audited as access events all the same). */
    static final Set<String> READ_ONLY = Set.of(
            "", "id", "id check", "id lookup", "query", "alliance", "alliance query", "partners", "partners validate", "partners status",
            "outbox", "outbox list", "outbox pending", "publicity", "publicity status", "audit", "audit verify", "audit verify-bundle",
            "audit purges", "sanctions", "sanctions status", "repair", "repair status", "report verify", "envelope", "envelope open", "pki", "bench");

    /**
     * Commands that touch no node's data, so have no node's trail to write to: they make files (a
     * data set, a CA and its certificates and CRLs, a sealed envelope), or run nodes and load
     * drivers in data directories of their own ({@code run} is the node itself, which audits its
     * own start: its keys and partner configuration in force).
     */
    static final Set<String> NO_NODE_STATE = Set.of(
            "seed", "pki init-ca", "pki issue", "pki revoke", "pki crl", "envelope seal",
            "run", "demo", "bench import", "bench lookup", "bench exchange", "bench push", "bench audit");

    /** Every command path of the tree ("" for gatewayctl itself), aliases once. */
    static List<String> all() {
        List<String> out = new ArrayList<>();
        collect(new CommandLine(new GatewayCtl()), "", out);
        return out;
    }

    private static void collect(CommandLine command, String path, List<String> out) {
        out.add(path);
        for (var sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias of a subcommand walked under its name
            }
            collect(sub.getValue(), path.isEmpty() ? sub.getKey() : path + " " + sub.getKey(), out);
        }
    }
}
