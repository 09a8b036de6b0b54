package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.access.Caller;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A correction is a new version: a row with the same source department and document number as a
 * stored record but different content is stored as the next version, the earlier version stays,
 * and queries answer with the latest version only.
 */
@ExtendWith(CleanCreditStore.class)
class CorrectionVersionsTest {

    private static final int CORRECTED_ROW = 2;

    private final TestNode node;
    private CsvTable original;
    private String documentNumber;
    private String uscc;

    @TempDir
    Path dir;

    CorrectionVersionsTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void generateFiveCompanyLicences() {
        original = Seeds.companyRows(Seeds.SEED, "licensing", 5, dir).set(CORRECTED_ROW, "XK_NR", "准予公共场所卫生许可（原决定）");
        documentNumber = original.get(CORRECTED_ROW, "XK_WSH");
        uscc = original.get(CORRECTED_ROW, "XK_XDR_SHXYM");
    }

    @Test
    void import_correctedRow_becomesVersion2_andVersion1Stays() {
        node.importFile(original.write(dir.resolve("original.csv")), "licensing");

        ImportSummary correction = node.importFile(corrected().write(dir.resolve("corrected.csv")), "licensing");

        assertEquals(1, correction.stored());
        assertEquals(original.size() - 1, correction.duplicates());
        assertEquals(List.of(Map.of("version", 1, "content", "准予公共场所卫生许可（原决定）"),
                        Map.of("version", 2, "content", "准予公共场所卫生许可（更正）")),
                node.rows("select version, content from credit_record where document_number = ? order by version", documentNumber));
    }

    @Test
    void query_afterCorrection_returnsOnlyTheLatestVersion() {
        node.importFile(original.write(dir.resolve("original.csv")), "licensing");
        node.importFile(corrected().write(dir.resolve("corrected.csv")), "licensing");

        List<CreditRecord> records = node.queries().byUscc(Caller.operator(), uscc, 0, 50).records();

        List<CreditRecord> ofDocument = records.stream().filter(r -> r.documentNumber().equals(documentNumber)).toList();
        assertEquals(1, ofDocument.size(), "one answer per record, not per version");
        assertEquals(2, ofDocument.get(0).version());
        assertEquals("准予公共场所卫生许可（更正）", ofDocument.get(0).content());
    }

    @Test
    void import_correctionInTheSameFile_storesBothVersionsInFileOrder() {
        CsvTable both = original();
        int correctionRow = both.addCopyOf(CORRECTED_ROW);
        both.set(correctionRow, "XK_NR", "准予公共场所卫生许可（更正）");

        ImportSummary summary = node.importFile(both.write(dir.resolve("both.csv")), "licensing");

        assertEquals(original.size() + 1, summary.stored());
        assertEquals(List.of(Map.of("version", 1, "content", "准予公共场所卫生许可（原决定）"),
                        Map.of("version", 2, "content", "准予公共场所卫生许可（更正）")),
                node.rows("select version, content from credit_record where document_number = ? order by version", documentNumber));
    }

    @Test
    void reimport_fileHoldingACorrection_storesNothing() {
        CsvTable both = original();
        both.set(both.addCopyOf(CORRECTED_ROW), "XK_NR", "准予公共场所卫生许可（更正）");
        Path file = both.write(dir.resolve("both.csv"));
        node.importFile(file, "licensing");

        ImportSummary again = node.importFile(file, "licensing");

        assertEquals(0, again.stored());
        assertEquals(original.size() + 1, again.duplicates());
        assertEquals(2, node.number("select max(version) from credit_record where document_number = ?", documentNumber));
    }

    @Test
    void import_secondCorrection_becomesVersion3() {
        node.importFile(original.write(dir.resolve("original.csv")), "licensing");
        node.importFile(corrected().write(dir.resolve("corrected.csv")), "licensing");
        CsvTable again = corrected().set(CORRECTED_ROW, "XK_YXQZI", "2030-01-01");

        node.importFile(again.write(dir.resolve("corrected-again.csv")), "licensing");

        assertEquals(3, node.number("select max(version) from credit_record where document_number = ?", documentNumber));
        assertEquals(3, node.queries().byUscc(Caller.operator(), uscc, 0, 50).records().stream()
                .filter(r -> r.documentNumber().equals(documentNumber)).findFirst().orElseThrow().version());
    }

    @Test
    void import_sameDocumentNumberFromAnotherDepartment_isAnotherRecord() {
        node.importFile(original.write(dir.resolve("original.csv")), "licensing");
        String otherDepartment = Seeds.identifiers(7).uscc();
        CsvTable other = original().subset(CORRECTED_ROW).set(1, "XK_LYDWDM", otherDepartment);

        ImportSummary summary = node.importFile(other.write(dir.resolve("other.csv")), "licensing");

        assertEquals(1, summary.stored());
        assertEquals(2, node.number("select count(*) from credit_record where document_number = ? and version = 1", documentNumber));
    }

    /**
     * A black-list entry often cites the penalty decision behind it by its document number. It is
     * a record of another category, not a correction of the penalty: both must stay visible.
     */
    @Test
    void import_sameDocumentNumberInAnotherCategory_isASeparateRecord_notAVersion() {
        CsvTable penalty = Seeds.companyRows(Seeds.SEED, "penalty", 1, dir);
        String company = penalty.get(1, "CF_XDR_SHXYM");
        String department = penalty.get(1, "CF_SJLYDM");
        String decision = penalty.get(1, "CF_WSH");
        node.importFile(penalty.write(dir.resolve("penalty.csv")), "penalty");
        CsvTable blacklist = Seeds.companyRows(Seeds.SEED, "blacklist", 1, dir)
                .set(1, "MD_XDR_MC", penalty.get(1, "CF_XDR_MC")).set(1, "MD_XDR_SHXYM", company)
                .set(1, "MD_SJLYDM", department).set(1, "MD_WSH", decision)
                // still published: an entry past its publication end is served by no query (RecordStatus#servedSql)
                .set(1, "MD_GSJZQ", TestNode.TODAY.plusYears(1).toString());

        node.importFile(blacklist.write(dir.resolve("blacklist.csv")), "blacklist");

        assertEquals(List.of(Map.of("category", "blacklist", "version", 1), Map.of("category", "penalty", "version", 1)),
                node.rows("select category, version from credit_record where document_number = ? order by category", decision));
        assertEquals(List.of("blacklist", "penalty"), node.queries().byUscc(Caller.anonymous(), company, 0, 50).records().stream()
                .map(CreditRecord::category).sorted().toList());
    }

    private CsvTable original() {
        return original.copy();
    }

    private CsvTable corrected() {
        return original().set(CORRECTED_ROW, "XK_NR", "准予公共场所卫生许可（更正）");
    }
}
