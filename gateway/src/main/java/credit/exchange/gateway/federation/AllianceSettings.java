package credit.exchange.gateway.federation;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.routes.partner.Partner;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The alliance workflows and mutual queries ({@code gateway.alliance.*}, {@code gateway.recognition.*},
 * {@code gateway.repair.*}): notice delivery's first pause, each local user's query limit,
 * the recognition's penalty look-back and black-list watch, and the repair's expiry round.
 */
public record AllianceSettings(Duration retryPause, Partner.RateLimit userQueries, int penaltyYears,
                               Duration recognitionWatch, Duration repairExpiry) {

    public static AllianceSettings read(NodeConfig config) {
        return new AllianceSettings(config.duration("gateway.alliance.retry-seconds", ChronoUnit.SECONDS, 1),
                new Partner.RateLimit(config.whole("gateway.alliance.user-queries-per-minute", 1) / 60.0,
                        config.whole("gateway.alliance.user-query-burst", 1)),
                config.whole("gateway.recognition.penalty-years", 0),
                config.duration("gateway.recognition.watch-seconds", ChronoUnit.SECONDS, 1),
                config.duration("gateway.repair.expiry-minutes", ChronoUnit.MINUTES, 1));
    }
}
