package credit.exchange.gateway.cli;

import credit.exchange.gateway.AuditSettings;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.federation.ExchangeSettings;
import credit.exchange.gateway.federation.PartnerSettings;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.push.soap.SoapCarrier;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;

/**
 * A command that talks to partners as the node does: the node's identity and keys, its partner
 * files, its mutual TLS, its store (where the exchanges and what they bring are kept, beside a
 * running node) and its audit trail (every exchange an event, as the node's own). Partner
 * configuration is read once, as it stands.
 */
final class PartnerSession implements AutoCloseable {

    final NodeConfig config;
    final NodeIdentity identity;
    final Clock clock = GatewayCtl.CLOCK;
    final CreditStoreConnection store;
    final AuditWriter audit;
    final PartnerDirectory partners;
    /** Opens the partners' answers; answers are matched to our pending requests, so an in-memory replay guard suffices (as the node's). */
    final NodeEnvelopes envelopes;
    final PartnerClient client;
    private final Bus bus;
    private final SoapCarrier soap;

    private PartnerSession(NodeConfig config, NodeIdentity identity, CreditStoreConnection store, AuditWriter audit, PartnerDirectory partners,
                           NodeEnvelopes envelopes, PartnerClient client, Bus bus, SoapCarrier soap) {
        this.config = config;
        this.identity = identity;
        this.store = store;
        this.audit = audit;
        this.partners = partners;
        this.envelopes = envelopes;
        this.client = client;
        this.bus = bus;
        this.soap = soap;
    }

    static PartnerSession open(NodeConfig config) throws IOException {
        Clock clock = GatewayCtl.CLOCK;
        NodeIdentity identity = NodeIdentity.load(config, clock).orElseThrow(() -> new CodedException(ErrorCode.E_CONFIG_INVALID,
                "node " + config.nodeId() + " has no alliance credential (gateway.credentials.*): it exchanges with no partner"
                        + " (give the node's configuration with --config)"));
        // the node's own wiring: the same settings, the same client TLS, the same partner directory
        Function<Partner, SSLContext> clientTls = ExchangeSettings.read(config).clientTls(identity);
        PartnerDirectory partners = PartnerSettings.read(config).directory();
        partners.reload();
        CreditStoreConnection store = CreditStoreConnection.open(config);
        AuditWriter audit = null;
        Bus bus = null;
        try {
            audit = new AuditWriter(new AuditStore(store.database(), config.nodeId(), AuditSettings.read(config).chain()), 1000);
            NodeEnvelopes envelopes = identity.envelopes(new InMemoryReplayGuard(clock), clock);
            PartnerClient client = new PartnerClient(identity.nodeId(), envelopes, clientTls, new SentExchanges(store.database()),
                    identity.policy(), audit, clock);
            bus = BusFactory.newInstance().createBus();
            return new PartnerSession(config, identity, store, audit, partners, envelopes, client, bus, new SoapCarrier(bus, clientTls));
        } catch (RuntimeException e) {
            if (bus != null) {
                bus.shutdown(true);
            }
            if (audit != null) {
                audit.close();
            }
            store.close();
            throw e;
        }
    }

    /** A configured partner, or E_NOT_FOUND naming where partner files are read. */
    Partner partner(String id) {
        return partners.find(id).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no partner '" + id
                + "' is configured for node " + config.nodeId() + " (partner files in " + partners.directory() + ")"));
    }

    /** What carries a pull to the partner: SOAP or REST, as its pull-from says. */
    PartnerClient.Carrier pullCarrier(Partner partner) {
        return partner.pullFrom().map(Partner.PullFrom::binding).orElse(Partner.Binding.REST) == Partner.Binding.SOAP
                ? soap : client.listener();
    }

    @Override
    public void close() throws IOException {
        try {
            bus.shutdown(true);
            audit.close();
        } finally {
            store.close();
        }
    }
}
