package credit.exchange.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@code gatewayctl} command run in the test's JVM, as an operator types it: its exit status and what it printed. */
public record CliRun(int exit, String out) {

    /** Runs the command; standard output is captured (one command at a time). */
    public static synchronized CliRun of(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new CliRun(GatewayCtl.execute(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
