package credit.exchange.gateway.bench;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.NodeProcesses;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.gateway.demo.SimulatedPartner;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
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
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The exchange load driver: {@code partners} simulated partner nodes, each with its own alliance
 * credentials and partner file, query one real node (Hangzhou: embedded PostgreSQL, Artemis,
 * mutual TLS) over its exchange listener — every request sealed, opened, answered from the store,
 * the answer sealed and a receipt signed; the driver opens each answer and verifies each receipt.
 * After a warm-up at the highest concurrency until the node's JIT settles (a fresh node JVM's compiler is busy for a
 * minute and more), closed loop at each concurrency for {@code duration} seconds, then open loop at half the best
 * rate (latency from the intended send time, so a stall is not hidden). Next to it, in the same run, the bound
 * ({@link ExchangeCryptoBound}): measured before the first node and again right after each, the node stopped; each
 * node's rate is compared with the bound right after it.
 * Each signing mode of the node ({@code --signing}: per message, batched) is measured in turn,
 * {@code --rounds} times in alternating order, and the gain of batch signing printed.
 */
@Command(name = "exchange", description = {
        "Sealed exchanges per second against the cryptography bound of the same exchanges.",
        "Load driver: simulated partners query one node over mutual TLS (sealed both ways, receipts verified),",
        "closed loop at each concurrency, then open loop at half the best rate, for each signing mode of the node in turn;",
        "prints exchanges/s, p50/p95/p99, the gain of batch signing,",
        "errors by code and the ratio to the raw crypto bound of the same exchange shape measured in the same run."})
final class ExchangeBench implements Callable<Integer> {

    /** docs/PERFORMANCE.md's goals: 70 % of the crypto bound at saturation, p99 at most 50 ms at half that rate. */
    private static final double GOAL_OF_BOUND = 0.70;
    private static final double GOAL_P99_MILLIS = 50;

    private final BenchSummary summary = new BenchSummary("exchange");

    @picocli.CommandLine.Mixin
    BenchSummary.JsonOption json;

    @Option(names = "--partners", defaultValue = "4", description = "simulated partner nodes (load-01, …)")
    int partners;

    @Option(names = "--concurrency", defaultValue = "4,16,48", split = ",", description = "closed-loop clients, shared by the partners")
    List<Integer> concurrency;

    @Option(names = "--duration", defaultValue = "20", description = "seconds per load level")
    int duration;

    @Option(names = "--warm-up", defaultValue = "30",
            description = "seconds of load at the highest concurrency before each node is measured, at least (default ${DEFAULT-VALUE})")
    int warmUp;

    @Option(names = "--warm-up-max", defaultValue = "90",
            description = "seconds of warm-up at most: after --warm-up, it goes on in 10 s slices until the node's JIT compiled"
                    + " for less than 3 %% of one (default ${DEFAULT-VALUE})")
    int warmUpMax;

    @Option(names = "--suite", defaultValue = "GM", description = "GM or INTL")
    Suite suite;

    @Option(names = "--signing", defaultValue = "PER_MESSAGE,BATCHED", split = ",",
            description = "the node's signing, each measured in turn: PER_MESSAGE, BATCHED (gateway.exchange.batch-signing)")
    List<Envelopes.Signing> signing;

    @Option(names = "--rounds", defaultValue = "1",
            description = "runs of each signing mode, each on a fresh node, the order reversed every other round (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--node-jvm", defaultValue = "shared", description = "shared: the node in the driver's JVM; separate: in its own")
    String nodeJvm;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    private boolean separateJvm;

