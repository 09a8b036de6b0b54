package credit.exchange.gateway.federation;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.gateway.NodeSettings;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.alliance.AllianceNotices;
import credit.exchange.routes.alliance.AllianceRoutes;
import credit.exchange.routes.alliance.CreditObjections;
import credit.exchange.routes.alliance.CreditRepairs;
import credit.exchange.routes.alliance.JointSanctions;
import credit.exchange.routes.alliance.NoticeKind;
import credit.exchange.routes.alliance.NoticeCourier;
import credit.exchange.routes.alliance.NoticeReceiver;
import credit.exchange.routes.alliance.Recognitions;
import credit.exchange.routes.alliance.ServiceFilings;
import credit.exchange.routes.api.AnswerHeaders;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.countersign.CheckpointCourier;
import credit.exchange.routes.countersign.CountersignRoutes;
import credit.exchange.routes.countersign.Countersignatures;
import credit.exchange.routes.delivery.Courier;
import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.delivery.DeliveryEngine;
import credit.exchange.routes.delivery.DeliveryRoutes;
import credit.exchange.routes.delivery.PublicityDeadlines;
import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.delivery.RelayWatch;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.exchange.ExchangeMessages;
import credit.exchange.routes.exchange.ExchangeRoutes;
import credit.exchange.routes.exchange.InboundExchange;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.RateLimiter;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.mutualquery.MutualQueryRoutes;
import credit.exchange.routes.mutualquery.PartnerQueryHandler;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.partnerstatus.PartnerStatus;
import credit.exchange.routes.partnerstatus.PartnerStatusRoutes;
import credit.exchange.routes.push.OutboxPuller;
import credit.exchange.routes.push.PublicityCourier;
import credit.exchange.routes.push.PublicityReceiver;
import credit.exchange.routes.push.PullService;
import credit.exchange.routes.push.PullCourier;
import credit.exchange.routes.push.PushRoutes;
import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.push.ReceivedRoutes;
import credit.exchange.routes.push.soap.ProvincePullRoutes;
import credit.exchange.routes.push.soap.SoapCarrier;
import credit.exchange.routes.push.soap.SoapListener;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.report.CreditReports;
import credit.exchange.routes.report.ReportRoutes;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.transport.MutualTls;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.transport.http_undertow.UndertowHTTPServerEngineFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The node's part in the alliance, wired from its configuration: the partner directory (re-read
 * on change), the exchange listener on its own port with mutual TLS, the CRL port (plain HTTP)
 * and the CRL refresh, the client that calls partners, and the query flows on top.
 */
public final class Federation implements AutoCloseable {

    /** Registry name of the listener's TLS context, as the listener URI refers to it. */
    public static final String LISTENER_TLS = "exchangeListenerTls";

    /** JMS sessions kept open for the push flows' queues (one per consumer thread at most, a few for the relay). */
    private static final int BROKER_SESSIONS = 8;
    /** What the listener accepts beyond the largest envelope: the request's framing. */
    private static final int ENVELOPE_SLACK_BYTES = 1024;

    private final List<RoutesBuilder> routes;
    private final SSLContext listenerTls;
    private final ListenerGuard listenerGuard;
    private final ListenerGuard crlGuard;
    private final Bus bus;
    private final int soapPort;
    private final CachingConnectionFactory broker;
    private final CountersignRoutes countersigning;
    private final CrlDistribution crls;

    private Federation(List<RoutesBuilder> routes, SSLContext listenerTls, ListenerGuard listenerGuard, ListenerGuard crlGuard, Bus bus,
                       int soapPort, CachingConnectionFactory broker, CountersignRoutes countersigning, CrlDistribution crls) {
        this.crlGuard = crlGuard;
        this.countersigning = countersigning;
        this.crls = crls;
        this.routes = routes;
        this.listenerTls = listenerTls;
        this.listenerGuard = listenerGuard;
        this.bus = bus;
        this.soapPort = soapPort;
        this.broker = broker;
    }

    /** What the node has built before its federation, and the flows here use: its store, query service, access, audit, broker, clock. */
    public record NodeServices(Database database, CategoryCatalogue catalogue, LocalQueryService queries,
                               SubjectAuthorisations authorisations, Authenticator authenticator, AccessPolicy policy,
                               AuditWriter audit, ConnectionFactory broker, RelayWatch relayWatch, Clock clock) {
    }

    /** The exchange flow's core: the client that calls partners, the inbound side, and what both share. */
    private record Exchange(PartnerDirectory partners, PushSubscriptions subscriptions, ExchangeMessages messages,
                            NodeEnvelopes envelopes, NodeEnvelopes answerEnvelopes, NodeCredentials tls,
                            Function<Partner, SSLContext> clientTls, PartnerClient client, Map<Partner.ExchangeType, ExchangeHandler> handlers) {
    }

