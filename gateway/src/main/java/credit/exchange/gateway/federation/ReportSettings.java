package credit.exchange.gateway.federation;

import credit.exchange.gateway.ApiSettings;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.report.CreditReports;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Credit reports ({@code gateway.node.name}, {@code gateway.report.*}): the name a report prints for
 * its issuing node, the public address its verification link and QR code give (empty: the API's own
 * address), and the CJK font it embeds (empty: found among the system's fonts, docs/operations.md).
 */
public final class ReportSettings {

    private ReportSettings() {
    }

    public static CreditReports.Settings read(NodeConfig config) {
        String publicUrl = config.get("gateway.report.public-url");
        if (publicUrl.isEmpty()) {
            publicUrl = ApiSettings.read(config).baseUrl();
        } else {
            try {
                URI u = new URI(publicUrl);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw NodeConfig.invalid("gateway.report.public-url", "must be an http(s) URL", publicUrl);
                }
            } catch (URISyntaxException e) {
                throw NodeConfig.invalid("gateway.report.public-url", "must be an http(s) URL", publicUrl);
            }
        }
        String font = config.get("gateway.report.font");
        return new CreditReports.Settings(config.nodeId(), config.get("gateway.node.name"), publicUrl,
                font.isEmpty() ? Optional.empty() : Optional.of(Path.of(font)));
    }
}
