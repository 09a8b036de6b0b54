package credit.exchange.gateway.bench;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.ingest.BulkImporter;
import credit.exchange.routes.ingest.ImportRequest;
import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.ingest.ProgressListener;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushSubscriptions;
import credit.exchange.routes.seed.SeedGenerator;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Suite;
import credit.exchange.security.identity.PersonalIdProtector;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", description = {
        "Bulk import throughput against its Java-side and database-side bounds.",
        "Bulk import throughput on a fresh embedded store, with its two bounds measured in the same run:",
        "the file read and validated without storing (the Java side), and a bare COPY of the same file",
        "into a table of text columns without keys (the database side); and the machine's CPU per row in each,",
        "with the ceiling they set: the rate the cores allow were storing to cost no more than the bare COPY."})
final class ImportBench implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000")
    int rows;

    @Option(names = "--type", defaultValue = "penalty")
    String type;

    @Option(names = "--data-dir", defaultValue = "./data-bench")
    Path dataDir;

    @Option(names = "--push-subscribers", defaultValue = "0",
            description = "partners subscribed to the type (0, 1 or 2: the province, pulling, and the nation, pushed to):"
                    + " every stored row then also writes that many outbox rows")
    int pushSubscribers;

    /** docs/PERFORMANCE.md's goal: the import at half the bare COPY of the same file, or better. */
    private static final double GOAL_OF_COPY = 0.5;

    @picocli.CommandLine.Mixin
    BenchSummary.JsonOption json;

    @Override
    public Integer call() throws Exception {
        Path file = dataDir.resolve("bench-" + type + "-" + rows + ".csv");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            new SeedGenerator(2026, LocalDate.now()).writeRows(type, rows, Math.max(1, rows / 3), file);
        }
        NodeConfig config = NodeConfig.of(Map.of("gateway.data-dir", dataDir.toString(), "gateway.node.id", "bench-import"));
        deleteTree(config.nodeDir());
        PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
        try (CreditStoreConnection store = CreditStoreConnection.openOrCreate(config)) {
            CategoryCatalogue catalogue = CategoryCatalogue.load(store.database());
            new PushSubscriptions(store.database(), catalogue).sync(subscribers(type, pushSubscribers));
            BulkImporter importer = new BulkImporter(store.database(), catalogue, protector, BenchCommand.CLOCK);
            ImportRequest request = new ImportRequest(file, type, null, null, null);

            importer.check(request, ProgressListener.NONE); // warms the JIT for both measured runs
            double cpu = MachineCpu.busySeconds();
            ImportSummary check = importer.check(request, ProgressListener.NONE);
            double checkCpu = MachineCpu.microsPer(cpu, rows);
            Copied copy = bareCopy(store, file);
            double copyRate = copy.rowsPerSecond();
            cpu = MachineCpu.busySeconds();
            ImportSummary imported = importer.importFile(request, ProgressListener.NONE);
            double importCpu = MachineCpu.microsPer(cpu, rows);
            if (imported.stored() != rows) {
                throw new IllegalStateException("stored " + imported.stored() + " of " + rows + " rows");
            }
            System.out.printf("RESULT rows=%,d file=%,d bytes%n", rows, Files.size(file));
            System.out.printf("RESULT bound, read+validate only: %,.0f rows/s%n", check.rowsPerSecond());
            System.out.printf("RESULT bound, bare COPY of the file: %,.0f rows/s%n", copyRate);
            System.out.printf("RESULT import (validate, protect IDs, COPY, upsert subjects and versions, %d outbox rows per"
                    + " version): %,.0f rows/s (%.1f s)%n", pushSubscribers, imported.rowsPerSecond(), imported.elapsedMillis() / 1000.0);
            int cores = Runtime.getRuntime().availableProcessors();
            double ceiling = cores * 1e6 / (checkCpu + copy.cpuMicrosPerRow());
            System.out.printf("RESULT machine CPU per row (every process and the kernel): read+validate %.1f µs, bare COPY %.1f µs,"
                    + " import %.1f µs%n", checkCpu, copy.cpuMicrosPerRow(), importCpu);
            System.out.printf("RESULT ceiling on %d cores, were storing to cost no more than the bare COPY: %,.0f rows/s (%.3f of bare"
                    + " COPY)%n", cores, ceiling, ceiling / copyRate);
            BenchSummary summary = new BenchSummary("import");
            summary.rate("import, " + pushSubscribers + " push subscribers", imported.rowsPerSecond(), "rows/s", "bare COPY", copyRate,
                    GOAL_OF_COPY);
            summary.rate("read + validate", check.rowsPerSecond(), "rows/s", "bare COPY", copyRate, Double.NaN);
            summary.rate("ceiling: read + validate and bare COPY on " + cores + " cores", ceiling, "rows/s", "bare COPY", copyRate,
                    Double.NaN);
            summary.write(json);
        }
        return 0;
    }

    /** The shipped provincial (pull) and national (push, 7 days) subscriptions to the type, the first {@code n} of them. */
    private static List<Partner> subscribers(String type, int n) {
        List<Partner> all = List.of(
                subscriber("zhejiang", Partner.Push.pulled(Set.of(type))),
                subscriber("national", Partner.Push.delivered(Set.of(type), Optional.of(7))));
        return all.subList(0, Math.max(0, Math.min(n, all.size())));
    }

    private static Partner subscriber(String id, Partner.Push push) {
        return new Partner(id, id, Partner.Level.PROVINCIAL, true, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(), false, Set.of(), Optional.of(push), Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Path.of(id + ".yaml"));
    }

    /** The bare COPY's rate, and the machine's CPU per row it took. */
    private record Copied(double rowsPerSecond, double cpuMicrosPerRow) {
    }

    private static Copied bareCopy(CreditStoreConnection store, Path file) throws Exception {
        try (Connection c = store.database().connection(); Statement s = c.createStatement()) {
            String header = Files.newBufferedReader(file, StandardCharsets.UTF_8).readLine();
            int columns = header.split(",", -1).length;
            StringBuilder ddl = new StringBuilder("create table bench_raw_rows (");
            for (int i = 0; i < columns; i++) {
                ddl.append(i == 0 ? "" : ", ").append("c").append(i).append(" text");
            }
            s.execute("drop table if exists bench_raw_rows");
            s.execute(ddl.append(")").toString());
            double cpu = MachineCpu.busySeconds();
            long t0 = System.nanoTime();
            long copied;
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                copied = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("copy bench_raw_rows from stdin with (format csv, header true)", r);
            }
            Copied result = new Copied(copied / ((System.nanoTime() - t0) / 1e9), MachineCpu.microsPer(cpu, copied));
            s.execute("drop table bench_raw_rows");
            return result;
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
