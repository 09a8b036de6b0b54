package credit.exchange.gateway.demo;

import java.io.PrintStream;
import java.nio.file.Path;

/** The scenario as the terminal tells it: its steps, each expectation met or FAILED, and the failures counted. */
final class DemoNarration {

    private final PrintStream out;
    private final Path root;
    private int failures;

    DemoNarration(PrintStream out, Path root) {
        this.out = out;
        this.root = root;
    }

    PrintStream out() {
        return out;
    }

    /** Expectations not met so far. */
    int failures() {
        return failures;
    }

    /** A command for the operator, run on Hangzhou's data as printed (the CLI reads the configuration Hangzhou left there). */
    String cli(String command) {
        return "./gatewayctl " + command + " --data-dir " + shown(root.resolve("data"));
    }

    static String shown(Path p) {
        Path here = Path.of("").toAbsolutePath();
        return p.startsWith(here) ? here.relativize(p).toString() : p.toString();
    }

    void step(String title) {
        out.println();
        out.println(title);
    }

    void expect(boolean condition, String what) {
        out.println("   " + (condition ? "ok      " : "FAILED  ") + what);
        if (!condition) {
            failures++;
        }
    }
}
