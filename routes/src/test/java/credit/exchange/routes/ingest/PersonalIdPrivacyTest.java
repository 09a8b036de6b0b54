package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Reject;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.access.Caller;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resident ID numbers (GB 11643) never appear in the clear: not in any table, not in a query
 * answer, not in the rejects. The store keeps a keyed hash to find the person and a sealed copy.
 */
@ExtendWith(CleanCreditStore.class)
class PersonalIdPrivacyTest {

    private static final String NATURAL_PERSON = "自然人";

    private final TestNode node;
    private CsvTable licences;
    private int personRow;
    private String residentId;
    private int representedRow;
    private String representativeId;

    @TempDir
    Path dir;

    PersonalIdPrivacyTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void licencesOfOneNaturalPerson_andOneCompanyWithItsRepresentativesId() {
        licences = Seeds.rows(Seeds.SEED, "licensing", 30, 30, dir);
        personRow = firstRowWhere("XK_XDR_LB", NATURAL_PERSON);
        residentId = licences.get(personRow, "XK_XDR_ZJHM");
        representedRow = personRow == 1 ? 2 : 1;
        representativeId = Seeds.identifiers(99).residentId();
        licences.set(representedRow, "XK_FR_ZJLX", "身份证").set(representedRow, "XK_FR_ZJHM", representativeId);
        // a second licence of the same person, so that queries have more than one record to answer
        int second = licences.addCopyOf(personRow);
        licences.set(second, "XK_WSH", licences.get(personRow, "XK_WSH") + "-2");
    }

    @Test
    void import_naturalPerson_idNeverInTheClearInAnyTable() {
        ImportSummary summary = node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");
        assertEquals(licences.size(), summary.stored());

        for (String id : List.of(residentId, representativeId)) {
            String hexOfId = HexFormat.of().formatHex(id.getBytes(StandardCharsets.US_ASCII));
            for (String table : List.of("subject", "credit_record", "import_run", "import_reject", "import_quality")) {
                for (Map<String, Object> row : node.rows("select row_to_json(t)::text as dump from " + table + " t")) {
                    String dump = (String) row.get("dump");
                    assertFalse(dump.contains(id), table + " holds " + ResidentIdNumber.mask(id) + " in the clear");
                    assertFalse(dump.contains(hexOfId), table + " holds " + ResidentIdNumber.mask(id) + " as unencrypted bytes");
                }
            }
        }
    }

    @Test
    void import_naturalPerson_storesTheSealedIdTheNodeCanOpen_andTheMask() {
        node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        Map<String, Object> subject = node.rows("select subject_key, kind, uscc, person_id_sealed, person_id_masked from subject where kind = 'NATURAL_PERSON'").get(0);

        assertEquals("P:" + node.protector().lookupHashHex(residentId), subject.get("subject_key"));
        assertNull(subject.get("uscc"));
        assertEquals(ResidentIdNumber.mask(residentId), subject.get("person_id_masked"));
        assertEquals(residentId, node.protector().unseal((byte[]) subject.get("person_id_sealed")));
    }

    @Test
    void import_representativeId_isSealed_andOnlyItsMaskIsAnAttribute() {
        node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        Map<String, Object> record = node.rows("select representative_id_sealed, attributes::text as attributes from credit_record where document_number = ?",
                licences.get(representedRow, "XK_WSH")).get(0);

        assertEquals(representativeId, node.protector().unseal((byte[]) record.get("representative_id_sealed")));
        assertTrue(((String) record.get("attributes")).contains(ResidentIdNumber.mask(representativeId)), (String) record.get("attributes"));
    }

    @Test
    void queryByResidentId_findsThePersonsRecords_showingOnlyTheMask() {
        node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        RecordPage page = node.queries().byResidentId(Caller.operator(), residentId, 0, 50);

        assertEquals(2, page.records().size());
        for (CreditRecord record : page.records()) {
            assertEquals(SubjectKind.NATURAL_PERSON, record.subjectKind());
            assertEquals(ResidentIdNumber.mask(residentId), record.maskedPersonId());
            assertEquals(licences.get(personRow, "XK_XDR_MC"), record.partyName());
            assertFalse(record.toString().contains(residentId));
        }
        assertFalse(page.query().contains(residentId), page.query());
    }

    @Test
    void queryByResidentId_ofAnotherPerson_findsNothing() {
        node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        assertEquals(List.of(), node.queries().byResidentId(Caller.operator(), Seeds.identifiers(5).residentId(), 0, 50).records());
    }

    @Test
    void queryByResidentId_lowerCaseX_findsTheSamePerson() {
        String endsInX = idEndingInX();
        licences.set(personRow, "XK_XDR_ZJHM", endsInX).set(licences.size(), "XK_XDR_ZJHM", endsInX);
        node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        assertEquals(2, node.queries().byResidentId(Caller.operator(), endsInX.toLowerCase(), 0, 50).records().size());
    }

    @Test
    void rejects_ofNaturalPersonRows_neverContainTheId() throws Exception {
        String badCheckDigit = residentId.substring(0, 17) + (residentId.charAt(17) == '0' ? '1' : '0');
        licences.set(personRow, "XK_JDRQ", "2021-02-30");
        licences.set(licences.size(), "XK_XDR_ZJHM", badCheckDigit);
        Path rejects = dir.resolve("rejects.csv");

        ImportSummary summary = node.importFile(new ImportRequest(licences.write(dir.resolve("licensing.csv")), "licensing",
                null, null, rejects));

        assertEquals(2, summary.rejected());
        String file = Files.readString(rejects, StandardCharsets.UTF_8);
        String table = Reject.fromTable(node).toString();
        for (String id : List.of(residentId, badCheckDigit)) {
            assertFalse(file.contains(id), "rejects file: " + file);
            assertFalse(table.contains(id), "import_reject: " + table);
            assertFalse(summary.firstDefects().toString().contains(id), "summary: " + summary.firstDefects());
        }
    }

    /** Clerks swap adjacent columns; the reject must name the problem without echoing the number. */
    @Test
    void rejects_idNumberWrittenInTheIdTypeColumn_doNotEchoTheId() {
        licences.set(personRow, "XK_XDR_ZJLX", residentId).set(personRow, "XK_XDR_ZJHM", "身份证");

        ImportSummary summary = node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        assertEquals(1, summary.rejected());
        String table = Reject.fromTable(node).toString();
        assertFalse(table.contains(residentId), "import_reject: " + table.replace(residentId, ResidentIdNumber.mask(residentId)));
    }

    private int firstRowWhere(String column, String value) {
        for (int row = 1; row <= licences.size(); row++) {
            if (licences.get(row, column).equals(value)) {
                return row;
            }
        }
        throw new IllegalStateException("no row with " + column + " = " + value);
    }

    private static String idEndingInX() {
        var ids = Seeds.identifiers(11);
        for (int i = 0; i < 10_000; i++) {
            String id = ids.residentId();
            if (id.endsWith("X")) {
                return id;
            }
        }
        throw new IllegalStateException("no resident ID ending in X generated");
    }
}
