package credit.exchange.gateway.bench;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Load drivers whose figures go into docs/PERFORMANCE.md.",
        subcommands = {ImportBench.class, LookupBench.class, ExchangeBench.class, PushBench.class, AuditBench.class})
public final class BenchCommand {

    /** The one clock of a benchmark's run, which every service it builds is given. */
    static final java.time.Clock CLOCK = java.time.Clock.systemUTC();
}
