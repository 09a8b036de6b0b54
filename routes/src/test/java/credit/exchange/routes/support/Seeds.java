package credit.exchange.routes.support;

import credit.exchange.routes.identifier.IdentifierGenerator;
import credit.exchange.routes.seed.SeedGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Test data from the demo's own {@link SeedGenerator}, so tests exercise the shapes the demo
 * and the benchmarks use. A seed fixes the data; different seeds never share a document number.
 */
public final class Seeds {

    public static final long SEED = 20_160_601L;

    private Seeds() {
    }

    /** Writes {@code rows} generated rows of one type (licensing, penalty, redlist, blacklist) to a file. */
    public static Path writeRows(long seed, String type, int rows, int subjects, Path file) {
        try {
            new SeedGenerator(seed, TestNode.TODAY).writeRows(type, rows, subjects, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Generated rows of one type, in memory, ready for planted defects. */
    public static CsvTable rows(long seed, String type, int rows, int subjects, Path dir) {
        return CsvTable.read(writeRows(seed, type, rows, subjects, dir.resolve(type + "-" + seed + "-generated.csv")));
    }

    public static CsvTable rows(String type, int rows, Path dir) {
        return rows(SEED, type, rows, Math.max(1, rows / 3), dir);
    }

    /**
     * Generated rows whose parties are all legal persons, each row a different company: the
     * generator's natural persons are given a company name and a fresh USCC instead.
     */
    public static CsvTable companyRows(long seed, String type, int rows, Path dir) {
        CsvTable table = rows(seed, type, rows, rows, dir);
        String prefix = table.header().get(0).replace("XDR_MC", "");
        IdentifierGenerator ids = identifiers(seed);
        for (int row = 1; row <= table.size(); row++) {
            if (!table.get(row, prefix + "XDR_LB").equals("法人及非法人组织")) {
                table.set(row, prefix + "XDR_LB", "法人及非法人组织")
                        .set(row, prefix + "XDR_MC", "杭州第" + row + "号测试有限公司")
                        .set(row, prefix + "XDR_SHXYM", ids.uscc())
                        .set(row, prefix + "XDR_ZJLX", "")
                        .set(row, prefix + "XDR_ZJHM", "");
            }
        }
        return table;
    }

    /** Valid identifiers, the same sequence for the same seed. */
    public static IdentifierGenerator identifiers(long seed) {
        return new IdentifierGenerator(new SplittableRandom(seed));
    }
}
