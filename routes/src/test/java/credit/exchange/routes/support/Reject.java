package credit.exchange.routes.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** One line of an import's rejects, as the rejects file and table import_reject hold it. */
public record Reject(int row, String field, String code, String reason) {

    /** The rejects CSV an import wrote (header row,field,code,reason), in file order. */
    public static List<Reject> fromFile(Path rejectsFile) {
        try (Reader in = Files.newBufferedReader(rejectsFile, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in)
                     .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            if (!parser.getHeaderNames().equals(List.of("row", "field", "code", "reason"))) {
                throw new IllegalStateException("rejects file header is " + parser.getHeaderNames());
            }
            List<Reject> rejects = new ArrayList<>();
            for (CSVRecord r : parser) {
                rejects.add(new Reject(Integer.parseInt(r.get("row")), r.get("field"), r.get("code"), r.get("reason")));
            }
            return rejects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of table import_reject, ordered by row and field. */
    public static List<Reject> fromTable(TestNode node) {
        return node.rows("select row_number, field, code, reason from import_reject order by row_number, field").stream()
                .map(Reject::of).toList();
    }

    private static Reject of(Map<String, Object> row) {
        return new Reject((Integer) row.get("row_number"), (String) row.get("field"), (String) row.get("code"),
                (String) row.get("reason"));
    }

    /** Row and field only, for comparing where defects were found: "21 XK_JDRQ". */
    public String where() {
        return row + " " + field;
    }

    /** Row, field and code, for comparing without the wording: "21 XK_JDRQ E_DATE_INVALID". */
    public String whereAndCode() {
        return where() + " " + code;
    }
}
