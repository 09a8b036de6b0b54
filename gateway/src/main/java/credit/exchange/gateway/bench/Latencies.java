package credit.exchange.gateway.bench;

import java.util.Arrays;

/** Latencies of one benchmark phase, in nanoseconds, with percentiles. */
final class Latencies {

    private long[] values = new long[1 << 16];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    /** Adds this phase's values to {@code other}. */
    void copyTo(Latencies other) {
        for (int i = 0; i < count; i++) {
            other.add(values[i]);
        }
    }

    double meanNanos() {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return count == 0 ? Double.NaN : (double) sum / count;
    }

    int count() {
        return count;
    }

    /** The q-quantile (0..1) in milliseconds. */
    double percentileMillis(double q) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(q * count) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    String summary() {
        return String.format("n=%,d p50=%.3f ms p95=%.3f ms p99=%.3f ms p99.9=%.3f ms max=%.3f ms", count,
                percentileMillis(0.50), percentileMillis(0.95), percentileMillis(0.99), percentileMillis(0.999),
                percentileMillis(1.0));
    }
}