    public static Federation create(NodeSettings settings, NodeIdentity identity, NodeServices node) {
        ExchangeSettings exchangeSettings = settings.exchange();
        TransportSettings transport = settings.transport();
        Clock clock = node.clock();
        Database database = node.database();
        AuditWriter audit = node.audit();
        Exchange exchange = exchange(settings, identity, node);
        PartnerDirectory partners = exchange.partners();
        boolean devMode = exchangeSettings.devMode();
        Map<Partner.ExchangeType, ExchangeHandler> handlers = exchange.handlers();
        PartnerClient client = exchange.client();

        ReceivedDeliveries received = new ReceivedDeliveries(database);
        handlers.put(Partner.ExchangeType.PUBLICITY, new PublicityReceiver(received));
        Deliveries deliveries = new Deliveries(database, clock);
        List<Courier> couriers = new ArrayList<>(List.of(new PublicityCourier(identity.nodeId(), client, database)));
        Countersignatures countersignatures = new Countersignatures(database, identity.nodeId(), exchange.answerEnvelopes());
        handlers.put(Partner.ExchangeType.CHECKPOINT, countersignatures.witness());
        couriers.add(new CheckpointCourier(countersignatures, client));
        CountersignRoutes countersigning = new CountersignRoutes(countersignatures, partners, deliveries,
                settings.audit().countersignInterval().toMillis(), clock);
        AllianceFlows alliance = alliance(settings, identity, node, exchange, couriers);
        InboundExchange inbound = new InboundExchange(identity.nodeId(), exchange.envelopes(), partners, exchange.messages(),
                new RateLimiter(clock), handlers, audit, clock);

        // the transport doors (docs/protocol.md, "Transport"): how long a peer may take, how much it may hold
        ListenerGuard listenerGuard = new ListenerGuard("exchange listener", transport.headerTimeout(), transport.requestTimeout(),
                transport.idleTimeout(), devMode ? null : identity.validator());
        ListenerGuard crlGuard = new ListenerGuard("CRL port", transport.headerTimeout(), transport.requestTimeout(),
                transport.idleTimeout(), null);
        SSLContext listenerTls = devMode ? null : MutualTls.server(exchange.tls(), identity.validator());
        int crlPort = exchangeSettings.crlPort();
        CrlRoutes crlRoutes = new CrlRoutes(identity.crls(), crlPort > 0 ? CrlRoutes.listener(exchangeSettings.host(), crlPort)
                : null, settings.trust().crlRefresh().toMillis(), () -> {
                    List<X509Certificate> known = new ArrayList<>(identity.certificates());
                    partners.all().forEach(p -> known.add(p.certificate()));
                    return known;
                });
        Bus bus = BusFactory.newInstance().createBus();
        MutualQueryRoutes mutualQueries = new MutualQueryRoutes(partners, client, node.authenticator(), node.policy(),
                new AccessEvents(audit), node.catalogue(), settings.alliance().userQueries(), clock);
        List<RoutesBuilder> routes = new ArrayList<>(List.of(
                new ExchangeRoutes(inbound, exchange.messages(), listenerUri(exchangeSettings, identity), devMode),
                mutualQueries,
                countersigning));
        routes.addAll(alliance.routes());
        routes.add(new ReportRoutes(new CreditReports(settings.report(), database, node.queries(), node.catalogue(),
                id -> partners.find(id).map(p -> CreditReports.nameZh(p.name())).orElse(id), Optional.of(mutualQueries::ask),
                alliance.recognitions()::status, exchange.envelopes().signing(settings.audit().chain().suite()), clock),
                node.authenticator(), node.authorisations()));
        routes.addAll(List.of(
                new PartnerStatusRoutes(new PartnerStatus(identity.nodeId(), partners, database, clock)),
                new ReceivedRoutes(received, partners),
                crlRoutes,
                partnerConfigReload(settings.partners(), identity, exchange, audit, clock)));
        int soapPort = exchangeSettings.soapPort();
        if (soapPort > 0) {
            String host = exchangeSettings.host();
            SoapListener.install(bus, host, soapPort, devMode ? Optional.empty()
                    : Optional.of(MutualTls.server(exchange.tls(), identity.validator(), SoapListener::handshakeRefused)),
                    new SoapListener.Limits(ProvincePullRoutes.maxBodyBytes(identity.policy().maxBytes()),
                            exchangeSettings.soapRequestsPerPeer(), transport.headerTimeout(), transport.requestTimeout(),
                            transport.idleTimeout()));
            routes.add(new ProvincePullRoutes(inbound, exchangeSettings.scheme() + "://" + host + ":" + soapPort + ProvincePullRoutes.PATH,
                    bus, identity.policy().maxBytes(), devMode));
        }
        routes.add(push(settings.push(), identity, node, exchange, received, new SoapCarrier(bus, exchange.clientTls()), deliveries, couriers));
        routes.add(new DeliveryRoutes(new DeliveryEngine(deliveries, couriers, partners::find, settings.push().requeueAfter()), partners,
                settings.push().queues(), settings.push().timing(), node.relayWatch()));
        CachingConnectionFactory cachedBroker = new CachingConnectionFactory(node.broker());
        cachedBroker.setSessionCacheSize(BROKER_SESSIONS);
        return new Federation(routes, listenerTls, listenerGuard, crlGuard, bus, soapPort, cachedBroker, countersigning, identity.crls());
    }

