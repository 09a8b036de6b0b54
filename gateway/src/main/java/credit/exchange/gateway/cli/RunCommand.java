package credit.exchange.gateway.cli;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Start a node and keep it running until stopped (Ctrl-C or SIGTERM).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default from configuration: 8080)")
    Integer port;

    @Option(names = "--keycloak", paramLabel = "ISSUER",
            description = "the Keycloak realm whose tokens the API accepts (gateway.auth.issuer), e.g."
                    + " https://sso.example.gov.cn/realms/credit-exchange; without it a labelled development issuer")
    String keycloak;

    @Override
    public Integer call() throws Exception {
        NodeConfig config = node.load();
        if (port != null) {
            config = config.with("gateway.http.port", port.toString());
        }
        if (keycloak != null) {
            config = config.with("gateway.auth.issuer", keycloak);
        }
        Node running = Node.start(config);
        System.out.printf("node %s ready: http://%s:%s/health/ready  (data in %s)%n", config.nodeId(),
                config.get("gateway.http.host"), config.get("gateway.http.port"), config.nodeDir());
        running.awaitShutdown();
        return 0;
    }
}
