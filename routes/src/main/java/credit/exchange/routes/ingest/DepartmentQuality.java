package credit.exchange.routes.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data quality (信用信息质量监控) of one source department: completeness (expected fields filled),
 * validity (rows accepted), timeliness (double-publicity rows ingested more than 7 days after
 * their decision are late).
 */
public record DepartmentQuality(
        String department,
        int rowsRead,
        int rowsValid,
        long fieldsExpected,
        long fieldsFilled,
        int doublePublicity,
        int late) {

    @JsonProperty
    public double completeness() {
        return fieldsExpected == 0 ? 1.0 : (double) fieldsFilled / fieldsExpected;
    }

    @JsonProperty
    public double validity() {
        return rowsRead == 0 ? 1.0 : (double) rowsValid / rowsRead;
    }

    @JsonProperty
    public double timeliness() {
        return doublePublicity == 0 ? 1.0 : (double) (doublePublicity - late) / doublePublicity;
    }

    DepartmentQuality plus(int read, int valid, long expected, long filled, int publicity, int lateRows) {
        return new DepartmentQuality(department, rowsRead + read, rowsValid + valid, fieldsExpected + expected,
                fieldsFilled + filled, doublePublicity + publicity, late + lateRows);
    }
}
