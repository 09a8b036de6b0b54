package credit.exchange.gateway.cli;

import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoLog;
import credit.exchange.gateway.demo.DemoScenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
        "Start the demo alliance on loopback and tell its scenario step by step.",
        "Start the demo alliance on loopback (Hangzhou, Huzhou, Jiaxing, Shaoxing, the provincial and the national node),",
        "each with its own keys, database and broker; run the scenario and print what happens, then how to explore it.",
        "Every run starts from clean stores (keys and certificates are kept); the nodes' log goes to DIR/demo.log.",
        "Exit status 0 if the scenario passed."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", defaultValue = "data-demo", paramLabel = "DIR", description = "where the alliance lives (default ./data-demo)")
    Path dir;

    @Option(names = "--exit", description = "stop the alliance after the scenario instead of keeping it up for exploration")
    boolean exit;

    @Option(names = "--base-port", defaultValue = "" + DemoAlliance.DEFAULT_BASE_PORT, paramLabel = "PORT",
            description = "Hangzhou's exchange port; the others follow it, API ports are 100 higher (default 18440)")
    int basePort;

    @Option(names = "--partner-configs", defaultValue = "partner-configs", paramLabel = "DIR",
            description = "Hangzhou's partner files (used with the default ports, which they name)")
    Path partnerConfigs;

    @Option(names = "--keycloak", paramLabel = "ISSUER",
            description = "the Keycloak realm every node accepts tokens of, e.g. http://127.0.0.1:8180/realms/credit-exchange;"
                    + " without it each node runs its labelled development issuer")
    String keycloak;

    @Override
    public Integer call() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dir, basePort, partnerConfigs).withRealm(keycloak);
        AutoCloseable claim = alliance.claimFreshState(); // held until this JVM ends
        DemoLog.toFile(alliance.root().resolve("demo.log"));
        DemoScenario scenario = new DemoScenario(alliance, System.out);
        boolean passed;
        try {
            passed = scenario.run();
        } catch (Exception | Error e) {
            scenario.close();
            throw e;
        }
        if (exit) {
            scenario.close();
            scenario.printExploration(false);
            claim.close();
            return passed ? 0 : 1;
        }
        scenario.printExploration(true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scenario.close();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
        return passed ? 0 : 1;
    }
}