    @Override
    public Integer call() throws Exception {
        separateJvm = switch (nodeJvm) {
            case "shared" -> false;
            case "separate" -> true;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--node-jvm is shared or separate, not " + nodeJvm);
        };
        DemoAlliance alliance = DemoAlliance.prepare(dataDir.resolve("bench-exchange"), DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        List<DemoAlliance.LoadPartner> simulated = alliance.loadPartners(hangzhou, partners, suite);
        Path seed = alliance.root().resolve("seed");
        if (!Files.exists(seed.resolve("licensing.csv"))) {
            new SeedGenerator(1, LocalDate.now()).writeDataSet(60, seed);
        }
        String uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv"), StandardCharsets.UTF_8));
        Clock clock = BenchCommand.CLOCK;
        NodeIdentity target = NodeIdentity.load(alliance.config(hangzhou), clock).orElseThrow();
        X509Certificate targetCertificate = PemFiles.readCertificate(alliance.root().resolve("certs")
                .resolve("hangzhou." + suite.name().toLowerCase(Locale.ROOT) + ".pem"));
        List<SimulatedPartner> clients = new ArrayList<>();
        for (DemoAlliance.LoadPartner p : simulated) {
            clients.add(new SimulatedPartner(p.id(), p.credentials(), suite, target.validator(), target.policy(), "hangzhou",
                    URI.create(alliance.exchangeUrl(hangzhou)), targetCertificate, clock));
        }
        byte[] query = Json.mapper().writeValueAsBytes(Map.of("uscc", uscc, "requestedBy", "load driver", "purpose", "load test"));
        ExchangeCryptoBound bound = null;
        double boundRate = 0; // the bound measured last: before the first node, then after each
        Map<Envelopes.Signing, List<Double>> bestBySigning = new EnumMap<>(Envelopes.Signing.class);
        // the modes in turn, in reverse order every other round: what the JVM learns in one run helps the next
        List<Envelopes.Signing> runs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Envelopes.Signing> round = new ArrayList<>(signing);
            if (r % 2 == 1) {
                Collections.reverse(round);
            }
            runs.addAll(round);
        }
        for (Envelopes.Signing mode : runs) {
            // pushes of the seeded records to the absent province and nation would retry during the measurement: not relayed
            NodeConfig config = alliance.config(hangzhou)
                    .with("gateway.exchange.batch-signing", Boolean.toString(mode == Envelopes.Signing.BATCHED))
                    .with("gateway.outbox.relay-ms", "3600000");
            double p99;
            try (AutoCloseable node = startNode(alliance, hangzhou, config, mode)) {
                seedOnce(alliance, hangzhou, seed);
                System.out.printf("node hangzhou started, signing %s%n", mode);
                if (bound == null) {
                    bound = ExchangeCryptoBound.measure(clients, target, targetCertificate, suite, query);
                    boundRate = bound.onEveryCore();
                }
                HttpClient local = HttpClient.newHttpClient();
                String api = alliance.apiUrl(hangzhou);
                warmUp(clients, query, local, api, boundRate);
                double best = 0;
                for (int c : concurrency) {
                    NodeSide before = NodeSide.read(local, api);
                    best = Math.max(best, closedLoop(clients, query, c, Duration.ofSeconds(duration),
                            "RESULT " + mode + " closed loop", boundRate));
                    before.printSince(local, api);
                }
                bestBySigning.computeIfAbsent(mode, m -> new ArrayList<>()).add(best);
                NodeSide before = NodeSide.read(local, api);
                p99 = openLoop(clients, query, best / 2, Duration.ofSeconds(duration), "RESULT " + mode, boundRate);
                before.printSince(local, api);
            } finally {
                clients.forEach(SimulatedPartner::close); // their connections were to this node
            }
            // The node's rate is compared with the bound measured right after it, the node stopped and the driver's JIT warm.
            // The bound before the first node is lower by a fifth and more: the driver's JVM is young and the node's just started.
            boundRate = bound.onEveryCore();
            int run = bestBySigning.get(mode).size();
            summary.rate(mode + " round " + run + ", saturation", bestBySigning.get(mode).get(run - 1), "exchanges/s",
                    "crypto on every core, right after the node", boundRate, GOAL_OF_BOUND);
            summary.latency(mode + " round " + run + ", p99 at half that rate", p99, "ms", "none", Double.NaN, GOAL_P99_MILLIS);
        }
        if (bestBySigning.size() == 2) {
            double batched = mean(bestBySigning.get(Envelopes.Signing.BATCHED));
            double perMessage = mean(bestBySigning.get(Envelopes.Signing.PER_MESSAGE));
            System.out.printf(Locale.ROOT, "RESULT batch signing: best closed-loop rate %.0f/s %s against %.0f/s %s signing per message"
                    + " (%+.1f %%)%n", batched, bestBySigning.get(Envelopes.Signing.BATCHED), perMessage,
                    bestBySigning.get(Envelopes.Signing.PER_MESSAGE), 100 * (batched / perMessage - 1));
        }
        summary.write(json);
        return 0;
    }

