package credit.exchange.gateway.bench;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Load drivers whose figures go into docs/PERFORMANCE.md.",
        subcommands = {ImportBench.class, LookupBench.class, ExchangeBench.class, PushBench.class, AuditBench.class})
public final class BenchCommand {
}
