package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Samples;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data quality per source department (信用信息质量监控): validity (rows accepted of rows read),
 * completeness (expected fields filled), timeliness (double-publicity rows ingested within 7 days
 * of their decision). Each file counts once, however often it is imported.
 */
@ExtendWith(CleanCreditStore.class)
class QualityReportTest {

    /** The licensing layout's mandatory and expected columns, which completeness counts. */
    private static final List<String> LICENSING_COUNTED_COLUMNS = List.of("XK_XDR_MC", "XK_XDR_LB", "XK_XKWS", "XK_WSH",
            "XK_XKLB", "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_LYDW", "XK_LYDWDM");

    private final TestNode node;

    @TempDir
    Path dir;

    QualityReportTest(TestNode node) {
        this.node = node;
    }

    @Test
    void licensingSample_rowsReadAndValidPerDepartment_matchTheFile() {
        node.importFile(Samples.LICENSING_CSV, "licensing");

        assertEquals(expectedRowsReadAndValid(), actualRowsReadAndValid(node.quality().byDepartment(null)));
    }

    @Test
    void licensingSample_decisionsFrom2016_areAllLate() {
        node.importFile(Samples.LICENSING_CSV, "licensing");

        for (DepartmentQuality q : node.quality().byDepartment(null)) {
            assertEquals(q.rowsValid(), q.doublePublicity(), q.department());
            assertEquals(q.rowsValid(), q.late(), q.department());
            assertEquals(0.0, q.timeliness(), q.department());
        }
    }

    @Test
    void licensingSample_completeness_countsTheFilledExpectedFieldsOfValidRows() {
        node.importFile(Samples.LICENSING_CSV, "licensing");
        CsvTable sample = CsvTable.read(Samples.LICENSING_CSV);
        Set<Integer> rejected = Samples.plantedRejects("licensing").stream().map(Samples.PlantedDefect::row).collect(Collectors.toSet());
        long filled = 0;
        for (int row = 1; row <= sample.size(); row++) {
            if (!rejected.contains(row)) {
                for (String column : LICENSING_COUNTED_COLUMNS) {
                    filled += sample.get(row, column).isBlank() ? 0 : 1;
                }
            }
        }

        List<DepartmentQuality> quality = node.quality().byDepartment(null);

        long valid = quality.stream().mapToLong(DepartmentQuality::rowsValid).sum();
        assertEquals(valid * LICENSING_COUNTED_COLUMNS.size(), quality.stream().mapToLong(DepartmentQuality::fieldsExpected).sum());
        assertEquals(filled, quality.stream().mapToLong(DepartmentQuality::fieldsFilled).sum());
    }

    @Test
    void reimport_sameFile_doesNotDoubleTheFigures() {
        node.importFile(Samples.LICENSING_CSV, "licensing");
        List<DepartmentQuality> once = node.quality().byDepartment(null);

        node.importFile(Samples.LICENSING_CSV, "licensing");

        assertEquals(once, node.quality().byDepartment(null));
    }

    @Test
    void generatedFile_decidedInTheLastTenDays_isLateOnlyForDecisionsOlderThanSevenDays() {
        CsvTable recent = Seeds.rows(Seeds.SEED, "licensing", 100, 50, dir);
        for (int row = 1; row <= recent.size(); row++) {
            int daysAgo = row % 10;
            recent.set(row, "XK_JDRQ", TestNode.TODAY.minusDays(daysAgo).format(DateTimeFormatter.ISO_LOCAL_DATE));
        }

        node.importFile(recent.write(dir.resolve("recent.csv")), "licensing");

        List<DepartmentQuality> quality = node.quality().byDepartment(null);
        int publicity = quality.stream().mapToInt(DepartmentQuality::doublePublicity).sum();
        int late = quality.stream().mapToInt(DepartmentQuality::late).sum();
        assertEquals(100, publicity);
        assertEquals(20, late, "rows decided 8 and 9 days ago");
    }

    @Test
    void generatedFile_decidedToday_isTimely() {
        CsvTable today = Seeds.rows(Seeds.SEED, "penalty", 50, 50, dir);
        for (int row = 1; row <= today.size(); row++) {
            today.set(row, "CF_JDRQ", TestNode.TODAY.toString());
        }

        node.importFile(today.write(dir.resolve("today.csv")), "penalty");

        for (DepartmentQuality q : node.quality().byDepartment(null)) {
            assertEquals(0, q.late(), q.department());
            assertEquals(1.0, q.timeliness(), q.department());
        }
    }

    @Test
    void categoryWithoutDoublePublicity_hasNoTimelinessFigures() {
        node.importFile(Seeds.rows(Seeds.SEED, "redlist", 20, 20, dir).write(dir.resolve("redlist.csv")), "redlist");

        for (DepartmentQuality q : node.quality().byDepartment(null)) {
            assertEquals(0, q.doublePublicity(), q.department());
            assertEquals(1.0, q.timeliness(), q.department());
        }
    }

    @Test
    void rowsWithoutSourceUnitCode_countForTheImportsDepartment() {
        CsvTable penalties = Seeds.rows(Seeds.SEED, "penalty", 10, 10, dir);
        String department = Seeds.identifiers(77).uscc();
        for (int row = 1; row <= penalties.size(); row++) {
            penalties.set(row, "CF_SJLYDM", "");
        }

        ImportSummary summary = node.importFile(new ImportRequest(penalties.write(dir.resolve("p.csv")), "penalty", department, null, null));

        assertEquals(10, summary.stored());
        assertEquals(List.of(department), node.quality().byDepartment(null).stream().map(DepartmentQuality::department).toList());
        assertEquals(10, node.number("select count(*) from credit_record where source_department = ?", department));
    }

    @Test
    void byDepartment_ofOneDepartment_answersOnlyThatDepartment() {
        node.importFile(Samples.LICENSING_CSV, "licensing");
        String department = CsvTable.read(Samples.LICENSING_CSV).get(1, "XK_LYDWDM");

        List<DepartmentQuality> quality = node.quality().byDepartment(department);

        assertEquals(1, quality.size());
        assertEquals(expectedRowsReadAndValid().get(department), List.of(quality.get(0).rowsRead(), quality.get(0).rowsValid()));
    }

    /** Department to [rows read, rows valid], counted from the sample itself and its planted rejects. */
    private static Map<String, List<Integer>> expectedRowsReadAndValid() {
        CsvTable sample = CsvTable.read(Samples.LICENSING_CSV);
        Set<Integer> rejected = Samples.plantedRejects("licensing").stream().map(Samples.PlantedDefect::row).collect(Collectors.toSet());
        Map<String, List<Integer>> expected = new TreeMap<>();
        for (int row = 1; row <= sample.size(); row++) {
            List<Integer> counts = expected.computeIfAbsent(sample.get(row, "XK_LYDWDM"), d -> List.of(0, 0));
            expected.put(sample.get(row, "XK_LYDWDM"), List.of(counts.get(0) + 1, counts.get(1) + (rejected.contains(row) ? 0 : 1)));
        }
        return expected;
    }

    private static Map<String, List<Integer>> actualRowsReadAndValid(List<DepartmentQuality> quality) {
        Map<String, List<Integer>> actual = new TreeMap<>();
        quality.forEach(q -> actual.put(q.department(), List.of(q.rowsRead(), q.rowsValid())));
        return actual;
    }
}
