package credit.exchange.routes.partner;

import credit.exchange.security.Suite;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.access.PartnerTerms;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
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
 * @param noticeKinds the kinds of alliance notice (docs/protocol.md §13) the partner may send us
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
        boolean mayDeliverPublicity,
        Set<String> noticeKinds,
        Optional<Push> push,
        Optional<PullFrom> pullFrom,
        RateLimit rateLimit,
        Duration connectTimeout,
        Duration answerTimeout,
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
        /** A mutual query (互查): records of a subject. */
        QUERY("query"),
        /** A pull from the outbox the answering node keeps for the asking one: a batch of records. */
        PULL("pull"),
        /** The acknowledgement of a pulled batch, with the puller's signed receipt of it. */
        ACKNOWLEDGE("acknowledge"),
        /** A delivery of double-publicity records (双公示) to the national platform. */
        PUBLICITY("publicity"),
        /** A signed checkpoint of the sender's audit trail, for the partner to countersign. Every enabled partner takes part. */
        CHECKPOINT("checkpoint"),
        /** An alliance notice (docs/protocol.md §13): joint punishment, its response, recognition, repair, objection, filing. */
        NOTICE("notice");

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
     * Records handed to the partner as they are stored (the transactional outbox).
     *
     * @param pull true: the partner pulls them; false: we deliver them to its endpoint
     * @param deadlineDays days after the decision date by which each must be delivered, if any
     * @param maxBatch pull mode: the most records one pull hands over
     * @param visibility pull mode: how long a pulled record waits for its acknowledgement before it can be pulled again
     * @param retry push mode: the delivery's retry policy
     */
    public record Push(boolean pull, Set<String> datasets, Optional<Integer> deadlineDays, int maxBatch, Duration visibility,
                       DeliveryRetry retry) {

        public static final int DEFAULT_MAX_BATCH = 1000;
        public static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(60);

        /** The partner pulls these categories, with the default batch limit and visibility timeout. */
        public static Push pulled(Set<String> datasets) {
            return new Push(true, datasets, Optional.empty(), DEFAULT_MAX_BATCH, DEFAULT_VISIBILITY, DeliveryRetry.DEFAULT);
        }

        /** We deliver these categories, with the default retry policy. */
        public static Push delivered(Set<String> datasets, Optional<Integer> deadlineDays) {
            return new Push(false, datasets, deadlineDays, DEFAULT_MAX_BATCH, DEFAULT_VISIBILITY, DeliveryRetry.DEFAULT);
        }
    }

    /**
     * How a push delivery is retried, as the partner file says ({@code push.delivery-retry}):
     * {@code attempts} in all; after the n-th failure the next attempt waits {@code firstBackoff}
     * × 2^(n-1), at most {@code maxBackoff} (the delivery engine's RetryPolicy applies it, with jitter).
     */
    public record DeliveryRetry(int attempts, Duration firstBackoff, Duration maxBackoff) {

        public static final DeliveryRetry DEFAULT = new DeliveryRetry(10, Duration.ofSeconds(30), Duration.ofHours(1));
    }

    /** What a pull travels by: the exchange listener (REST) or the partner's SOAP service. */
    public enum Binding {
        REST, SOAP
    }

    /**
     * This node pulls what the partner's outbox holds for it.
     *
     * @param soapEndpoint the partner's SOAP pull service (binding SOAP)
     * @param batch records asked for per pull
     * @param idlePause the pause after a pull that found nothing
     */
    public record PullFrom(Binding binding, Optional<URI> soapEndpoint, int batch, Duration idlePause) {
    }

    /** A token bucket: {@code perSecond} requests a second on average, bursts up to {@code burst}. */
    public record RateLimit(double perSecond, int burst) {
    }

    /**
     * What the security layer admits this partner's envelopes by: a query if it may read, pull and
     * acknowledge if it pulls from our outbox, a double-publicity delivery if it may deliver one.
     */
    public PartnerTerms terms() {
        Set<String> mayStart = new java.util.HashSet<>();
        mayQuery.ifPresent(g -> mayStart.add(ExchangeType.QUERY.wireName()));
        if (push.filter(Push::pull).isPresent()) {
            mayStart.add(ExchangeType.PULL.wireName());
            mayStart.add(ExchangeType.ACKNOWLEDGE.wireName());
        }
        if (mayDeliverPublicity) {
            mayStart.add(ExchangeType.PUBLICITY.wireName());
        }
        mayStart.add(ExchangeType.CHECKPOINT.wireName()); // every alliance partner witnesses the others' audit trails
        if (!noticeKinds.isEmpty()) {
            mayStart.add(ExchangeType.NOTICE.wireName());
        }
        return new PartnerTerms(id, enabled, suite, mayStart);
    }

    /**
     * Whether this node starts exchanges of this type with the partner: queries if its we-send says
     * so, pulls and acknowledgements if we pull from it, deliveries if we push records to it.
     */
    public boolean weStart(ExchangeType type) {
        return switch (type) {
            case QUERY, NOTICE -> weSend.contains(type);
            case PULL, ACKNOWLEDGE -> pullFrom.isPresent();
            case PUBLICITY -> push.filter(p -> !p.pull()).isPresent();
            case CHECKPOINT -> true;
        };
    }

    /** The key of a partner file that lets this node start exchanges of a type with the partner. */
    public static String keyFor(ExchangeType type) {
        return switch (type) {
            case QUERY, NOTICE -> "we-send: [" + type.wireName() + "]";
            case PULL, ACKNOWLEDGE -> "pull-from";
            case PUBLICITY -> "push: {mode: push}";
            case CHECKPOINT -> "enabled";
        };
    }

    /**
     * What this file lacks for the node to do the work it sets up, each naming the file and key:
     * a partner we hand records to (push) must take our notices, or the repairs and objections of
     * those records (信用修复, 异议) cannot reach it. Empty for a disabled partner.
     */
    public List<String> gaps() {
        if (!enabled || push.isEmpty() || weSend.contains(ExchangeType.NOTICE)) {
            return List.of();
        }
        return List.of(source + ": we-send lacks notice, but push hands " + id + " records: the repairs and objections of those"
                + " records (信用修复, 异议) cannot reach it; add notice to we-send");
    }

    /** The exchange listener's URL of this partner. */
    public URI exchangeUri() {
        String base = endpoint.toString();
        return URI.create(base.endsWith("/") ? base + "exchange" : base + "/exchange");
    }
}
