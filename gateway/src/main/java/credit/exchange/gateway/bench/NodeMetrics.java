package credit.exchange.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.TreeMap;

/** A node's exchange latency histograms and its JIT's compile time, read from its /metrics, for the drivers' breakdowns and warm-up. */
final class NodeMetrics {

    private NodeMetrics() {
    }

    /** The mean in ms of the exchanges between two readings of a latency histogram. */
    static double meanMillis(double[] before, double[] after) {
        double count = after[1] - before[1];
        return count == 0 ? Double.NaN : (after[0] - before[0]) / count * 1000;
    }

    /**
     * A node's exchange latency histogram in one direction, all partners together: each bucket's
     * upper bound (seconds) and the cumulative count up to it (Micrometer's percentile histogram).
     */
    static TreeMap<Double, Double> buckets(HttpClient local, String api, String direction) throws Exception {
        String text = scrape(local, api);
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("credit_exchange_latency_seconds_bucket{") && line.contains("direction=\"" + direction + "\"")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                cumulative.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return cumulative;
    }

    /** The upper bound (ms) of the bucket holding quantile q of the exchanges between two readings of {@link #buckets}. */
    static double quantileMillis(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
        double total = after.lastEntry() == null ? 0 : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (var bucket : after.entrySet()) {
            if (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0) >= q * total && total > 0) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    /** The node's metrics, read as its operator (the driver's nodes run the development issuer). */
    private static String scrape(HttpClient local, String api) throws Exception {
        return local.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).header("Authorization",
                credit.exchange.gateway.demo.DemoAlliance.devToken(api, "bench-operator", "operator", null)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The node JVM's time spent compiling so far, in ms (its JIT; Micrometer's jvm-compilation binder); NaN if not exposed. */
    static double compilationMillis(HttpClient local, String api) throws Exception {
        for (String line : scrape(local, api).split("\n")) {
            if (line.startsWith("jvm_compilation_time_ms_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** Sum (seconds) and count of a node's exchange latency histogram in one direction (inbound, outbound). */
    static double[] latencySumAndCount(HttpClient local, String api, String direction) throws Exception {
        String text = scrape(local, api);
        double sum = 0;
        double count = 0;
        for (String line : text.split("\n")) {
            if (line.contains("direction=\"" + direction + "\"")) {
                if (line.startsWith("credit_exchange_latency_seconds_sum{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("credit_exchange_latency_seconds_count{")) {
                    count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return new double[] {sum, count};
    }
}
