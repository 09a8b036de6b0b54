package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches a node shares: which configuration, node and data directory. */
final class NodeOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "node configuration file (properties)")
    Path config;

    @Option(names = "--node", paramLabel = "ID", description = "node id (default from configuration: hangzhou)")
    String node;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default ./data)")
    Path dataDir;

    NodeConfig load() {
        NodeConfig c = NodeConfig.load(config);
        if (node != null) {
            c = c.with("gateway.node.id", node);
        }
        if (dataDir != null) {
            c = c.with("gateway.data-dir", dataDir.toString());
        }
        return c;
    }
}
