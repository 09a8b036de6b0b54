package credit.exchange.routes.partner;

import credit.exchange.security.Suite;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.access.PartnerTerms;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One partner of this node, as its file in partner-configs/ describes it (the role of an AS4
 * PMode): identity, endpoint, envelope suite and certificate, what it may ask of us, what we
 * send it, and the limits of the exchange. partner-configs/partner-config.schema.json is the
 * contract; docs/operations.md explains each field.
 *
 * @param source the file it was read from
 * @param certificate the partner's envelope certificate, loaded and of {@code suite}
 */
public record Partner(
        String id,
        String name,
        Level level,
        boolean enabled,
        URI endpoint,
        Suite suite,
        X509Certificate certificate,
        Optional<PartnerGrant> mayQuery,
        Set<ExchangeType> weSend,
        Optional<Push> push,
        RateLimit rateLimit,
        Duration connectTimeout,
        Duration answerTimeout,
        int attempts,
        Duration backoff,
        Path source) {

    /** Where the partner stands in the exchange hierarchy. */
    public enum Level {
        NATIONAL("national"), PROVINCIAL("provincial"), ALLIANCE_CITY("alliance-city"), YRD_REGION("yrd-region");

        private final String configName;

        Level(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static Level of(String configName) {
            for (Level l : values()) {
                if (l.configName.equals(configName)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown level " + configName);
        }
    }

    /** The exchanges nodes start with each other; the type travels as a signed attribute of the envelope. */
    public enum ExchangeType {
        QUERY("query");

        private final String wireName;

        ExchangeType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<ExchangeType> of(String wireName) {
            for (ExchangeType t : values()) {
                if (t.wireName.equals(wireName)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Records handed to the partner as they are stored.
     *
     * @param pull true: the partner pulls them; false: we deliver them to its endpoint
     * @param deadlineDays days after the decision date by which each must be delivered, if any
     */
    public record Push(boolean pull, Set<String> datasets, Optional<Integer> deadlineDays) {
    }

    /** A token bucket: {@code perSecond} requests a second on average, bursts up to {@code burst}. */
    public record RateLimit(double perSecond, int burst) {
    }

    /** What the security layer admits this partner's envelopes by. */
    public PartnerTerms terms() {
        Set<String> mayStart = mayQuery.isPresent() ? Set.of(ExchangeType.QUERY.wireName()) : Set.of();
        return new PartnerTerms(id, enabled, suite, mayStart);
    }

    /** The exchange listener's URL of this partner. */
    public URI exchangeUri() {
        String base = endpoint.toString();
        return URI.create(base.endsWith("/") ? base + "exchange" : base + "/exchange");
    }
}
