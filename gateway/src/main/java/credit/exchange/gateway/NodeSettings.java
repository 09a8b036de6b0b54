package credit.exchange.gateway;

import credit.exchange.gateway.federation.ReportSettings;
import credit.exchange.routes.report.CreditReports;

import credit.exchange.gateway.federation.AllianceSettings;
import credit.exchange.gateway.federation.ExchangeSettings;
import credit.exchange.gateway.federation.PartnerSettings;
import credit.exchange.gateway.federation.PushSettings;
import credit.exchange.gateway.federation.TransportSettings;
import credit.exchange.gateway.federation.TrustSettings;
import credit.exchange.gateway.infra.BrokerSettings;

/**
 * A node's configuration read and checked once, at start, into one typed record per flow: an
 * unknown {@code gateway.*} key or a malformed value stops the start with E_CONFIG_INVALID naming
 * the key. The flows' wiring takes these records, never the raw configuration.
 */
public record NodeSettings(String nodeId, ApiSettings api, AuthSettings auth, AuditSettings audit, TransportSettings transport,
                           ExchangeSettings exchange, PartnerSettings partners, TrustSettings trust, PushSettings push,
                           AllianceSettings alliance, BrokerSettings broker, CreditReports.Settings report) {

    public static NodeSettings read(NodeConfig config) {
        config.refuseUnknownKeys();
        NodeSettings settings = new NodeSettings(config.nodeId(), ApiSettings.read(config), AuthSettings.read(config), AuditSettings.read(config),
                TransportSettings.read(config), ExchangeSettings.read(config), PartnerSettings.read(config), TrustSettings.read(config),
                PushSettings.read(config), AllianceSettings.read(config), BrokerSettings.read(config), ReportSettings.read(config));
        NodeProfile.check(config);
        return settings;
    }
}
