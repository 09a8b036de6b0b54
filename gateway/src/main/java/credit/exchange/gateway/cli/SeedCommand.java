package credit.exchange.gateway.cli;

import credit.exchange.routes.seed.SeedGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "seed", description = {
        "Generate a realistic synthetic data set in the departments' file layouts.",
        "Without --type: licensing.csv, penalty.csv, redlist.csv and blacklist.csv in --out (a directory).",
        "With --type and --rows: exactly that many rows of one type in --out (a file)."})
final class SeedCommand implements Callable<Integer> {

    @Option(names = "--subjects", required = true, paramLabel = "N", description = "number of distinct subjects")
    int subjects;

    @Option(names = "--out", paramLabel = "PATH", defaultValue = "seed", description = "output directory, or file with --type (default ./seed)")
    Path out;

    @Option(names = "--type", paramLabel = "TYPE", description = "licensing, penalty, redlist or blacklist")
    String type;

    @Option(names = "--rows", paramLabel = "N", description = "rows to write with --type (default: one per subject)")
    Integer rows;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; the same seed gives the same files")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (subjects < 1) {
            throw new IllegalArgumentException("--subjects must be at least 1");
        }
        SeedGenerator generator = new SeedGenerator(seed, LocalDate.now());
        if (type != null) {
            int written = generator.writeRows(type, rows == null ? subjects : rows, subjects, out);
            System.out.printf("%s: %,d %s rows over %,d subjects%n", out, written, type, subjects);
        } else {
            Map<String, Integer> counts = generator.writeDataSet(subjects, out);
            counts.forEach((file, n) -> System.out.printf("%s: %,d rows%n", out.resolve(file + ".csv"), n));
        }
        return 0;
    }
}
