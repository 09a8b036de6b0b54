package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What the node trusts ({@code gateway.trust.*}): the alliance CAs and their CRLs, how often the CRLs
 * are fetched again and how long past its nextUpdate a CRL still holds; and the CAs of data subjects
 * whose signed consents register authorisations.
 */
public record TrustSettings(List<Path> anchors, List<Path> crls, Duration crlRefresh, Duration crlGrace,
                            List<Path> subjectAnchors, List<Path> subjectCrls) {

    public static TrustSettings read(NodeConfig config) {
        return new TrustSettings(config.paths("gateway.trust.anchors"), config.paths("gateway.trust.crls"),
                config.duration("gateway.trust.crl-refresh-seconds", ChronoUnit.SECONDS, 1),
                config.duration("gateway.trust.crl-grace-seconds", ChronoUnit.SECONDS, 0),
                config.paths("gateway.trust.subject-anchors"), config.paths("gateway.trust.subject-crls"));
    }
}
