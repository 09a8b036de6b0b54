package credit.exchange.routes.exchange;

import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller, sized by its rate limit; a changed limit applies from the next
 * request. A partner's is checked on the TLS peer's identity before any cryptography, so that a
 * flood costs the node as little as possible; a local user's before its mutual query spends this
 * node's own limit at every partner.
 */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
        Partner.RateLimit limit;
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes one token of the partner's bucket, or refuses with E_RATE_LIMITED. */
    public void acquire(Partner partner) {
        acquire(partner.id(), partner.rateLimit(), "partner " + partner.id());
    }

    /** Takes one token of the bucket kept under this key, or refuses {@code who} with E_RATE_LIMITED. */
    public void acquire(String key, Partner.RateLimit limit, String who) {
        Bucket b = buckets.computeIfAbsent(key, id -> new Bucket());
        long now = clock.millis() * 1_000_000L;
        synchronized (b) {
            if (!limit.equals(b.limit)) {
                b.limit = limit;
                b.tokens = limit.burst();
                b.lastNanos = now;
            }
            b.tokens = Math.min(limit.burst(), b.tokens + (now - b.lastNanos) / 1e9 * limit.perSecond());
            b.lastNanos = now;
            if (b.tokens < 1) {
                throw new CodedException(ErrorCode.E_RATE_LIMITED, who + " exceeds the limit of "
                        + limit.perSecond() + " requests per second (burst " + limit.burst() + ")");
            }
            b.tokens -= 1;
        }
    }
}
