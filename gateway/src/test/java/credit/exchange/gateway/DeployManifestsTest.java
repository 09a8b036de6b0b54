package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

/**
 * What deploy/ ships, read by the real parsers: the Artemis pair's broker.xml files load through
 * Artemis's own configuration parser (schema-validated) as a replication primary and its backup,
 * durable and blocking when full; the Kubernetes manifests parse, name only files that exist, keep
 * keys in Secrets, run two gateway replicas with the node's health endpoints as probes, and the
 * node configuration they mount sets only keys the gateway knows.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of(System.getProperty("credit.project.root", "..")).resolve("deploy");

    @Test
    void theArtemisPair_isAReplicationPrimaryAndItsBackup_durable_andBlockingRatherThanDropping() throws Exception {
        FileConfiguration primary = broker("live");
        FileConfiguration backup = broker("backup");

        ReplicatedPolicyConfiguration primaryPolicy = (ReplicatedPolicyConfiguration) primary.getHAPolicyConfiguration();
        assertTrue(primaryPolicy.isCheckForActiveServer(), "a restarted primary takes its role back only after checking for an active one");
        ReplicaPolicyConfiguration backupPolicy = (ReplicaPolicyConfiguration) backup.getHAPolicyConfiguration();
        assertTrue(backupPolicy.isAllowFailBack());
        for (FileConfiguration broker : List.of(primary, backup)) {
            assertTrue(broker.isPersistenceEnabled());
            assertTrue(broker.isJournalDatasync(), "journal writes reach the disk before they are acknowledged");
            AddressSettings outbox = broker.getAddressSettings().get("outbox.#");
            assertEquals(AddressFullMessagePolicy.BLOCK, outbox.getAddressFullMessagePolicy(), "a full broker blocks, never drops");
            assertEquals(-1, outbox.getMaxDeliveryAttempts(), "an outbox message is redelivered, never dead-lettered by the broker");
            assertEquals(1, broker.getClusterConfigurations().size());
        }
        assertEquals(Set.of("self", "backup"), primary.getConnectorConfigurations().keySet());
        assertEquals(Set.of("self", "live"), backup.getConnectorConfigurations().keySet());
    }

    @Test
    void theKubernetesManifests_parse_nameExistingFiles_keepKeysInSecrets_andProbeTheNodesHealth() throws Exception {
        Path k8s = DEPLOY.resolve("kubernetes");
        JsonNode kustomization = new YAMLMapper().readTree(k8s.resolve("kustomization.yaml").toFile());
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode file : kustomization.path("resources")) {
            resources.addAll(documents(k8s.resolve(file.asText())));
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                String path = file.asText().contains("=") ? file.asText().substring(file.asText().indexOf('=') + 1) : file.asText();
                assertTrue(Files.isRegularFile(k8s.resolve(path)), generator.path("name") + " names " + path + ", which does not exist");
            }
        }
        assertFalse(resources.stream().anyMatch(r -> r.path("kind").asText().equals("Secret")),
                "no secret is applied from the repository (secrets.example.yaml is not a resource)");

        JsonNode gateway = resources.stream().filter(r -> r.path("kind").asText().equals("Deployment")
                && r.path("metadata").path("name").asText().equals("gateway")).findFirst().orElseThrow();
        assertTrue(gateway.path("spec").path("replicas").asInt() >= 2, "replicas of one node identity");
        JsonNode container = gateway.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        JsonNode volumes = gateway.path("spec").path("template").path("spec").path("volumes");
        for (String keys : List.of("credentials", "personal-id")) {
            JsonNode volume = null;
            for (JsonNode v : volumes) {
                volume = v.path("name").asText().equals(keys) ? v : volume;
            }
            assertTrue(volume != null && volume.has("secret"), keys + " are mounted from a Secret");
        }
        assertTrue(container.path("env").toString().contains("secretKeyRef"), "passwords come from Secrets");
        assertFalse(container.toString().matches("(?s).*(PRIVATE KEY|password\\s*[:=]\\s*[^<$]).*"), "no key or password inline");

        Properties mounted = properties(k8s.resolve("gateway.properties"));
        Properties known;
        try (InputStream in = DeployManifestsTest.class.getResourceAsStream("/gateway-defaults.properties")) {
            known = new Properties();
            known.load(in);
        }
        for (String key : mounted.stringPropertyNames()) {
            assertTrue(known.containsKey(key), "deploy/kubernetes/gateway.properties sets " + key + ", which the gateway does not know");
        }
        assertEquals("0.0.0.0", mounted.getProperty("gateway.exchange.host"));
        assertTrue(mounted.getProperty("gateway.broker.url").contains("ha=true"), "the broker URL fails over between the pair");
        assertTrue(Files.readString(DEPLOY.resolve("container").resolve("Containerfile")).contains("gateway/target/gateway.jar"));
    }

    private static FileConfiguration broker(String role) throws Exception {
        System.setProperty("artemis.cluster.password", "test-only");
        FileConfiguration configuration = new FileConfiguration();
        FileDeploymentManager deployment = new FileDeploymentManager(DEPLOY.resolve("artemis").resolve(role).resolve("broker.xml")
                .toUri().toString());
        deployment.addDeployable(configuration);
        deployment.readConfiguration();
        return configuration;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }
}
