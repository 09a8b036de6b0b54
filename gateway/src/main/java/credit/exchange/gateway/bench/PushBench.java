package credit.exchange.gateway.bench;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.federation.NodeIdentity;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.SentExchanges;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.push.BenchDeliveries;
import credit.exchange.routes.push.PullService;
import credit.exchange.routes.delivery.Outbox;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.push.OutboxPuller;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.routes.store.Database;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.transport.MutualTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "push", description = {
        "The provincial pull's throughput against its database and crypto bounds.",
        "The provincial pull on loopback: Hangzhou's node imports records (each writes its outbox row), then",
        "the province pulls them over REST with mutual TLS, keeps them and acknowledges each batch with a",
        "signed receipt, with 1, 2 … pullers; beside it, in the same run, the database bound (pull, keep,",
        "acknowledge in SQL, JSON included, no crypto, no network) and the crypto bound (every seal, open,",
        "receipt of one pull and its acknowledgement, one thread) of a batch."})
final class PushBench implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BenchSummary.JsonOption json;

    /** Each puller count's rate, and the database bound of the run. */
    private final java.util.Map<Integer, Double> rates = new java.util.TreeMap<>();
    private double databaseBound;

    @Option(names = "--records", defaultValue = "50000", description = "records imported per puller count")
    int records;

    @Option(names = "--pullers", defaultValue = "1,2", split = ",", description = "concurrent pullers (province replicas)")
    List<Integer> pullers;

    @Option(names = "--batch", defaultValue = "1000", description = "records per pull")
    int batch;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(dataDir.resolve("bench-push-" + System.currentTimeMillis()),
                DemoAlliance.freeBasePort(), null);
        Path root = alliance.root();
        // the provincial pull alone: Hangzhou delivers nothing to the nation here, lets the province pull
        // whole batches without a rate limit, and the province pulls over REST, driven by this bench
        rewrite(root.resolve("hangzhou/partner-configs/national.yaml"), "(?s)push: \\{mode: push.*", "");
        rewrite(root.resolve("hangzhou/partner-configs/zhejiang.yaml"), "visibility-ms: 30000", "visibility-ms: 30000, max-batch: " + batch);
        rewrite(root.resolve("hangzhou/partner-configs/zhejiang.yaml"), "rate-limit: \\{[^}]*}", "rate-limit: {per-second: 100000, burst: 100000}");
        rewrite(root.resolve("zhejiang/partner-configs/hangzhou.yaml"), "pull-from: \\{[^}]*}",
                "pull-from: {binding: rest, batch: " + batch + ", interval-ms: 1000}");
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        DemoAlliance.Member zhejiang = DemoAlliance.member("zhejiang");
        NodeConfig provinceConfig = alliance.config(zhejiang);
        Clock clock = BenchCommand.CLOCK;
        try (Node node = alliance.start(hangzhou);
             CreditStoreConnection cityStore = CreditStoreConnection.openOrCreate(alliance.config(hangzhou));
             CreditStoreConnection provinceStore = CreditStoreConnection.openOrCreate(provinceConfig);
             AuditWriter provinceAudit = new AuditWriter(new AuditStore(provinceStore.database(), "zhejiang", provinceConfig.auditChain()),
                     provinceConfig.getInt("gateway.audit.batch"))) {
            NodeIdentity province = NodeIdentity.load(provinceConfig, clock).orElseThrow();
            PartnerDirectory directory = new PartnerDirectory(Path.of(provinceConfig.get("gateway.partners.dir")),
                    Path.of(provinceConfig.get("gateway.partners.certificates")));
            directory.reload();
            Partner city = directory.find("hangzhou").orElseThrow();
            NodeEnvelopes envelopes = province.envelopes(new InMemoryReplayGuard(clock), clock);
            PartnerClient client = new PartnerClient("zhejiang", envelopes,
                    p -> MutualTls.client(province.tlsCredential().orElseThrow(), province.validator(), p.id()),
                    new SentExchanges(provinceStore.database()), province.policy(), provinceAudit, clock);
            ReceivedDeliveries received = new ReceivedDeliveries(provinceStore.database());
            OutboxPuller puller = new OutboxPuller("zhejiang", client, envelopes, received, clock);
            System.out.printf("Hangzhou -> zhejiang over REST, GM suite, batches of %d, %d records a round%n", batch, records);

            int round = 0;
            for (int p : pullers) {
                importRecords(alliance, hangzhou, 1000 + round++);
                long total = toProvince(cityStore.database()).values().stream().mapToLong(Long::longValue).sum();
                HttpClient local = HttpClient.newHttpClient();
                double[] before = NodeMetrics.latencySumAndCount(local, alliance.apiUrl(hangzhou), "inbound");
                pullAll(puller, city, client.listener(), p, total, cityStore.database());
                System.out.printf("   of which Hangzhou's listener, from envelope in to reply out, mean %.1f ms an exchange"
                        + " (a pull or an acknowledgement)%n",
                        NodeMetrics.meanMillis(before, NodeMetrics.latencySumAndCount(local, alliance.apiUrl(hangzhou), "inbound")));
            }
            int[] sizes = dbBound(cityStore.database(), provinceStore.database());
            cryptoBound(alliance, envelopes, sizes[0], sizes[1]);
        }
        BenchSummary summary = new BenchSummary("push");
        rates.forEach((p, rate) -> summary.rate("push -> pull -> acknowledge, " + p + " puller" + (p == 1 ? "" : "s"), rate, "records/s",
                "database, one thread", databaseBound, Double.NaN));
        summary.write(json);
        return 0;
    }

    private void importRecords(DemoAlliance alliance, DemoAlliance.Member member, int seedNumber) throws Exception {
        Path file = alliance.root().resolve("licensing-" + seedNumber + ".csv");
        new SeedGenerator(seedNumber, LocalDate.now()).writeRows("licensing", records, Math.max(1, records / 4), file);
        List<String> lines = Files.readAllLines(file);
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        int chunk = 10_000; // the API takes files of a few megabytes; the bench sends the rows in parts
        for (int from = 1; from < lines.size(); from += chunk) {
            String part = lines.get(0) + "\n" + String.join("\n", lines.subList(from, Math.min(lines.size(), from + chunk))) + "\n";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(alliance.apiUrl(member) + "/api/v1/imports?type=licensing"))
                    .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(10))
                    .header("Authorization", DemoAlliance.devToken(alliance.apiUrl(member), "bench-operator", "operator", null))
                    .POST(HttpRequest.BodyPublishers.ofString(part)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the import failed: " + r.body());
            }
        }
        System.out.printf("imported %d records (and their outbox rows) in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
    }

    /** Pullers pull, keep and acknowledge until every delivery to the province is acknowledged. */
    private void pullAll(OutboxPuller puller, Partner city, PartnerClient.Carrier rest, int threads, long total, Database cityDb) throws Exception {
        AtomicLong pulled = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        Latencies latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    while (toProvince(cityDb).getOrDefault("ACKNOWLEDGED", 0L) < total) {
                        long start = System.nanoTime();
                        OutboxPuller.Round r = puller.pullOnce(city, rest);
                        if (r.pulled() > 0) {
                            synchronized (latencies) {
                                latencies.add(System.nanoTime() - start);
                            }
                            pulled.addAndGet(r.pulled());
                            batches.incrementAndGet();
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
        System.out.printf("RESULT push->pull->ack pullers=%d: %.0f records/s (%d records in %d batches, %.1f s); per batch %s%n",
                threads, pulled.get() / seconds, pulled.get(), batches.get(), seconds, latencies.summary());
        rates.put(threads, pulled.get() / seconds);
    }

    /**
     * The same pulls in SQL alone: every delivery to the province made READY again and the
     * province's copies dropped, then pull, render, parse, keep and acknowledge, one thread.
     * Returns the size of a full batch's payload and its acknowledgement's, for the crypto bound.
     */
    private int[] dbBound(Database cityDb, Database provinceDb) throws Exception {
        PublicityDeliveries.readyAgainForBench(cityDb, "zhejiang");
        BenchDeliveries.dropReceived(provinceDb);
        PublicityDeliveries outbox = new PublicityDeliveries(cityDb, Clock.systemUTC());
        ReceivedDeliveries received = new ReceivedDeliveries(provinceDb);
        long n = 0;
        int batches = 0;
        int[] sizes = null;
        long[] phases = new long[4]; // pull, render and parse, keep, acknowledge
        long t0 = System.nanoTime();
        List<PublicityDeliveries.Pulled> pulled;
        while (true) {
            long p0 = System.nanoTime();
            pulled = outbox.handOut("zhejiang", batch, Duration.ofMinutes(1));
            long p1 = System.nanoTime();
            phases[0] += p1 - p0;
            if (pulled.isEmpty()) {
                break;
            }
            List<PushMessages.Delivery> deliveries = new ArrayList<>(pulled.size());
            for (PublicityDeliveries.Pulled p : pulled) {
                deliveries.add(new PushMessages.Delivery(PushMessages.messageId("hangzhou", p.outboxId()), null, null, p.recordJson()));
            }
            byte[] payload = PushMessages.batch(deliveries);
            List<PushMessages.Delivery> parsed = PushMessages.readBatch(payload, "hangzhou");
            long p2 = System.nanoTime();
            received.store("hangzhou", parsed);
            long p3 = System.nanoTime();
            byte[] ack = PushMessages.write(new PushMessages.Acknowledgement(UUID.randomUUID().toString(),
                    parsed.stream().map(PushMessages.Delivery::messageId).toList(), Base64.getEncoder().encodeToString(new byte[700])));
            PullService.acknowledge(cityDb, outbox, "zhejiang", pulled.stream().map(PublicityDeliveries.Pulled::outboxId).toList(),
                    "bench-" + batches, new byte[700]);
            phases[1] += p2 - p1;
            phases[2] += p3 - p2;
            phases[3] += System.nanoTime() - p3;
            if (sizes == null) {
                sizes = new int[] {payload.length, ack.length};
            }
            n += pulled.size();
            batches++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        databaseBound = n / seconds;
        System.out.printf("RESULT bound: database (pull, render, parse, keep, acknowledge; no crypto, no network), one thread:"
                + " %.0f records/s (%d records in %d batches; a full batch's payload %d bytes, its acknowledgement %d);"
                + " per batch: pull %.1f ms, render and parse %.1f ms, keep %.1f ms, acknowledge %.1f ms%n",
                n / seconds, n, batches, sizes[0], sizes[1], phases[0] / 1e6 / batches, phases[1] / 1e6 / batches,
                phases[2] / 1e6 / batches, phases[3] / 1e6 / batches);
        return sizes;
    }

    /** Every cryptographic step of one pull and its acknowledgement, both sides, one thread. */
    private void cryptoBound(DemoAlliance alliance, NodeEnvelopes province, int batchBytes, int ackBytes) throws Exception {
        Clock clock = BenchCommand.CLOCK;
        NodeEnvelopes city = NodeIdentity.load(alliance.config(DemoAlliance.member("hangzhou")), clock).orElseThrow()
                .envelopes(new InMemoryReplayGuard(clock), clock);
        X509Certificate toCity = PemFiles.readCertificate(alliance.root().resolve("certs/hangzhou.gm.pem"));
        X509Certificate toProvince = PemFiles.readCertificate(alliance.root().resolve("certs/zhejiang.gm.pem"));
        byte[] batchPayload = new byte[batchBytes];
        byte[] ackPayload = new byte[ackBytes];
        java.util.Arrays.fill(batchPayload, (byte) 'x');
        java.util.Arrays.fill(ackPayload, (byte) 'y');
        Latencies latencies = new Latencies();
        int warmUp = 100;
        int n = 300;
        for (int i = 0; i < warmUp + n; i++) {
            long t0 = System.nanoTime();
            exchange(province, city, toCity, toProvince, PushMessages.pullRequest(batch), batchPayload, "pull", clock);
            exchange(province, city, toCity, toProvince, ackPayload, "{\"acknowledged\":1000}".getBytes(), "acknowledge", clock);
            if (i >= warmUp) {
                latencies.add(System.nanoTime() - t0);
            }
        }
        double meanMillis = latencies.meanNanos() / 1e6;
        System.out.printf("RESULT bound: crypto of one batch (pull and acknowledgement: seal, open, receipts, both sides), one thread:"
                + " %.2f ms mean, %.0f records/s at %d records a batch; %s%n", meanMillis, batch / (meanMillis / 1000), batch,
                latencies.summary());
    }

    /** One request and its answer with receipts, as the two nodes do it; plus the puller's receipt of a batch. */
    private static void exchange(NodeEnvelopes asker, NodeEnvelopes answerer, X509Certificate toAnswerer, X509Certificate toAsker,
                                 byte[] request, byte[] answer, String type, Clock clock) {
        String id = UUID.randomUUID().toString();
        byte[] sealed = asker.seal(request, new ExchangeHeaders(id, "zhejiang", "hangzhou", type, null, clock.instant()), toAnswerer);
        OpenedEnvelope opened = answerer.open(sealed);
        byte[] answerEnvelope = answerer.seal(answer, new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", "zhejiang",
                type + "-answer", id, clock.instant()), toAsker);
        Envelopes answererGm = answerer.suite(Suite.GM);
        byte[] receipt = answererGm.signReceipt(new Receipt(id, "zhejiang", "hangzhou", answererGm.digestAlgorithm(),
                opened.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
        OpenedEnvelope answered = asker.open(answerEnvelope);
        asker.suite(Suite.GM).verifyReceipt(receipt, sealed);
        if (type.equals("pull")) { // the puller's receipt of the batch, verified when it acknowledges
            Envelopes askerGm = asker.suite(Suite.GM);
            byte[] batchReceipt = askerGm.signReceipt(new Receipt(answered.headers().messageId(), "hangzhou", "zhejiang",
                    askerGm.digestAlgorithm(), answered.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
            answererGm.verifyReceipt(batchReceipt, answerEnvelope);
        }
    }

    private static void rewrite(Path file, String regex, String replacement) throws Exception {
        String before = Files.readString(file);
        String after = before.replaceAll(regex, replacement);
        if (before.equals(after)) {
            throw new IllegalStateException("nothing to change in " + file + " for " + regex);
        }
        Files.writeString(file, after);
    }

    /** Hangzhou's deliveries to the province, per state. */
    private static Map<String, Long> toProvince(Database db) {
        return new Outbox(db, Clock.systemUTC()).counts(DeliveryKind.PUBLICITY).getOrDefault("zhejiang", Map.of());
    }
}
