package credit.exchange.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gatewayctl}: the operator's one command for a node. Failures print their stable code and
 * a message, never a stack trace ({@link CliErrors}); exit status 2 means the command could not do
 * its work, 1 that it did and found something invalid (docs/operations.md, "Exit statuses").
 */
@Command(name = "gatewayctl", mixinStandardHelpOptions = true, version = "credit exchange gateway 0.1",
        // --help and --version on every command and subcommand, not only here
        scope = CommandLine.ScopeType.INHERIT,
        description = "Run and operate a credit exchange gateway node.",
        subcommands = {RunCommand.class, ImportCommand.class, QueryCommand.class, IdCommand.class, SeedCommand.class,
                PkiCommand.class, EnvelopeCommand.class, PartnersCommand.class, OutboxCommand.class, PullCommand.class, AllianceCommand.class, ConformanceCommand.class, PublicityCommand.class, AuditCommand.class,
                SanctionsCommand.class, RepairCommand.class, ReportCommand.class,
                DemoCommand.class,
                credit.exchange.gateway.bench.BenchCommand.class})
public final class GatewayCtl {

    /** The one clock of a command's run, which its services are given (the node has its own: Node#clock). */
    static final java.time.Clock CLOCK = java.time.Clock.systemUTC();

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new GatewayCtl());
        CliErrors.install(cli); // every failure: "error CODE: message", the documented exit status, no stack trace
        return cli.execute(args);
    }
}
