package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/ ships, read by the real parsers: the Artemis pair's broker.xml files load through
 * Artemis's own configuration parser (schema-validated) as a replication primary and its backup,
 * durable and blocking when full; the Kubernetes manifests parse, name only files that exist, keep
 * keys in Secrets, run two gateway replicas with the node's health endpoints as probes, and the
 * node configuration they mount sets only keys the gateway knows. Deny by default (issue 18): no
 * secret on a command line or outside a Secret, network policies that admit nothing unnamed and the
 * API only from the ingress controller, TLS at every Ingress, and a realm with a password policy
 * and brute-force lockout.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of(System.getProperty("credit.project.root", "..")).resolve("deploy");
    private static final Path REALM = DEPLOY.resolve("keycloak").resolve("credit-exchange-realm.json");
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    /** A password handed over as an argument: --password x, -Dx.password=…, password: x, --password=x. */
    private static final Pattern PASSWORD_ARGUMENT = Pattern.compile(
            "(?i)--password|(passw(or)?d|passphrase|secret)[\\w.-]*\\s*[:=]\\s*\\S");
    /** Environment variables that carry a secret by their name. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(PASSWORD|PASSPHRASE|SECRET|TOKEN|_KEY$)");

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

    @Test
    void noContainer_takesASecretOnItsCommandLine() throws Exception {
        for (JsonNode pod : podTemplates(kubernetesResources())) {
            for (JsonNode container : containers(pod)) {
                String where = pod.path("name").asText() + "/" + container.path("name").asText();
                Set<String> fromSecrets = new HashSet<>();
                for (JsonNode env : container.path("env")) {
                    if (env.path("valueFrom").has("secretKeyRef")) {
                        fromSecrets.add(env.path("name").asText());
                    }
                }
                // what reaches the process's argv: args, command, and the plain values the image's
                // scripts splice into java's command line (JAVA_ARGS_APPEND, EXTRA_ARGS, …)
                List<String> commandLine = new ArrayList<>();
                container.path("command").forEach(x -> commandLine.add(x.asText()));
                container.path("args").forEach(x -> commandLine.add(x.asText()));
                container.path("env").forEach(x -> commandLine.add(x.path("value").asText()));
                for (String part : commandLine) {
                    assertFalse(PASSWORD_ARGUMENT.matcher(part).find(), where + " passes a password on a command line: " + part);
                    Matcher reference = Pattern.compile("\\$\\((\\w+)\\)").matcher(part);
                    while (reference.find()) {
                        assertFalse(fromSecrets.contains(reference.group(1)),
                                where + " splices the secret " + reference.group(1) + " into a command line: " + part);
                    }
                }
            }
        }
        String containerfile = Files.readString(DEPLOY.resolve("container").resolve("Containerfile"));
        assertFalse(PASSWORD_ARGUMENT.matcher(containerfile).find(), "the image's command line takes no password");
    }

    @Test
    void everySecretTheContainersRead_comesFromASecret_andTheMountedConfigurationHoldsNone() throws Exception {
        for (JsonNode pod : podTemplates(kubernetesResources())) {
            for (JsonNode container : containers(pod)) {
                for (JsonNode env : container.path("env")) {
                    String name = env.path("name").asText();
                    if (SECRET_NAME.matcher(name).find()) {
                        assertTrue(env.path("valueFrom").has("secretKeyRef"),
                                container.path("name").asText() + " reads " + name + " from somewhere other than a Secret");
                    }
                }
            }
        }
        Properties mounted = properties(DEPLOY.resolve("kubernetes").resolve("gateway.properties"));
        for (String key : mounted.stringPropertyNames()) {
            String value = mounted.getProperty(key);
            if (key.matches("(?i).*(password|passphrase|secret).*") && !value.isEmpty()) {
                assertTrue(value.startsWith("file:") || value.startsWith("env:"),
                        "gateway.properties sets " + key + " itself rather than naming a file or variable");
            }
        }
        // the realm's ${…} client secrets: unset at import, Keycloak would keep the placeholder text as the secret
        JsonNode keycloak = containers(podTemplates(kubernetesResources()).stream()
                .filter(p -> p.path("name").asText().equals("keycloak")).findFirst().orElseThrow()).get(0);
        for (JsonNode client : new ObjectMapper().readTree(REALM.toFile()).path("clients")) {
            if (client.path("publicClient").asBoolean()) {
                continue;
            }
            Matcher placeholder = Pattern.compile("\\$\\{(\\w+)}").matcher(client.path("secret").asText());
            assertTrue(placeholder.matches(), client.path("clientId") + "'s secret is in the realm file rather than named ${VARIABLE}");
            String variable = placeholder.group(1);
            boolean fromSecret = false;
            for (JsonNode env : keycloak.path("env")) {
                fromSecret |= env.path("name").asText().equals(variable) && env.path("valueFrom").has("secretKeyRef");
            }
            assertTrue(fromSecret, "the realm names ${" + variable + "}, which Keycloak's pod does not take from a Secret");
        }
    }

    @Test
    void theArtemisClusterPassword_comesFromABrokerPropertiesFile_thatOverridesBrokerXml(@TempDir Path secretDir) throws Exception {
        String testValue = System.clearProperty("artemis.cluster.password");
        try {
            Files.writeString(secretDir.resolve("cluster.properties"), "clusterPassword=from-the-secret-file\n");
            FileConfiguration primary = parsedBroker("live");
            primary.parseProperties(secretDir + "/");
            assertEquals("from-the-secret-file", primary.getClusterPassword());
        } finally {
            if (testValue != null) {
                System.setProperty("artemis.cluster.password", testValue);
            }
        }
        for (JsonNode pod : podTemplates(kubernetesResources())) {
            if (!pod.path("labels").path("app.kubernetes.io/name").asText().equals("artemis")) {
                continue;
            }
            JsonNode container = containers(pod).get(0);
            String mountPath = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                for (JsonNode volume : pod.path("spec").path("volumes")) {
                    if (volume.path("name").equals(mount.path("name"))
                            && volume.path("secret").path("secretName").asText().equals("artemis-cluster")) {
                        mountPath = mount.path("mountPath").asText();
                    }
                }
            }
            assertTrue(mountPath != null, pod.path("name") + " mounts the artemis-cluster Secret");
            assertTrue(container.path("env").toString().contains("-Dbroker.properties=" + mountPath + "/"),
                    pod.path("name") + " reads its broker properties from the mounted Secret");
        }
    }

    @Test
    void theNetwork_deniesByDefault_andAdmitsTheApiOnlyFromTheIngressController() throws Exception {
        List<JsonNode> resources = kubernetesResources();
        List<JsonNode> policies = resources.stream().filter(r -> r.path("kind").asText().equals("NetworkPolicy")).toList();
        assertTrue(policies.stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                        && p.path("spec").path("policyTypes").toString().contains("Ingress")
                        && p.path("spec").path("ingress").isEmpty()),
                "a policy selects every pod and admits nothing: deny by default");

        Map<String, String> gatewayLabels = Map.of("app.kubernetes.io/name", "gateway");
        int apiRules = 0;
        for (JsonNode rule : rulesSelecting(policies, gatewayLabels)) {
            if (coversPort(rule, 8080, "api")) {
                apiRules++;
                assertFalse(rule.path("from").isEmpty(), "a rule admits everyone to the API port: " + rule);
                for (JsonNode peer : rule.path("from")) {
                    assertEquals(INGRESS_NAMESPACE, peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText(),
                            "the API port admits someone other than the ingress controller: " + peer);
                    assertFalse(peer.has("ipBlock") || peer.has("podSelector"), "the API port admits " + peer);
                }
            }
            for (int partnerPort : List.of(8443, 8444)) {
                if (coversPort(rule, partnerPort, "exchange") || coversPort(rule, partnerPort, "soap")) {
                    assertFalse(rule.path("from").isEmpty(), "a rule admits everyone to port " + partnerPort);
                    for (JsonNode peer : rule.path("from")) {
                        assertTrue(peer.has("ipBlock") && !peer.path("ipBlock").path("cidr").asText().equals("0.0.0.0/0"),
                                "port " + partnerPort + " admits more than the partners' ranges: " + peer);
                    }
                }
            }
        }
        assertTrue(apiRules > 0, "the ingress controller reaches the API");

        for (String backend : List.of("artemis", "credit-db")) {
            Map<String, String> labels = backend.equals("artemis") ? Map.of("app.kubernetes.io/name", "artemis")
                    : Map.of("cnpg.io/cluster", "credit-db");
            List<JsonNode> rules = rulesSelecting(policies, labels);
            assertFalse(rules.isEmpty(), backend + " has a policy");
            for (JsonNode rule : rules) {
                assertFalse(rule.path("from").isEmpty(), backend + " admits everyone: " + rule);
                for (JsonNode peer : rule.path("from")) {
                    String pods = peer.path("podSelector").path("matchLabels").toString();
                    String namespace = peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText();
                    boolean gatewayOrItself = peer.has("podSelector") && !peer.has("namespaceSelector")
                            && (pods.contains("\"gateway\"") || pods.contains(labels.values().iterator().next()));
                    assertTrue(gatewayOrItself || namespace.equals("cnpg-system"),
                            backend + " admits someone other than the gateways, itself or its operator: " + peer);
                }
            }
        }
    }

    @Test
    void theApiConsoleAndRealm_areServedOverTls_withHttpRedirected() throws Exception {
        List<JsonNode> ingresses = kubernetesResources().stream().filter(r -> r.path("kind").asText().equals("Ingress")).toList();
        assertTrue(ingresses.stream().anyMatch(i -> i.toString().contains("\"gateway-api\"")), "an Ingress serves the API and console");
        for (JsonNode ingress : ingresses) {
            String name = ingress.path("metadata").path("name").asText();
            Set<String> tlsHosts = new HashSet<>();
            for (JsonNode tls : ingress.path("spec").path("tls")) {
                assertFalse(tls.path("secretName").asText().isEmpty(), name + ": a tls entry names its certificate's Secret");
                tls.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
            }
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                assertTrue(tlsHosts.contains(rule.path("host").asText()), name + " serves " + rule.path("host") + " without TLS");
            }
            assertEquals("true", ingress.path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/force-ssl-redirect").asText(),
                    name + " redirects plain HTTP to HTTPS");
        }
        for (JsonNode service : kubernetesResources()) {
            if (service.path("kind").asText().equals("Service") && service.path("spec").path("type").asText().equals("LoadBalancer")) {
                assertFalse(service.toString().contains("\"api\""), "the plain-HTTP API port is never on a load balancer");
            }
        }
    }

    @Test
    void theRealm_hasAPasswordPolicyOfTwelveCharactersOrMore_andLocksOutGuessing() throws Exception {
        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
        String policy = realm.path("passwordPolicy").asText();
        Matcher length = Pattern.compile("(?:^|\\s)length\\((\\d+)\\)").matcher(policy);
        assertTrue(length.find() && Integer.parseInt(length.group(1)) >= 12, "passwords of at least 12 characters: " + policy);
        for (String rule : List.of("upperCase(", "lowerCase(", "digits(", "specialChars(", "notUsername", "passwordHistory(")) {
            assertTrue(policy.contains(rule), "the password policy has " + rule + ": " + policy);
        }
        assertTrue(realm.path("bruteForceProtected").asBoolean(), "repeated failed sign-ins lock the account");
        int failures = realm.path("failureFactor").asInt(30);
        assertTrue(failures >= 1 && failures <= 10, "an account locks after at most 10 failures, not " + failures);
        assertTrue(realm.path("waitIncrementSeconds").asInt(60) >= 60 || realm.path("permanentLockout").asBoolean(),
                "a lockout lasts at least a minute");
    }

    private static List<JsonNode> kubernetesResources() throws IOException {
        Path k8s = DEPLOY.resolve("kubernetes");
        JsonNode kustomization = new YAMLMapper().readTree(k8s.resolve("kustomization.yaml").toFile());
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode file : kustomization.path("resources")) {
            resources.addAll(documents(k8s.resolve(file.asText())));
        }
        return resources;
    }

    /** Every pod template (Deployment, StatefulSet), with its workload's name and its pod labels. */
    private static List<JsonNode> podTemplates(List<JsonNode> resources) {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode r : resources) {
            JsonNode template = r.path("spec").path("template");
            if (template.has("spec")) {
                ObjectNode pod = new ObjectMapper().createObjectNode();
                pod.set("name", r.path("metadata").path("name"));
                pod.set("labels", template.path("metadata").path("labels"));
                pod.set("spec", template.path("spec"));
                pods.add(pod);
            }
        }
        return pods;
    }

    private static List<JsonNode> containers(JsonNode pod) {
        List<JsonNode> out = new ArrayList<>();
        pod.path("spec").path("initContainers").forEach(out::add);
        pod.path("spec").path("containers").forEach(out::add);
        return out;
    }

    /** The ingress rules of every policy whose pod selector takes pods with these labels. */
    private static List<JsonNode> rulesSelecting(List<JsonNode> policies, Map<String, String> labels) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode policy : policies) {
            JsonNode selector = policy.path("spec").path("podSelector");
            boolean selects = !selector.has("matchExpressions");
            for (var wanted = selector.path("matchLabels").fields(); wanted.hasNext(); ) {
                var label = wanted.next();
                selects &= label.getValue().asText().equals(labels.get(label.getKey()));
            }
            if (selects) {
                policy.path("spec").path("ingress").forEach(rules::add);
            }
        }
        return rules;
    }

    /** Whether an ingress rule admits traffic to this port (a rule without ports admits every port). */
    private static boolean coversPort(JsonNode rule, int number, String name) {
        if (!rule.has("ports") || rule.path("ports").isEmpty()) {
            return true;
        }
        for (JsonNode port : rule.path("ports")) {
            if (!port.has("port") || port.path("port").asText().equals(String.valueOf(number)) || port.path("port").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static FileConfiguration broker(String role) throws Exception {
        System.setProperty("artemis.cluster.password", "test-only");
        return parsedBroker(role);
    }

    /** broker.xml as Artemis parses it, with whatever system properties are set. */
    private static FileConfiguration parsedBroker(String role) throws Exception {
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

    @Test
    void theClustersNodeConfiguration_isOneTheProductionProfileStarts(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path passphrase = dir.resolve("passphrase");
        java.nio.file.Files.writeString(passphrase, "the cluster's key passphrase\n");
        NodeConfig config = NodeConfig.load(DEPLOY.resolve("kubernetes").resolve("gateway.properties"), Map.of(), new java.util.Properties())
                .with("gateway.credentials.passphrase", "file:" + passphrase); // the Secret's file, mounted in the pod
        assertEquals(NodeProfile.PRODUCTION, NodeProfile.check(config));
        assertEquals("true", config.get("gateway.http.tls"), "the API answers HTTPS inside the cluster too");
    }
}
