package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.partner.PartnerDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The partner configurations ({@code gateway.partners.*}): their directory, where their certificates are, how often re-read. */
public record PartnerSettings(Path dir, Path certificates, Duration reload) {

    public static PartnerSettings read(NodeConfig config) {
        Path dir = Path.of(config.get("gateway.partners.dir"));
        String certificates = config.get("gateway.partners.certificates");
        return new PartnerSettings(dir, certificates.isEmpty() ? dir : Path.of(certificates),
                config.duration("gateway.partners.reload-seconds", ChronoUnit.SECONDS, 1));
    }

    /** The partner directory these settings name, not read yet ({@link PartnerDirectory#reload()}). */
    public PartnerDirectory directory() {
        return new PartnerDirectory(dir, certificates);
    }
}
