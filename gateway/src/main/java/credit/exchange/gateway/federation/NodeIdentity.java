package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Passphrases;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who this node is in the alliance: its credential in each suite it holds, the trust anchors
 * and CRLs it validates partners with, and the envelope policy. Loaded from the
 * {@code gateway.credentials.*} and {@code gateway.trust.*} configuration; the CRLs come from the
 * files named there and, when those hold no current one, from the distribution points of the
 * node's own certificates ({@link CrlDistribution}).
 */
public final class NodeIdentity {

    private final String nodeId;
    private final Map<Suite, NodeCredentials> credentials;
    private final CertificateValidator validator;
    private final CrlDistribution crls;
    private final EnvelopePolicy policy;
    private final Envelopes.Signing signing;

    private NodeIdentity(String nodeId, Map<Suite, NodeCredentials> credentials, CertificateValidator validator,
                         CrlDistribution crls, EnvelopePolicy policy, Envelopes.Signing signing) {
        this.nodeId = nodeId;
        this.credentials = credentials;
        this.validator = validator;
        this.crls = crls;
        this.policy = policy;
        this.signing = signing;
    }

    /** The identity the configuration names, or empty if it names no credential (a node outside any alliance). */
    public static Optional<NodeIdentity> load(NodeConfig config, Clock clock) throws IOException {
        Map<Suite, NodeCredentials> credentials = new EnumMap<>(Suite.class);
        for (Suite suite : Suite.values()) {
            String prefix = "gateway.credentials." + suite.name().toLowerCase(java.util.Locale.ROOT);
            String key = config.get(prefix + ".key");
            if (key.isEmpty()) {
                continue;
            }
            NodeCredentials c = NodeCredentials.load(Path.of(key), Path.of(config.get(prefix + ".cert")),
                    Passphrases.from(config.get("gateway.credentials.passphrase")));
            if (c.suite() != suite || !c.nodeId().equals(config.nodeId())) {
                throw new IllegalArgumentException(prefix + " is a " + c.suite() + " credential of node " + c.nodeId()
                        + ", not a " + suite + " credential of " + config.nodeId());
            }
            credentials.put(suite, c);
        }
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path f : config.paths("gateway.trust.anchors")) {
            anchors.addAll(PemFiles.readCertificates(f));
        }
        List<Path> crlFiles = config.paths("gateway.trust.crls");
        CertificateValidator validator = new CertificateValidator(anchors, List.of(), clock,
                config.duration("gateway.trust.crl-grace-seconds", java.time.temporal.ChronoUnit.SECONDS, 0));
        CrlDistribution crls = new CrlDistribution(validator, crlFiles, clock);
        for (Path f : crlFiles) {
            crls.adopt(PemFiles.readCrl(f), f.toString()); // at start a damaged file stops the node; later it is logged and skipped
        }
        if (!crls.current()) {
            // no current CRL in the files (or none named): the distribution points of our own certificates may have one
            crls.fetch(credentials.values().stream().map(NodeCredentials::certificate).toList());
        }
        for (NodeCredentials c : credentials.values()) {
            validator.validate(c.certificate(), c.suite(), Usage.SIGNING); // our own certificate must pass our own checks
        }
        EnvelopePolicy policy = new EnvelopePolicy(config.duration("gateway.exchange.freshness-seconds", java.time.temporal.ChronoUnit.SECONDS, 1),
                config.whole("gateway.exchange.max-envelope-bytes", 1024));
        Envelopes.Signing signing = config.flag("gateway.exchange.batch-signing")
                ? Envelopes.Signing.BATCHED : Envelopes.Signing.PER_MESSAGE;
        return Optional.of(new NodeIdentity(config.nodeId(), Map.copyOf(credentials), validator, crls, policy, signing));
    }

    /** The node's envelope layer, its message ids remembered by {@code replay}. */
    public NodeEnvelopes envelopes(ReplayGuard replay, Clock clock) {
        Map<Suite, Envelopes> bySuite = new EnumMap<>(Suite.class);
        credentials.forEach((suite, c) -> bySuite.put(suite, new Envelopes(c,
                (presented, s) -> validator.validate(presented, s, Usage.SIGNING), replay, clock, policy, signing)));
        return new NodeEnvelopes(bySuite, policy);
    }

    /**
     * The credentials in force, as the audit trail records them at start (a key operation): per
     * suite, the certificate's serial, subject, signature algorithm and validity, never key material.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Suite suite : Suite.values()) {
            NodeCredentials c = credentials.get(suite);
            if (c == null) {
                continue;
            }
            X509Certificate cert = c.certificate();
            out.append(out.isEmpty() ? "" : "; ").append(suite).append(" certificate serial ").append(cert.getSerialNumber().toString(16))
                    .append(" (").append(cert.getSubjectX500Principal().getName()).append(", signed ").append(cert.getSigAlgName())
                    .append(", valid until ").append(cert.getNotAfter().toInstant()).append(")");
        }
        return out.toString();
    }

    /** The node's certificate of a suite, if it holds a credential in it. */
    public Optional<X509Certificate> certificate(Suite suite) {
        return Optional.ofNullable(credentials.get(suite)).map(NodeCredentials::certificate);
    }

    /** The TLS credential: the INTL one. */
    public Optional<NodeCredentials> tlsCredential() {
        return Optional.ofNullable(credentials.get(Suite.INTL));
    }

    /** Re-reads the CRL files; a newer CRL takes effect at once. A file that cannot be read is logged and skipped. */
    public void refreshCrls() {
        crls.rereadFiles();
    }

    /** Where the node's CRLs come from (files, distribution points) and what it serves of them. */
    public CrlDistribution crls() {
        return crls;
    }

    /** The node's own certificates, of every suite it holds. */
    public List<X509Certificate> certificates() {
        return credentials.values().stream().map(NodeCredentials::certificate).toList();
    }

    public String nodeId() {
        return nodeId;
    }

    public CertificateValidator validator() {
        return validator;
    }

    public EnvelopePolicy policy() {
        return policy;
    }
}
