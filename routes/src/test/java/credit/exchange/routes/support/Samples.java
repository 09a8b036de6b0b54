package credit.exchange.routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The departments' sample files in test-data/samples (a verbatim copy of shared/samples; surefire names the folder in the
 * system property {@code credit.samples.dir}) and the defects planted in them, as defects.json
 * lists them.
 */
public final class Samples {

    public static final Path DIR = Path.of(System.getProperty("credit.samples.dir", "../test-data/samples"));
    public static final Path LICENSING_CSV = DIR.resolve("licensing-sample.csv");
    public static final Path PENALTY_GBK_CSV = DIR.resolve("penalty-sample-gbk.csv");
    public static final Path PENALTY_JSON = DIR.resolve("penalty-sample.json");

    /** Data rows in each sample CSV file. */
    public static final int ROWS_PER_CSV = 40;

    /** One entry of defects.json: the data row (1-based), the column ("-" for the whole row) and what is wrong. */
    public record PlantedDefect(int row, String field, String reason) {

        /** The one planted "defect" that is not a reject: an exact repeat of an earlier row. */
        public boolean isDuplicate() {
            return field.equals("-") && reason.startsWith("exact duplicate");
        }
    }

    private Samples() {
    }

    /** The planted defects of one sample ("licensing" or "penalty"), in file order. */
    public static List<PlantedDefect> plantedDefects(String sample) {
        try {
            JsonNode entries = new ObjectMapper().readTree(DIR.resolve("defects.json").toFile()).path(sample);
            if (!entries.isArray() || entries.isEmpty()) {
                throw new IllegalStateException("defects.json lists nothing for " + sample);
            }
            List<PlantedDefect> defects = new ArrayList<>();
            for (JsonNode entry : entries) {
                defects.add(new PlantedDefect(entry.get(0).asInt(), entry.get(1).asText(), entry.get(2).asText()));
            }
            return defects;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read defects.json in " + DIR.toAbsolutePath(), e);
        }
    }

    /** The planted defects that make a row rejected (every one but the duplicate). */
    public static List<PlantedDefect> plantedRejects(String sample) {
        return plantedDefects(sample).stream().filter(d -> !d.isDuplicate()).toList();
    }

    /** The planted exact duplicates. */
    public static List<PlantedDefect> plantedDuplicates(String sample) {
        return plantedDefects(sample).stream().filter(PlantedDefect::isDuplicate).toList();
    }
}
