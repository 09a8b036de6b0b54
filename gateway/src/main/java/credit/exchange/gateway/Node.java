package credit.exchange.gateway;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.gateway.federation.Federation;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.ApiTls;
import credit.exchange.gateway.infra.ApiServerTimeouts;
import credit.exchange.gateway.infra.BrokerConnection;
import credit.exchange.gateway.infra.BrokerSettings;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.gateway.infra.EmbeddedBroker;
import credit.exchange.gateway.ops.NodeApiRoutes;
import credit.exchange.gateway.infra.ScrapeToken;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.access.AuthorisationRoutes;
import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.api.AnswerHeaders;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.Doorkeeper;
import credit.exchange.routes.api.DevIssuerRoutes;
import credit.exchange.routes.audit.AuditRoutes;
import credit.exchange.routes.audit.AuditSearch;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.audit.ChainMonitor;
import credit.exchange.routes.audit.ConsoleRoutes;
import credit.exchange.routes.ingest.BulkImporter;
import credit.exchange.routes.ingest.IngestRoutes;
import credit.exchange.routes.ingest.QualityReport;
import credit.exchange.routes.push.ReceivedRecords;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.QueryRoutes;
import credit.exchange.routes.query.RecordExport;
import credit.exchange.routes.query.RecordDisclosure;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.delivery.RelayWatch;
import credit.exchange.security.CodedException;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.SignedConsents;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.auth.BearerTokens;
import credit.exchange.security.auth.DevIssuer;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running alliance node: its credit store, its broker, and the Camel routes of every flow
 * behind one HTTP server. Everything durable is in PostgreSQL; nothing in this object survives
 * a restart, and nothing needs to.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final Clock clock;
    private final Deque<AutoCloseable> resources;
    private final CamelContext camel;

    private Node(NodeConfig config, Clock clock, Deque<AutoCloseable> resources, CamelContext camel) {
        this.config = config;
        this.clock = clock;
        this.resources = resources;
        this.camel = camel;
    }

    /** Starts the node and returns once its routes run; {@link #close()} stops it. */
    public static Node start(NodeConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts the node on {@code clock}, the one clock every flow of it reads (tests give a fixed or
     * moving one); the configuration is read and checked first ({@link NodeSettings}).
     */
    public static Node start(NodeConfig config, Clock clock) throws Exception {
        NodeSettings settings = NodeSettings.read(config);
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Files.createDirectories(config.nodeDir());
            Optional<NodeIdentity> identity = NodeIdentity.load(config, clock);
            Realm realm = realm(settings, clock);
            boolean protectionKeysCreated = !Files.exists(config.personalIdKeyFile());
            PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));

            CreditStoreConnection store = CreditStoreConnection.openOrCreate(config);
            resources.push(store);

            BrokerSettings brokerSettings = settings.broker();
            String brokerUrl;
            if (brokerSettings.url().isPresent()) {
                brokerUrl = brokerSettings.url().get();
            } else {
                EmbeddedBroker broker = EmbeddedBroker.start(config.nodeDir(), brokerSettings.embeddedPort());
                resources.push(broker);
                brokerUrl = broker.url();
            }
            // the data directory is this node's now (the broker's lock): the CLI on this host reads its configuration there
            config.saveInForce();
            BrokerConnection brokerConnection = new BrokerConnection(brokerUrl, brokerSettings.user(), brokerSettings.password());
            resources.push(brokerConnection);

            var database = store.database();
            CategoryCatalogue catalogue = CategoryCatalogue.load(database);
            BulkImporter importer = new BulkImporter(database, catalogue, protector, clock);
            AccessPolicy policy = new AccessPolicy(RecordDisclosure.parse(config.withPrefix("gateway.disclosure."), catalogue));
            AuditSettings auditSettings = settings.audit();
            AuditStore audit = new AuditStore(database, config.nodeId(), auditSettings.chain());
            AuditWriter auditWriter = new AuditWriter(audit, auditSettings.batch());
            resources.push(auditWriter);
            AccessEvents accessEvents = new AccessEvents(auditWriter);
            // what other nodes handed this one (the province's pulls) is answered by the local API too
            LocalQueryService queries = new LocalQueryService(database, catalogue, policy, protector, accessEvents,
                    new ReceivedRecords(), clock);

            Main main = new Main();
            main.addInitialProperty("camel.main.name", "gateway-" + config.nodeId());
            // a stop is quick and quiet: what is in flight is a timer's round or a retry, which the database
            // resumes at the next start (nothing accepted lives only in memory)
            main.addInitialProperty("camel.main.shutdownTimeout", Long.toString(settings.api().shutdown().toSeconds()));
            main.addInitialProperty("camel.main.shutdownSuppressLoggingOnTimeout", "true");
            main.addInitialProperty("camel.main.shutdownLogInflightExchangesOnTimeout", "false");
            main.addInitialProperty("camel.server.enabled", "true");
            main.addInitialProperty("camel.server.host", settings.api().host());
            main.addInitialProperty("camel.server.port", Integer.toString(settings.api().port()));
            if (settings.api().tls()) {
                SSLContextParameters tls = ApiTls.of(identity.flatMap(NodeIdentity::tlsCredential).orElseThrow(() ->
                        new IllegalArgumentException("gateway.http.tls=true serves the API with the node's INTL credential;"
                                + " configure gateway.credentials.intl.key and .cert")));
                main.addInitialProperty("camel.server.useGlobalSslContextParameters", "true");
                main.addMainListener(new MainListenerSupport() {
                    @Override
                    public void beforeConfigure(BaseMainSupport camelMain) {
                        camelMain.getCamelContext().setSSLContextParameters(tls);
                    }
                });
            }
            // the API port's header and idle timeouts, which camel.server.* lacks: Camel's HTTP server runs on this Vert.x
            ApiServerTimeouts apiTimeouts = new ApiServerTimeouts(settings.transport().headerTimeout(), settings.transport().idleTimeout());
            resources.push(apiTimeouts);
            main.bind("vertx", apiTimeouts.vertx());
            main.addInitialProperty("camel.metrics.enabled", "true");
            // per-endpoint exchange timers: the flows keep their own metrics (ExchangeMetrics, PushRoutes)
            main.addInitialProperty("camel.metrics.enableExchangeEventNotifier", "false");
            main.addInitialProperty("camel.metrics.binders", "processor,jvm-info,jvm-memory,jvm-gc,jvm-thread,jvm-compilation,file-descriptor");
            // answers carry only the headers the node sets: nothing of a request is reflected (AnswerHeaders)
            main.bind(AnswerHeaders.REGISTRY_NAME, new AnswerHeaders());
            main.addInitialProperty("camel.component.platform-http.header-filter-strategy", "#" + AnswerHeaders.REGISTRY_NAME);
            RelayWatch relayWatch = new RelayWatch(clock);
            main.configure().addRoutesBuilder(new NodeApiRoutes(config.nodeId(), database, brokerConnection, relayWatch, clock));
            realm.devIssuer().ifPresent(dev -> main.configure().addRoutesBuilder(new DevIssuerRoutes(dev)));
            Authenticator authenticator = new Authenticator(realm.tokens(), Optional.of(ScrapeToken.loadOrCreate(config.metricsTokenFile())));
            // every HTTP door of the node, checked before its route runs (DoorPolicy); refusals are audit events
            main.bind(Doorkeeper.REGISTRY_NAME, new Doorkeeper(authenticator, refusal -> auditWriter.submit(List.of(refusal)), clock));
            SubjectAuthorisations authorisations = new SubjectAuthorisations(database, protector, subjectConsents(settings, clock));
            main.configure().addRoutesBuilder(new QueryRoutes(queries, new RecordExport(queries, catalogue, auditWriter, clock), authenticator,
                    authorisations));
            main.configure().addRoutesBuilder(new AuthorisationRoutes(authorisations, authenticator, policy));
            main.configure().addRoutesBuilder(new IngestRoutes(importer, authenticator, new QualityReport(database), config.inbox(),
                    config.nodeDir().resolve("work")));
            auditWriter.append(List.of(keysInForce(identity, protectionKeysCreated, clock)));
            Optional<Envelopes> checkpointSigner = identity.flatMap(id -> checkpointSigner(settings, id, clock));
            ChainMonitor chainMonitor = new ChainMonitor(audit, checkpointSigner, clock);
            main.configure().addRoutesBuilder(new AuditRoutes(audit, auditSettings.chainMs(), auditSettings.batch(),
                    checkpointSigner.map(signer -> new AuditRoutes.CheckpointPolicy(signer, auditSettings.checkpointEvents(),
                            auditSettings.checkpointInterval())),
                    chainMonitor, auditSettings.verifyInterval()));
            main.configure().addRoutesBuilder(new ConsoleRoutes(new ConsoleRoutes.Settings(config.nodeId(), realm.tokens().issuer(),
                    auditSettings.consoleClientId(), checkpointSigner, auditSettings.batch(), config.crlsPem(),
                    auditSettings.countersignGrace()),
                    authenticator, audit, auditWriter, new AuditSearch(database, config.nodeId()), chainMonitor,
                    authorisations::subjectKey));
            if (identity.isPresent()) {
                Federation federation = Federation.create(settings, identity.get(), new Federation.NodeServices(database, catalogue,
                        queries, authorisations, authenticator, policy, auditWriter, brokerConnection.factory(), relayWatch, clock));
                resources.push(federation);
                federation.registryBindings().forEach(main::bind);
                federation.routes().forEach(main.configure()::addRoutesBuilder);
            } else {
                LOG.info("node {} holds no alliance credential: no exchange listener, no partner queries", config.nodeId());
            }
            main.start();
            resources.push(main::stop);
            LOG.info("node {} listening on {}", config.nodeId(), settings.api().baseUrl());
            return new Node(config, clock, resources, main.getCamelContext());
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The check of consents data subjects sign with their own certificates: the subject CAs
     * (gateway.trust.subject-anchors) and their CRLs (gateway.trust.subject-crls).
     */
    private static SignedConsents subjectConsents(NodeSettings settings, Clock clock) throws IOException {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path f : settings.trust().subjectAnchors()) {
            anchors.addAll(PemFiles.readCertificates(f));
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Path f : settings.trust().subjectCrls()) {
            crls.add(PemFiles.readCrl(f));
        }
        return new SignedConsents(anchors, crls, clock);
    }

    /** The key operation of every start: which credentials the node signs, seals and answers TLS with, and its personal-ID keys. */
    private static AuditEvent keysInForce(Optional<NodeIdentity> identity, boolean protectionKeysCreated, Clock clock) {
        String detail = identity.map(NodeIdentity::describe).orElse("no alliance credential")
                + "; personal-ID protection keys " + (protectionKeysCreated ? "created" : "loaded");
        return AuditEvent.by(AuditEvent.ActorKind.OPERATOR, "node", AuditEvent.Action.KEY).at(clock.instant())
                .outcome(protectionKeysCreated ? AuditEvent.Outcome.CREATED : AuditEvent.Outcome.LOADED).detail(detail).build();
    }

    /** The node signs its audit checkpoints with its credential of the chain's suite; without one, it signs none (logged). */
    private static Optional<Envelopes> checkpointSigner(NodeSettings settings, NodeIdentity identity, Clock clock) {
        try {
            return Optional.of(identity.envelopes(new InMemoryReplayGuard(clock), clock).suite(settings.audit().chain().suite()));
        } catch (CodedException e) {
            LOG.warn("node {} signs no audit checkpoints: {}", settings.nodeId(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The realm whose bearer tokens the API accepts: {@code gateway.auth.issuer}, or, without one,
     * the development issuer this node runs itself ({@link DevIssuer}, labelled in the log), which
     * the production profile refuses.
     */
    private static Realm realm(NodeSettings settings, Clock clock) {
        AuthSettings auth = settings.auth();
        Optional<DevIssuer> dev = Optional.empty();
        String issuer;
        if (auth.issuer().isPresent()) {
            issuer = auth.issuer().get();
        } else {
            // a production node never gets here (NodeProfile refuses it)
            DevIssuer devIssuer = new DevIssuer(settings.api().baseUrl(), auth.audience(), clock);
            LOG.warn("node {} has no realm (gateway.auth.issuer): it runs the DEVELOPMENT ISSUER at {}, which signs tokens"
                    + " without passwords — for development and the demo only", settings.nodeId(), devIssuer.issuer());
            dev = Optional.of(devIssuer);
            issuer = devIssuer.issuer();
        }
        Optional<String> introspection = dev.isPresent() ? Optional.empty() : auth.introspectionSecret();
        if (dev.isEmpty() && introspection.isEmpty()) {
            LOG.warn("node {}: no gateway.auth.introspection-secret; a token stays valid until it expires, even after its user"
                    + " is disabled", settings.nodeId());
        }
        return new Realm(new BearerTokens(issuer, auth.audience(), auth.keyRefresh(), clock, introspection, auth.activeFor()), dev);
    }

    private record Realm(BearerTokens tokens, Optional<DevIssuer> devIssuer) {
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void awaitShutdown() throws InterruptedException {
        var stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "node-shutdown"));
        stopped.await();
    }

    public NodeConfig config() {
        return config;
    }

    /** The clock every flow of this node reads. */
    public Clock clock() {
        return clock;
    }

    /** The running routes (the door policy's test lists the HTTP ones). */
    public CamelContext camelContext() {
        return camel;
    }

    @Override
    public synchronized void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