    /** The node's own view of its inbound exchanges (its listener: envelope in to reply out), from its /metrics. */
    private record NodeSide(double[] sumAndCount, TreeMap<Double, Double> buckets) {

        static NodeSide read(HttpClient local, String api) throws Exception {
            return new NodeSide(NodeMetrics.latencySumAndCount(local, api, "inbound"), NodeMetrics.buckets(local, api, "inbound"));
        }

        void printSince(HttpClient local, String api) throws Exception {
            NodeSide now = read(local, api);
            System.out.printf(Locale.ROOT, "   of which the node's listener, envelope in to reply out: %.2f ms mean, p99 ≤ %.1f ms%n",
                    NodeMetrics.meanMillis(sumAndCount, now.sumAndCount), NodeMetrics.quantileMillis(buckets, now.buckets, 0.99));
        }
    }

    private static double mean(List<Double> rates) {
        return rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /**
     * The node under load: in this JVM (it then shares the heap, the collector and the JIT with the
     * driver), or with {@code --node-jvm separate} in a JVM of its own, as in production.
     */
    private AutoCloseable startNode(DemoAlliance alliance, DemoAlliance.Member member, NodeConfig config, Envelopes.Signing mode)
            throws Exception {
        if (!separateJvm) {
            return Node.start(config);
        }
        Process process = NodeProcesses.start(alliance.root(), "bench-node-" + mode.name().toLowerCase(Locale.ROOT), config,
                alliance.apiUrl(member) + "/health/ready", null);
        return () -> NodeProcesses.stop(process, Duration.ofSeconds(60));
    }

    /** Imports the seed's licensing file into the node once (kept across runs in the data directory). */
    private static void seedOnce(DemoAlliance alliance, DemoAlliance.Member hangzhou, Path seed) throws Exception {
        Path marker = alliance.root().resolve("seeded-hangzhou");
        if (Files.exists(marker)) {
            return;
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(alliance.apiUrl(hangzhou)
                + "/api/v1/imports?type=licensing")).header("Content-Type", "text/csv")
                .header("Authorization", DemoAlliance.devToken(alliance.apiUrl(hangzhou), "bench-operator", "operator", null))
                .POST(HttpRequest.BodyPublishers.ofFile(seed.resolve("licensing.csv"))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("seeding failed: " + r.body());
        }
        Files.writeString(marker, "seeded\n");
    }

    /**
     * Load at the highest concurrency until the node's JIT has settled: a fresh node JVM compiles its hot paths (C2) for a
     * minute and more on two cores, which is the start of its life, not its steady state. At least {@code --warm-up}
     * seconds, then slices of {@link #WARM_UP_SLICE} until one in which the node compiled for less than
     * {@link #SETTLED_COMPILE_SHARE} of the slice, and {@code --warm-up-max} seconds at most.
     */
    private void warmUp(List<SimulatedPartner> clients, byte[] query, HttpClient local, String api, double boundRate) throws Exception {
        int threads = Collections.max(concurrency);
        long started = System.nanoTime();
        closedLoop(clients, query, threads, Duration.ofSeconds(warmUp), "warm-up", boundRate);
        double compiled = Double.NaN;
        while ((System.nanoTime() - started) / 1e9 + WARM_UP_SLICE.toSeconds() <= warmUpMax) {
            double before = NodeMetrics.compilationMillis(local, api);
            closedLoop(clients, query, threads, WARM_UP_SLICE, "warm-up", boundRate);
            compiled = (NodeMetrics.compilationMillis(local, api) - before) / WARM_UP_SLICE.toMillis();
            if (!(compiled >= SETTLED_COMPILE_SHARE)) { // NaN (not exposed) ends the warm-up too
                break;
            }
        }
        System.out.printf(Locale.ROOT, "warm-up: %.0f s; %s%n", (System.nanoTime() - started) / 1e9, Double.isNaN(compiled)
                ? "no slice after --warm-up" : String.format(Locale.ROOT, "the node's JIT compiled for %.1f %% of the last slice", 100 * compiled));
    }

    private static final Duration WARM_UP_SLICE = Duration.ofSeconds(10);
    private static final double SETTLED_COMPILE_SHARE = 0.03;

    /** Closed loop: {@code threads} clients, spread over the partners, each sending its next exchange when the last is answered. */
    private static double closedLoop(List<SimulatedPartner> clients, byte[] query, int threads, Duration length, String label, double boundRate)
            throws Exception {
        long end = System.nanoTime() + length.toNanos();
        Outcomes outcomes = new Outcomes();
        double cpu = MachineCpu.busySeconds();
        List<Latencies> perThread = run(threads, t -> {
            Latencies l = new Latencies();
            SimulatedPartner client = clients.get(t % clients.size());
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                outcomes.count(client.exchange("query", query).orElse(null));
                l.add(System.nanoTime() - start);
            }
            return l;
        });
        return report(label + " concurrency=" + threads, perThread, outcomes, length, boundRate, cpu);
    }

