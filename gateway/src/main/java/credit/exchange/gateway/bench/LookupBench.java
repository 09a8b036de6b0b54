package credit.exchange.gateway.bench;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.demo.KeepAliveHttp;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.identifier.IdentifierGenerator;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.SyntheticRecords;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.identity.PersonalIdProtector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lookup", description = {
        "Lookup latency by USCC on a large store against the bare index probe.",
        "Lookup by USCC on a large store: fills a store with N records (once; kept for later runs),",
        "then measures query latency through the local query service (and the HTTP API with --http),",
        "next to the bare index probe on the same keys as the bound."})
final class LookupBench implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "10000000")
    int records;

    @Option(names = "--records-per-subject", defaultValue = "3")
    int perSubject;

    @Option(names = "--queries", defaultValue = "50000")
    int queries;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    @Option(names = "--http", description = "also measure GET /api/v1/records?uscc= through a node on this store")
    boolean http;

    @Option(names = "--clients", defaultValue = "1,16", split = ",",
            description = "concurrent HTTP clients, one measured level each (default ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Mixin
    BenchSummary.JsonOption json;

    /** docs/PERFORMANCE.md's goal: p99 at most 2 ms over HTTP, the query's decisions durable before its answer. */
    private static final double GOAL_P99_MILLIS = 2.0;

    private final BenchSummary summary = new BenchSummary("lookup");
    private double boundP99;

    @Override
    public Integer call() throws Exception {
        NodeConfig config = NodeConfig.of(java.util.Map.of("gateway.data-dir", dataDir.toString(),
                "gateway.node.id", "bench-lookup", "gateway.http.port", "18080"));
        PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
        try (CreditStoreConnection store = CreditStoreConnection.openOrCreate(config)) {
            Database db = store.database();
            fill(db);
            List<String> keys = sampleKeys(db, 20_000);
            AuditWriter audit = new AuditWriter(new AuditStore(db, config.nodeId(), config.auditChain()), 5000);
            LocalQueryService service = new LocalQueryService(db, CategoryCatalogue.load(db), new AccessPolicy(), protector,
                    new AccessEvents(audit), BenchCommand.CLOCK);
            SplittableRandom random = new SplittableRandom(7);

            measure("warm-up", 5_000, keys, random, uscc -> service.byUscc(Caller.operator(), uscc, 0, 50));
            Latencies bound = measure("bound: index probe", queries, keys, random, uscc -> probe(db, uscc));
            Latencies query = measure("local query service", queries, keys, random,
                    uscc -> service.byUscc(Caller.operator(), uscc, 0, 50));
            System.out.println("RESULT store=" + count(db) + " records");
            System.out.println("RESULT bound (select id from subject where uscc = ?): " + bound.summary());
            System.out.println("RESULT byUscc (latest versions, JSON-ready records): " + query.summary());
            boundP99 = bound.percentileMillis(0.99);
            summary.latency("byUscc p99", query.percentileMillis(0.99), "ms", "index probe p99", boundP99, GOAL_P99_MILLIS);
        }
        if (http) {
            try (Node node = Node.start(config)) {
                int port = Integer.parseInt(config.get("gateway.http.port"));
                // each client thread its own kept-alive connection, asked on the thread itself (KeepAliveHttp)
                ThreadLocal<KeepAliveHttp> connection = ThreadLocal.withInitial(() -> new KeepAliveHttp("127.0.0.1", port));
                List<String> keys;
                try (CreditStoreConnection store = CreditStoreConnection.openOrCreate(config)) {
                    keys = sampleKeys(store.database(), 20_000);
                }
                SplittableRandom random = new SplittableRandom(11);
                Probe get = uscc -> {
                    KeepAliveHttp.Answer r = connection.get().get("/api/v1/records?uscc=" + uscc);
                    if (r.status() != 200) {
                        throw new IllegalStateException("HTTP " + r.status() + ": " + r.text());
                    }
                };
                Probe live = uscc -> {
                    KeepAliveHttp.Answer r = connection.get().get("/health/live");
                    if (r.status() != 200) {
                        throw new IllegalStateException("HTTP " + r.status() + ": " + r.text());
                    }
                };
                measure("warm-up http", 5_000, keys, random, get);
                measure("warm-up http, liveness", 5_000, keys, random, live);
                for (int n : clients) {
                    String level = n + " client" + (n == 1 ? "" : "s");
                    double cpu = MachineCpu.busySeconds();
                    Latencies floor = concurrently("http floor (GET /health/live), " + level, n, queries, keys, live);
                    System.out.println("RESULT HTTP floor GET /health/live, " + level + ": " + floor.summary());
                    printCpuCeiling("HTTP floor, " + level, n, MachineCpu.microsPer(cpu, floor.count()));
                    cpu = MachineCpu.busySeconds();
                    Latencies l = concurrently("http, " + level, n, queries, keys, get);
                    System.out.println("RESULT HTTP GET /api/v1/records?uscc=, " + n + " client(s): " + l.summary());
                    printCpuCeiling("HTTP lookup, " + level, n, MachineCpu.microsPer(cpu, l.count()));
                    summary.latency("HTTP p99, " + n + " client" + (n == 1 ? "" : "s"), l.percentileMillis(0.99), "ms",
                            "index probe p99", boundP99, GOAL_P99_MILLIS);
                }
            }
        }
        summary.write(json);
        return 0;
    }

    @FunctionalInterface
    private interface Probe {
        void run(String uscc) throws Exception;
    }

    /**
     * The machine's CPU per answer (driver, node, PostgreSQL and kernel together) and what it implies for {@code n} clients
     * in closed loop: the cores answer at most cores / CPU per answer, so by Little's law the clients' mean latency is at
     * least n / that rate, whatever the scheduling; a p99 below it is out of reach.
     */
    private static void printCpuCeiling(String what, int n, double cpuMicros) {
        double ceiling = Runtime.getRuntime().availableProcessors() * 1e6 / cpuMicros;
        System.out.printf(Locale.ROOT, "RESULT machine CPU per answer, %s: %.0f µs; the cores allow at most %,.0f answers/s, so %d"
                + " client(s) in closed loop wait at least %.2f ms on average (Little's law)%n", what, cpuMicros, ceiling, n,
                n * 1000 / ceiling);
    }

    /** {@code n} clients at once, each asking its share of the queries one after another; their latencies together. */
    private static Latencies concurrently(String phase, int n, int queries, List<String> keys, Probe probe) throws Exception {
        List<Latencies> each = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Latencies mine = new Latencies();
            each.add(mine);
            SplittableRandom random = new SplittableRandom(11 + i);
            int share = queries / n + (i < queries % n ? 1 : 0);
            Thread client = new Thread(() -> {
                try {
                    for (int q = 0; q < share; q++) {
                        String uscc = keys.get(random.nextInt(keys.size()));
                        long start = System.nanoTime();
                        probe.run(uscc);
                        mine.add(System.nanoTime() - start);
                    }
                } catch (Exception e) {
                    failed.compareAndSet(null, e);
                }
            }, "lookup-client-" + i);
            client.start();
            threads.add(client);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        Latencies all = new Latencies();
        each.forEach(l -> l.copyTo(all));
        System.out.printf("%s: %s, %,.0f queries/s%n", phase, all.summary(), all.count() / ((System.nanoTime() - t0) / 1e9));
        return all;
    }

    private static Latencies measure(String phase, int n, List<String> keys, SplittableRandom random, Probe probe) throws Exception {
        Latencies latencies = new Latencies();
        for (int i = 0; i < n; i++) {
            String uscc = keys.get(random.nextInt(keys.size()));
            long t0 = System.nanoTime();
            probe.run(uscc);
            latencies.add(System.nanoTime() - t0);
        }
        System.out.println(phase + ": " + latencies.summary());
        return latencies;
    }

    private static void probe(Database db, String uscc) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("select id from subject where uscc = ?")) {
            ps.setString(1, uscc);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("sampled subject vanished");
                }
            }
        }
    }

    /** Subjects with real-looking USCCs by COPY, then records generated inside PostgreSQL. */
    private void fill(Database db) throws Exception {
        long have = count(db);
        if (have >= records) {
            System.out.printf("store already holds %,d records%n", have);
            return;
        }
        if (have > 0) {
            throw new IllegalStateException("the bench store holds " + have + " records, fewer than asked; delete "
                    + dataDir + "/bench-lookup and run again");
        }
        int subjects = Math.max(1, records / perSubject);
        long t0 = System.nanoTime();
        IdentifierGenerator ids = new IdentifierGenerator(new SplittableRandom(2026));
        Set<String> seen = new HashSet<>(subjects * 2);
        java.util.Iterator<String> usccs = java.util.stream.Stream.generate(ids::uscc).filter(seen::add).iterator();
        try (Connection c = db.connection()) {
            SyntheticRecords.fill(c, usccs, subjects, records);
        }
        System.out.printf("filled %,d subjects and %,d records in %.0f s%n", subjects, records, (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> sampleKeys(Database db, int n) throws SQLException {
        try (Connection c = db.connection()) {
            return SyntheticRecords.sampleUsccs(c, n);
        }
    }

    private static long count(Database db) throws SQLException {
        try (Connection c = db.connection()) {
            return SyntheticRecords.count(c);
        }
    }
}
