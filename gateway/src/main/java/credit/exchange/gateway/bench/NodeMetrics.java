package credit.exchange.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A node's exchange latency histograms, read from its /metrics, for the drivers' breakdowns. */
final class NodeMetrics {

    private NodeMetrics() {
    }

    /** The mean in ms of the exchanges between two readings of a latency histogram. */
    static double meanMillis(double[] before, double[] after) {
        double count = after[1] - before[1];
        return count == 0 ? Double.NaN : (after[0] - before[0]) / count * 1000;
    }

    /** Sum (seconds) and count of a node's exchange latency histogram in one direction (inbound, outbound). */
    static double[] latencySumAndCount(HttpClient local, String api, String direction) throws Exception {
        String text = local.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
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