    /**
     * Open loop at a fixed rate: exchange k is due at start + k / rate whatever happened before;
     * its latency runs from when it was due, so a stalled node shows as latency, not as fewer
     * requests (no coordinated omission).
     */
    /** @return the p99 latency of the exchanges, in milliseconds */
    private static double openLoop(List<SimulatedPartner> clients, byte[] query, double rate, Duration length, String label,
                                   double boundRate) throws Exception {
        int threads = 64;
        long start = System.nanoTime() + 10_000_000;
        long total = (long) (rate * length.toSeconds());
        double interval = 1e9 / rate;
        Outcomes outcomes = new Outcomes();
        double cpu = MachineCpu.busySeconds();
        List<Latencies> perThread = run(threads, t -> {
            Latencies l = new Latencies();
            SimulatedPartner client = clients.get(t % clients.size());
            for (long k = t; k < total; k += threads) {
                long due = start + (long) (k * interval);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                outcomes.count(client.exchange("query", query).orElse(null));
                l.add(System.nanoTime() - due);
            }
            return l;
        });
        report(String.format(Locale.ROOT, "%s open loop at %.0f/s (half the best closed-loop rate)", label, rate), perThread, outcomes,
                length, boundRate, cpu);
        Latencies all = new Latencies();
        perThread.forEach(l -> l.copyTo(all));
        return all.percentileMillis(0.99);
    }

    @FunctionalInterface
    interface Worker {
        Latencies work(int thread) throws Exception;
    }

    /** Runs the worker on {@code threads} threads at once; their latencies, when all are done. */
    static List<Latencies> run(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Latencies>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> worker.work(thread)));
            }
            List<Latencies> out = new ArrayList<>();
            for (Future<Latencies> f : running) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Prints a loop's line: its rate against the bound, its latencies, its errors, and the machine's CPU per answered
     * exchange (every process, since {@code cpuStart}) beside what the bound's cryptography takes of it.
     */
    private static double report(String label, List<Latencies> perThread, Outcomes outcomes, Duration length, double boundRate,
                                 double cpuStart) {
        Latencies all = new Latencies();
        perThread.forEach(l -> l.copyTo(all));
        double rate = outcomes.answered.get() / (double) length.toSeconds();
        System.out.printf(Locale.ROOT, "%s: %.0f exchanges/s answered (%.1f %% of the crypto bound measured before this node), %s,"
                + " errors %s; machine CPU per exchange %.2f ms (the bound's crypto: %.2f ms)%n", label, rate, 100 * rate / boundRate,
                all.summary(), outcomes.errors.isEmpty() ? "none" : new TreeMap<>(outcomes.errors),
                MachineCpu.microsPer(cpuStart, Math.max(1, outcomes.answered.get())) / 1000,
                Runtime.getRuntime().availableProcessors() * 1000 / boundRate);
        return rate;
    }

    /** Answered exchanges, and the others by their code. */
    private static final class Outcomes {
        final AtomicLong answered = new AtomicLong();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

        void count(String code) {
            if (code == null) {
                answered.incrementAndGet();
            } else {
                errors.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
            }
        }
    }
}
