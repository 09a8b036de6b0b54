package credit.exchange.routes.exchange;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    @Test
    void burstIsAllowed_thenRequestsBeyondTheRateAreRefusedWithE_RATE_LIMITED() {
        Partner huzhou = partner("huzhou", 2, 5);
        for (int i = 0; i < 5; i++) {
            limiter.acquire(huzhou);
        }

        CodedException refused = assertThrows(CodedException.class, () -> limiter.acquire(huzhou));
        assertEquals(ErrorCode.E_RATE_LIMITED, refused.code());
        assertEquals(429, refused.code().httpStatus());
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() {
        Partner huzhou = partner("huzhou", 2, 2);
        limiter.acquire(huzhou);
        limiter.acquire(huzhou);
        assertThrows(CodedException.class, () -> limiter.acquire(huzhou));

        clock.advance(Duration.ofMillis(500)); // 2 per second: one token back

        assertDoesNotThrow(() -> limiter.acquire(huzhou));
        assertThrows(CodedException.class, () -> limiter.acquire(huzhou));
    }

    @Test
    void partnersHaveBucketsOfTheirOwn_andAChangedLimitAppliesAtOnce() {
        Partner huzhou = partner("huzhou", 1, 1);
        limiter.acquire(huzhou);
        assertDoesNotThrow(() -> limiter.acquire(partner("jiaxing", 1, 1)));
        assertThrows(CodedException.class, () -> limiter.acquire(huzhou));

        assertDoesNotThrow(() -> limiter.acquire(partner("huzhou", 1, 10)), "a reloaded configuration with a larger burst");
    }

    private static Partner partner(String id, double perSecond, int burst) {
        return new Partner(id, id, Partner.Level.ALLIANCE_CITY, true, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of(), Optional.empty(), Optional.empty(), new Partner.RateLimit(perSecond, burst), Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of(id + ".yaml"));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
