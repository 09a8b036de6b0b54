package credit.exchange.routes.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What an import did. Every data row of the file is counted exactly once in stored, duplicates
 * or rejected; a file that cannot be read to its end says so in {@code fileProblem}, and the
 * rows before that point are kept.
 */
public record ImportSummary(
        long importId,
        String file,
        String category,
        String charset,
        int rowsRead,
        int stored,
        int duplicates,
        int rejected,
        List<Defect> firstDefects,
        String rejectsFile,
        List<String> ignoredColumns,
        String fileProblem,
        List<DepartmentQuality> quality,
        long elapsedMillis) {

    @JsonProperty
    public double rowsPerSecond() {
        return elapsedMillis == 0 ? rowsRead : rowsRead * 1000.0 / elapsedMillis;
    }
}
