package credit.exchange.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.demo.SimulatedPartner;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The exchange bench's bound: the cryptography of one exchange of the load's shape (seal and open the request, seal and
 * open the node's real answer, sign and verify the receipt), in process, no I/O — what the two sides together cannot do
 * faster than. First on one thread (latency), then on every core at once: the rate the load is compared with, since both
 * sides' cryptography runs on the machine's cores. Signing per message: what the cryptography costs unamortised.
 */
final class ExchangeCryptoBound {

    private static final int PER_CORE = 3000; // about 6 s on every core

    private final List<SimulatedPartner> clients;
    private final Envelopes node;
    private final X509Certificate nodeCertificate;
    private final byte[] query;
    private final byte[] answerPayload;

    private ExchangeCryptoBound(List<SimulatedPartner> clients, Envelopes node, X509Certificate nodeCertificate, byte[] query,
                                byte[] answerPayload) {
        this.clients = clients;
        this.node = node;
        this.nodeCertificate = nodeCertificate;
        this.query = query;
        this.answerPayload = answerPayload;
    }

    /** Asks the running node once for its real answer to the query (the shape measured), then measures one thread, printed. */
    static ExchangeCryptoBound measure(List<SimulatedPartner> clients, NodeIdentity target, X509Certificate targetCertificate,
                                       Suite suite, byte[] query) throws IOException {
        OpenedEnvelope answer = clients.get(0).answer("query", query);
        JsonNode payload = Json.mapper().readTree(answer.payload());
        if (!"ANSWERED".equals(payload.path("status").asText())) {
            throw new IllegalStateException("the node does not answer the load partners' query: " + payload);
        }
        System.out.printf("target hangzhou (%s), %d simulated partners, subject with %d bytes of answer payload%n", suite, clients.size(),
                answer.payload().length);
        Clock clock = BenchCommand.CLOCK;
        ExchangeCryptoBound bound = new ExchangeCryptoBound(clients, target.envelopes(new InMemoryReplayGuard(clock), clock).suite(suite),
                targetCertificate, query, answer.payload());
        Latencies one = bound.exchanges(clients.get(0), 3000, 2000);
        System.out.printf("RESULT bound: crypto of one exchange (seal+open request, seal+open answer, sign+verify receipt), one thread:"
                + " %s; mean %.3f ms%n", one.summary(), one.meanNanos() / 1e6);
        return bound;
    }

    /** The same exchanges on every core at once, printed: exchanges per second; no node needed. */
    double onEveryCore() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        ExchangeBench.run(cores, t -> exchanges(clients.get(t % clients.size()), PER_CORE, 0));
        double rate = cores * (double) PER_CORE / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "RESULT bound: the same on %d threads at once: %.0f exchanges/s%n", cores, rate);
        return rate;
    }

    private Latencies exchanges(SimulatedPartner client, int n, int warmUp) {
        Clock clock = BenchCommand.CLOCK;
        Latencies latencies = new Latencies();
        for (int i = 0; i < n + warmUp; i++) {
            long t0 = System.nanoTime();
            ExchangeHeaders request = new ExchangeHeaders(UUID.randomUUID().toString(), client.id(), "hangzhou", "query", null, clock.instant());
            byte[] sealed = client.envelopes().seal(query, request, nodeCertificate);
            OpenedEnvelope opened = node.open(sealed);
            byte[] answer = node.seal(answerPayload, new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", client.id(),
                    "query-answer", request.messageId(), clock.instant()), client.certificate());
            byte[] receipt = node.signReceipt(new Receipt(request.messageId(), client.id(), "hangzhou", node.digestAlgorithm(),
                    opened.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
            client.envelopes().open(answer);
            client.envelopes().verifyReceipt(receipt, sealed, "hangzhou");
            if (i >= warmUp) {
                latencies.add(System.nanoTime() - t0);
            }
        }
        return latencies;
    }
}
