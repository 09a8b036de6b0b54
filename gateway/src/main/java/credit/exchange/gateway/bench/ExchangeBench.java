package credit.exchange.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.PemFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "exchange", description = {
        "Query exchanges between two nodes on loopback (sealed both ways, receipts on, mutual TLS):",
        "Hangzhou asks a partner through its local API, closed loop at each concurrency; next to the",
        "raw crypto bound of one exchange (seal, open, receipt, both ways) measured in the same run."})
final class ExchangeBench implements Callable<Integer> {

    @Option(names = "--requests", defaultValue = "3000", description = "exchanges per concurrency level")
    int requests;

    @Option(names = "--concurrency", defaultValue = "1,4", split = ",")
    List<Integer> concurrency;

    @Option(names = "--suite", defaultValue = "GM", description = "GM (Hangzhou-Huzhou) or INTL (Hangzhou-Jiaxing)")
    Suite suite;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        String partnerId = suite == Suite.GM ? "huzhou" : "jiaxing";
        DemoAlliance alliance = DemoAlliance.prepare(dataDir.resolve("bench-exchange"), DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        DemoAlliance.Member partner = DemoAlliance.member(partnerId);
        // the demo's rate limit (50/s) would refuse the load: lift it for Hangzhou at the partner
        Path hangzhouAtPartner = alliance.root().resolve(partnerId).resolve("partner-configs").resolve("hangzhou.yaml");
        Files.writeString(hangzhouAtPartner, Files.readString(hangzhouAtPartner)
                .replaceAll("rate-limit: \\{[^}]*}", "rate-limit: {per-second: 100000, burst: 100000}"));
        Path seed = alliance.root().resolve("seed");
        if (!Files.exists(seed.resolve("licensing.csv"))) {
            new SeedGenerator(1, LocalDate.now()).writeDataSet(60, seed);
        }
        String uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv"), StandardCharsets.UTF_8));
        try (Node h = alliance.start(hangzhou); Node p = alliance.start(partner)) {
            HttpClient local = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Path marker = alliance.root().resolve("seeded-" + partnerId);
            if (!Files.exists(marker)) {
                HttpResponse<String> r = local.send(HttpRequest.newBuilder(URI.create(alliance.apiUrl(partner) + "/api/v1/imports?type=licensing"))
                        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(seed.resolve("licensing.csv"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("seeding failed: " + r.body());
                }
                Files.writeString(marker, "seeded\n");
            }
            URI query = URI.create(alliance.apiUrl(hangzhou) + "/api/v1/alliance/subjects/" + uscc + "/records?partners=" + partnerId);
            byte[] answerPayload = answerPayload(local, query);
            System.out.printf("pair hangzhou-%s (%s), subject with %d bytes of answer payload%n", partnerId, suite, answerPayload.length);

            Latencies bound = cryptoBound(alliance, hangzhou, partner, answerPayload, Math.max(500, requests / 4));
            System.out.println("RESULT bound: crypto of one exchange (seal+open request, seal+open answer, sign+verify receipt), one thread: "
                    + bound.summary());
            run(local, query, 1, Math.max(200, requests / 10), "warm-up");
            for (int c : concurrency) {
                double[] clientBefore = latencySumAndCount(local, alliance.apiUrl(hangzhou), "outbound");
                double[] listenerBefore = latencySumAndCount(local, alliance.apiUrl(partner), "inbound");
                run(local, query, c, requests, "RESULT exchanges");
                System.out.printf("   of which, mean: Hangzhou's client from request to proven answer %.2f ms; %s's listener"
                        + " from envelope in to reply out %.2f ms%n",
                        meanMillis(clientBefore, latencySumAndCount(local, alliance.apiUrl(hangzhou), "outbound")),
                        partnerId, meanMillis(listenerBefore, latencySumAndCount(local, alliance.apiUrl(partner), "inbound")));
            }
        }
        return 0;
    }

    private static byte[] answerPayload(HttpClient local, URI query) throws Exception {
        HttpResponse<String> r = local.send(HttpRequest.newBuilder(query).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode merged = Json.mapper().readTree(r.body());
        JsonNode result = merged.path("partners").get(0);
        if (!"ANSWERED".equals(result.path("outcome").asText())) {
            throw new IllegalStateException("the partner does not answer: " + r.body());
        }
        List<JsonNode> records = new ArrayList<>();
        merged.path("records").forEach(x -> records.add(x.path("record")));
        return Json.mapper().writeValueAsBytes(java.util.Map.of("status", "ANSWERED", "records", records));
    }

    /** The cryptography one exchange needs, in-process, no I/O: what a node cannot do faster than. */
    private Latencies cryptoBound(DemoAlliance alliance, DemoAlliance.Member requester, DemoAlliance.Member answerer,
                                  byte[] answerPayload, int n) throws Exception {
        Clock clock = Clock.systemUTC();
        NodeEnvelopes a = NodeIdentity.load(alliance.config(requester), clock).orElseThrow().envelopes(new InMemoryReplayGuard(clock), clock);
        NodeEnvelopes b = NodeIdentity.load(alliance.config(answerer), clock).orElseThrow().envelopes(new InMemoryReplayGuard(clock), clock);
        String s = suite.name().toLowerCase(Locale.ROOT);
        X509Certificate toB = PemFiles.readCertificate(alliance.root().resolve("certs").resolve(answerer.id() + "." + s + ".pem"));
        X509Certificate toA = PemFiles.readCertificate(alliance.root().resolve("certs").resolve(requester.id() + "." + s + ".pem"));
        byte[] request = "{\"uscc\":\"91330100716105852F\",\"requestedBy\":\"bench\",\"purpose\":\"bench\"}".getBytes(StandardCharsets.UTF_8);
        Latencies latencies = new Latencies();
        int warmUp = 2_000;
        for (int i = 0; i < n + warmUp; i++) {
            long t0 = System.nanoTime();
            String id = UUID.randomUUID().toString();
            byte[] sealed = a.seal(request, new ExchangeHeaders(id, requester.id(), answerer.id(), "query", null, clock.instant()), toB);
            OpenedEnvelope opened = b.open(sealed);
            byte[] answer = b.seal(answerPayload, new ExchangeHeaders(UUID.randomUUID().toString(), answerer.id(), requester.id(),
                    "query-answer", id, clock.instant()), toA);
            Envelopes bSuite = b.suite(suite);
            byte[] receipt = bSuite.signReceipt(new Receipt(id, requester.id(), answerer.id(), bSuite.digestAlgorithm(),
                    opened.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
            a.open(answer);
            a.suite(suite).verifyReceipt(receipt, sealed);
            if (i >= warmUp) {
                latencies.add(System.nanoTime() - t0);
            }
        }
        return latencies;
    }

    private static void run(HttpClient local, URI query, int threads, int n, String label) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Latencies> perThread = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Latencies l = new Latencies();
                perThread.add(l);
                running.add(pool.submit(() -> {
                    while (next.getAndIncrement() < n) {
                        long start = System.nanoTime();
                        HttpResponse<String> r = local.send(HttpRequest.newBuilder(query).GET().build(), HttpResponse.BodyHandlers.ofString());
                        l.add(System.nanoTime() - start);
                        if (r.statusCode() != 200 || !r.body().contains("\"ANSWERED\"")) {
                            if (failed.incrementAndGet() == 1) {
                                System.out.println("first failure: " + r.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Latencies all = new Latencies();
        perThread.forEach(l -> l.copyTo(all));
        System.out.printf("%s concurrency=%d: %.0f exchanges/s, %s, failed=%d%n", label, threads, n / seconds, all.summary(), failed.get());
    }

    /** The mean in ms of the exchanges between two readings of a latency histogram. */
    static double meanMillis(double[] before, double[] after) {
        double count = after[1] - before[1];
        return count == 0 ? Double.NaN : (after[0] - before[0]) / count * 1000;
    }

    /** Sum (seconds) and count of a node's exchange latency histogram in one direction, from its /metrics. */
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
