package credit.exchange.routes.exchange;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * Per-partner exchange metrics, in the node's Micrometer registry (served at /metrics):
 * {@code credit_exchange_requests_total{partner, direction, outcome}} — outcome {@code ANSWERED}
 * or the error code — and the latency histogram {@code credit_exchange_latency_seconds{partner,
 * direction}}. Direction is {@code inbound} (the partner asked us) or {@code outbound}.
 * Partner labels are node ids the alliance PKI certified, so their number is bounded.
 */
public final class ExchangeMetrics {

    public enum Direction { INBOUND, OUTBOUND }

    public static final String ANSWERED = "ANSWERED";

    private final MeterRegistry registry;

    public ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry the context holds (Camel Main's, when metrics are enabled), or one of its own. */
    public static ExchangeMetrics of(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return new ExchangeMetrics(registry != null ? registry : new SimpleMeterRegistry());
    }

    public void record(String partner, Direction direction, String outcome, Duration latency) {
        String dir = direction.name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder("credit.exchange.requests").description("Exchanges with partners, by outcome")
                .tag("partner", partner).tag("direction", dir).tag("outcome", outcome)
                .register(registry).increment();
        Timer.builder("credit.exchange.latency").description("Time from request to proven answer (outbound) or reply (inbound)")
                .tag("partner", partner).tag("direction", dir)
                .publishPercentileHistogram()
                .register(registry).record(latency);
    }
}