    /** The exchange listener's endpoint: netty-http on its host and port, behind the listener guard, mutual TLS unless in dev mode. */
    private static String listenerUri(ExchangeSettings exchange, NodeIdentity identity) {
        return "netty-http:" + exchange.scheme() + "://" + exchange.host() + ":" + exchange.port() + "/exchange?chunkedMaxContentLength="
                + (identity.policy().maxBytes() + ENVELOPE_SLACK_BYTES) + "&decoders=#" + ListenerGuard.NAME
                + "&headerFilterStrategy=#" + AnswerHeaders.REGISTRY_NAME
                + (exchange.devMode() ? "" : "&ssl=true&needClientAuth=true&sslContextParameters=#" + LISTENER_TLS);
    }

    /** Re-reads the partner files (and the CRLs) on change: subscriptions follow, and the change is audited. */
    private static RouteBuilder partnerConfigReload(PartnerSettings settings, NodeIdentity identity, Exchange exchange, AuditWriter audit,
                                                    Clock clock) {
        long reloadMillis = settings.reload().toMillis();
        PartnerDirectory partners = exchange.partners();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:partner-config-reload?period=" + reloadMillis + "&delay=" + reloadMillis)
                        .routeId("partner-config-reload")
                        .process(e -> {
                            PartnerDirectory.Reload reloaded = partners.reload();
                            if (!reloaded.changed().isEmpty()) {
                                exchange.subscriptions().sync(partners.all());
                                audit.append(List.of(configurationChanged(reloaded, clock)));
                            }
                            identity.refreshCrls();
                        });
            }
        };
    }

    /**
     * The partner directory (its configuration in force audited at start), the envelope layers, the
     * client that calls partners, and the inbound handlers of queries and pulls.
     */
    private static Exchange exchange(NodeSettings settings, NodeIdentity identity, NodeServices node) {
        Clock clock = node.clock();
        Database database = node.database();
        PartnerDirectory partners = settings.partners().directory();
        PushSubscriptions subscriptions = new PushSubscriptions(database, node.catalogue());
        node.audit().append(List.of(configurationChanged(partners.reload(), clock))); // the configuration in force at start
        subscriptions.sync(partners.all());

        ExchangeMessages messages = new ExchangeMessages(database, clock);
        NodeEnvelopes envelopes = identity.envelopes(messages, clock);
        Function<Partner, SSLContext> clientTls = settings.exchange().clientTls(identity);
        NodeCredentials tls = identity.tlsCredential().orElse(null);
        // An answer is accepted only as the answer to a request this node is waiting for (its
        // correlation id), so answers need no durable replay claim: the in-memory guard refuses a
        // repeated answer, and an old one matches no pending request. Requests keep the durable one.
        NodeEnvelopes answerEnvelopes = identity.envelopes(new InMemoryReplayGuard(clock), clock);
        PartnerClient client = new PartnerClient(identity.nodeId(), answerEnvelopes, clientTls, new SentExchanges(database),
                identity.policy(), node.audit(), clock);
        Map<Partner.ExchangeType, ExchangeHandler> handlers = new HashMap<>();
        handlers.put(Partner.ExchangeType.QUERY, new PartnerQueryHandler(node.queries(), node.authorisations()));
        handlers.putAll(new PullService(identity.nodeId(), database, new PublicityDeliveries(database, clock), messages, envelopes).handlers());
        return new Exchange(partners, subscriptions, messages, envelopes, answerEnvelopes, tls, clientTls, client, handlers);
    }

    /** The alliance workflows' routes, and the recognitions a credit report states. */
    private record AllianceFlows(List<RoutesBuilder> routes, Recognitions recognitions) {
    }

    /** The alliance workflows (sanctions, recognitions, repairs, objections, filings), their notices' receiver and delivery. */
    private static AllianceFlows alliance(NodeSettings settings, NodeIdentity identity, NodeServices node, Exchange exchange,
                                                List<Courier> couriers) {
        Clock clock = node.clock();
        Database database = node.database();
        AllianceSettings alliance = settings.alliance();
        AllianceNotices notices = new AllianceNotices(database, clock);
        JointSanctions sanctions = new JointSanctions(database, notices, clock);
        Recognitions recognitions = new Recognitions(database, notices, identity.nodeId(),
                exchange.envelopes().signing(settings.audit().chain().suite()), new StatementVerifier(identity.validator()),
                alliance.penaltyYears(), clock);
        Map<String, NoticeKind> noticeKinds = new HashMap<>(sanctions.kinds());
        noticeKinds.putAll(recognitions.kinds());
        CreditRepairs repairs = new CreditRepairs(database, notices, identity.nodeId(), clock);
        noticeKinds.putAll(repairs.kinds());
        CreditObjections objections = new CreditObjections(database, notices, identity.nodeId());
        noticeKinds.putAll(objections.kinds());
        ServiceFilings filings = new ServiceFilings(database, notices, recognitions, identity.nodeId());
        noticeKinds.putAll(filings.kinds());
        exchange.handlers().put(Partner.ExchangeType.NOTICE, new NoticeReceiver(database, noticeKinds));
        couriers.add(new NoticeCourier(notices, exchange.client(), alliance.retryPause(), clock));
        return new AllianceFlows(List.of(
                new AllianceRoutes(sanctions, recognitions, repairs, objections, filings, notices, exchange.partners(),
                        node.authenticator(), alliance.repairExpiry(), alliance.recognitionWatch())), recognitions);
    }

    /** The push flows: this node's pulls from partners (a courier of the engine), publicity deadlines. */
    private static RoutesBuilder push(PushSettings push, NodeIdentity identity, NodeServices node, Exchange exchange,
                                      ReceivedDeliveries received, SoapCarrier soap, Deliveries deliveries, List<Courier> couriers) {
        OutboxPuller puller = new OutboxPuller(identity.nodeId(), exchange.client(), exchange.answerEnvelopes(), received, node.clock());
        PartnerClient.Carrier rest = exchange.client().listener();
        couriers.add(new PullCourier(puller,
                p -> p.pullFrom().map(Partner.PullFrom::binding).orElse(Partner.Binding.REST) == Partner.Binding.SOAP ? soap : rest,
                node.clock()));
        return new PushRoutes(exchange.partners(), deliveries, new PublicityDeadlines(node.database(), node.clock()), push.pushTiming());
    }

    /** What the routes refer to by name in the registry; bind before the routes start. */
    public Map<String, Object> registryBindings() {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("jms", JmsComponent.jmsComponent(broker));
        bindings.put(ListenerGuard.NAME, listenerGuard);
        bindings.put(ListenerGuard.CRL_NAME, crlGuard);
        bindings.put(CountersignRoutes.REGISTRY_NAME, countersigning.standing()); // the partners' standing, for the readiness probe
        bindings.put(CrlDistribution.REGISTRY_NAME, crls); // the CRLs held, for the readiness probe
        if (listenerTls != null) {
            bindings.put(LISTENER_TLS, new FixedSslContextParameters(listenerTls));
        }
        return bindings;
    }

    /** Stops what the routes do not own: the CXF bus (the SOAP listener and clients) and the broker connection. */
    @Override
    public void close() {
        bus.shutdown(true);
        if (soapPort > 0) {
            // CXF keeps Undertow servers per port for the whole JVM: free the port for a node started again in it
            UndertowHTTPServerEngineFactory.destroyForPort(soapPort);
        }
        broker.destroy();
    }

    public List<RoutesBuilder> routes() {
        return routes;
    }

    /** Camel's TLS parameters around a context built in code (the keys never pass through a keystore file). */
    static final class FixedSslContextParameters extends SSLContextParameters {
        private final SSLContext context;

        FixedSslContextParameters(SSLContext context) {
            this.context = context;
            setSecureSocketProtocol(MutualTls.PROTOCOL);
        }

        @Override
        public SSLContext createSSLContext(CamelContext camelContext) {
            return context;
        }
    }

    /** The audit event of a partner configuration change taking effect: which partners, and any file refused (its last good kept). */
    private static AuditEvent configurationChanged(PartnerDirectory.Reload reloaded, Clock clock) {
        String detail = "partner configuration in force: " + reloaded.partners() + " partners; changed: " + reloaded.changed()
                + (reloaded.problems().isEmpty() ? "" : "; refused (last good kept): " + reloaded.problems());
        return AuditEvent.by(AuditEvent.ActorKind.OPERATOR, "partner-configs", AuditEvent.Action.CONFIG).at(clock.instant())
                .outcome(AuditEvent.Outcome.IN_FORCE).detail(detail).build();
    }
}
