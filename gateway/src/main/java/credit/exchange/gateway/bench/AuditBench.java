package credit.exchange.gateway.bench;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.audit.AuditSearch;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditVerifier;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.audit.BenchTrail;
import credit.exchange.routes.store.Database;
import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.Disclosure;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = {
        "Audit events appended and verified per second, against the chain's hash bound.",
        "The audit trail on an embedded PostgreSQL: concurrent queries record their access decisions (one event per",
        "query, a decision per dataset inside it) through the audit writer, each waiting until its event is chained and",
        "durable (group commit); reports events/s and decisions/s appended with the chain,",
        "then verifies the whole chain and reports events/s; beside it, in the same run, the hash bound (the",
        "chain's hash of each event's canonical bytes, one thread)."})
final class AuditBench implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BenchSummary.JsonOption json;

    private final BenchSummary summary = new BenchSummary("audit");
    private double hashRate;
    private double appendRate;

    @Option(names = "--queries", defaultValue = "50000", description = "queries whose access events to append")
    int queries;

    @Option(names = "--writers", defaultValue = "4", description = "concurrent writers (queries)")
    int writers;

    @Option(names = "--per-query", defaultValue = "8", description = "access decisions per query (its datasets)")
    int perQuery;

    @Option(names = "--suite", defaultValue = "GM", description = "GM (SM3) or INTL (SHA-256)")
    Suite suite;

    @Option(names = "--batch", defaultValue = "5000", description = "events the chainer links per transaction")
    int batch;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        NodeConfig config = NodeConfig.of(Map.of("gateway.data-dir", dataDir.toString(),
                "gateway.node.id", "bench-audit-" + System.currentTimeMillis(), "gateway.http.port", "18081"));
        AuditChain chain = AuditChain.of(suite);
        hashBound(chain);
        try (CreditStoreConnection store = CreditStoreConnection.openOrCreate(config)) {
            Database db = store.database();
            AuditStore audit = new AuditStore(db, config.nodeId(), chain);
            append(db, audit);
            List<Double> rates = new ArrayList<>();
            for (int run = 1; run <= 5; run++) {
                long t0 = System.nanoTime();
                AuditVerifier.Verification v = new AuditVerifier(audit).verify(1);
                double seconds = (System.nanoTime() - t0) / 1e9;
                rates.add(v.result().verified() / seconds);
                System.out.printf("verify run %d: %d events (%d decisions) in %.2f s = %,.0f events/s, intact=%s%n", run,
                        v.result().verified(), v.result().verified() * perQuery, seconds, v.result().verified() / seconds,
                        v.result().intact());
            }
            rates.sort(null);
            System.out.printf("RESULT verify: median of 5 runs %,.0f events/s = %,.0f decisions/s (slowest %s events/s)%n", rates.get(2),
                    rates.get(2) * perQuery, String.format("%,.0f", rates.get(0)));
            summary.rate("append, durable", appendRate, "events/s", chain.algorithm() + " of an event, one thread", hashRate, Double.NaN);
            summary.rate("verify, median of 5", rates.get(2), "events/s", chain.algorithm() + " of an event, one thread", hashRate,
                    Double.NaN);
            BenchTrail.analyze(db); // as autovacuum would have by now on a trail that grew over days
            console(new AuditSearch(db, config.nodeId()));
        }
        summary.write(json);
        return 0;
    }

    /** What an officer waits for in the console on this trail: a page of a subject's events, and the day's charts. */
    private static void console(AuditSearch search) {
        Instant to = Instant.now().plusSeconds(60);
        Instant from = to.minus(java.time.Duration.ofDays(1));
        AuditSearch.Criteria subject = new AuditSearch.Criteria(from, to, "huzhou", "U:91330100716105852F", "access", "DENY");
        double[] page = new double[21];
        double[] charts = new double[21];
        for (int i = 0; i < page.length; i++) {
            long t0 = System.nanoTime();
            search.search(subject, java.util.Optional.empty(), 100);
            page[i] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            search.charts(from, to);
            charts[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(page);
        java.util.Arrays.sort(charts);
        System.out.printf("RESULT console: a page of 100 of a subject's denials by one partner, median of 21: %.1f ms (slowest %.1f);"
                + " the day's charts: %.0f ms (slowest %.0f)%n", page[10], page[20], charts[10], charts[20]);
    }

    private void hashBound(AuditChain chain) {
        List<AuditRecord.DatasetDecision> decided = new ArrayList<>();
        decisions().forEach((dataset, d) -> decided.add(new AuditRecord.DatasetDecision(dataset, d.getKey().name(),
                d.getValue().allowed() ? "ALLOW" : "DENY", d.getValue() instanceof AccessDecision.Allow a ? a.disclosure().name()
                        : ((AccessDecision.Deny) d.getValue()).code().name())));
        AuditRecord record = AuditEvent.by(AuditEvent.ActorKind.PARTNER, "huzhou", AuditEvent.Action.ACCESS).partner("huzhou")
                .subject("U:91330100716105852F").purpose("query 1").decisions(decided).build().record().placed(1, "hangzhou");
        byte[] previous = AuditChain.GENESIS;
        for (int i = 0; i < 200_000; i++) { // warm-up
            previous = chain.hash(record.atPosition(i), previous);
        }
        int n = 1_000_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            previous = chain.hash(record.atPosition(i), previous);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        hashRate = n / seconds;
        System.out.printf("RESULT bound: %s of a query's access event's canonical bytes (%d decisions, %d bytes), one thread:"
                + " %,.0f events/s%n", chain.algorithm(), perQuery, record.canonical().length, n / seconds);
    }

    private void append(Database db, AuditStore audit) throws Exception {
        BenchTrail.empty(db);
        AuditWriter writer = new AuditWriter(audit, batch);
        AccessEvents recorder = new AccessEvents(writer);
        Caller huzhou = Caller.partner("huzhou", new PartnerGrant(Set.of(Classification.A), Set.of(), Map.of()));
        Map<String, Map.Entry<Classification, AccessDecision>> decisions = decisions();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer0 = w;
            running.add(pool.submit(() -> {
                for (int q = writer0; q < queries; q += writers) {
                    recorder.recordAll(huzhou, AccessContext.withoutAuthorisation("U:91330100716105852F", "query " + q, Instant.now()),
                            decisions);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        writer.close();
        appendRate = queries / seconds;
        System.out.printf("RESULT append: %d writers (queries), one event of %d decisions each, waiting until it is chained and durable:"
                + " %d events in %.2f s = %,.0f events/s = %,.0f decisions/s%n", writers, perQuery, queries, seconds, queries / seconds,
                (double) queries * perQuery / seconds);
    }

    /** A query's decisions: {@code perQuery} datasets, every other one refused. */
    private Map<String, Map.Entry<Classification, AccessDecision>> decisions() {
        Map<String, Map.Entry<Classification, AccessDecision>> decisions = new LinkedHashMap<>();
        for (int d = 0; d < perQuery; d++) {
            decisions.put("dataset-" + d, d % 2 == 0 ? Map.entry(Classification.A, new AccessDecision.Allow(Disclosure.PUBLIC))
                    : Map.entry(Classification.B, new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED)));
        }
        return decisions;
    }
}
