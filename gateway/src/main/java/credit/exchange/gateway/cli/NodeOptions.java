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

    /**
     * The configuration: the file given (--config or GATEWAY_CONFIG); without one, the configuration
     * the node last started with, which it leaves in its data directory ({@link NodeConfig#inForceFile()}),
     * so that the CLI acts with the node's trust anchors, CRLs and credentials; else the defaults.
     * An unknown {@code gateway.*} key is refused by its name, as the node refuses it.
     */
    NodeConfig load() {
        NodeConfig c = options(NodeConfig.load(config));
        if (config == null && System.getenv("GATEWAY_CONFIG") == null && java.nio.file.Files.isRegularFile(c.inForceFile())) {
            c = options(NodeConfig.load(c.inForceFile()));
        }
        c.refuseUnknownKeys();
        return c;
    }

    private NodeConfig options(NodeConfig c) {
        if (node != null) {
            c = c.with("gateway.node.id", node);
        }
        if (dataDir != null) {
            c = c.with("gateway.data-dir", dataDir.toString());
        }
        return c;
    }
}
