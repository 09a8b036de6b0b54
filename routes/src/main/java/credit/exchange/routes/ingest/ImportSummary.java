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

    /** How an import ended, as a whole: what its callers (the CLI's exit status, the API's answer) act on. */
    public enum Outcome {
        /** The file was read to its end and every row is stored (or was held already): nothing to do. */
        STORED,
        /** The file was read to its end; some rows were rejected (see the rejects), the others are stored. */
        PARTLY_REJECTED,
        /**
         * The file was not imported: it could not be read to its end (the rows before the problem
         * are kept, {@code fileProblem} says where), it holds no data row, or every row was rejected.
         */
        FAILED
    }

    /** The outcome (one rule for the CLI's exit status and the API's answer). */
    @JsonProperty
    public Outcome outcome() {
        if (fileProblem != null || rowsRead == 0 || stored + duplicates == 0) {
            return Outcome.FAILED;
        }
        return rejected > 0 ? Outcome.PARTLY_REJECTED : Outcome.STORED;
    }

    @JsonProperty
    public double rowsPerSecond() {
        return elapsedMillis == 0 ? rowsRead : rowsRead * 1000.0 / elapsedMillis;
    }
}
