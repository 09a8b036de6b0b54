package credit.exchange.routes.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.identifier.IdentifierGenerator;
import credit.exchange.routes.identifier.RegistrationNumber;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.store.IdentifierMappings.ImportResult;
import credit.exchange.routes.store.IdentifierMappings.Mapping;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old registration numbers, organisation codes and mis-issued USCCs map to the USCC in use
 * (统一代码与旧注册登记码映射); the mapping is the only way a row with such a code gets in.
 */
@ExtendWith(CleanCreditStore.class)
class IdentifierMappingsTest {

    private final TestNode node;
    private final IdentifierGenerator ids = Seeds.identifiers(42);
    private CsvTable licence;
    private String uscc;

    @TempDir
    Path dir;

    IdentifierMappingsTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void oneCompanyLicence() {
        licence = Seeds.rows(Seeds.SEED, "licensing", 1, 1, dir);
        uscc = ids.uscc();
        licence.set(1, "XK_XDR_LB", "法人及非法人组织").set(1, "XK_XDR_SHXYM", uscc)
                .set(1, "XK_XDR_ZJLX", "").set(1, "XK_XDR_ZJHM", "");
    }

    @Test
    void import_usccFailingItsCheck_isRejected() {
        licence.set(1, "XK_XDR_SHXYM", wrongCheckCharacter(uscc));

        ImportSummary summary = importLicence();

        assertEquals(1, summary.rejected());
        assertEquals(ErrorCode.E_IDENTIFIER_INVALID, summary.firstDefects().get(0).code());
        assertEquals("XK_XDR_SHXYM", summary.firstDefects().get(0).field());
    }

    @Test
    void import_usccFailingItsCheck_isAcceptedOnceMapped_asLegacyIdentifierOfTheMappedUscc() {
        String misissued = wrongCheckCharacter(uscc);
        licence.set(1, "XK_XDR_SHXYM", misissued);
        importLicence();

        ImportResult mapped = node.importMappings("legacy_code,uscc\n" + misissued + "," + uscc + "\n");
        ImportSummary summary = importLicence();

        assertEquals(1, mapped.stored());
        assertEquals(1, summary.stored());
        assertEquals(0, summary.rejected());
        CreditRecord record = onlyRecordOf(uscc);
        assertTrue(record.legacyIdentifier());
        assertEquals(uscc, record.uscc());
        assertEquals(0, node.number("select count(*) from subject where uscc = ?", misissued));
    }

    @Test
    void import_emptyUsccWithMappedRegistrationNumber_isStoredUnderTheMappedUscc() {
        String registrationNumber = ids.registrationNumber();
        licence.set(1, "XK_XDR_SHXYM", "").set(1, "XK_XDR_GSZC", registrationNumber);
        node.importMappings("legacy_code,uscc\n" + registrationNumber + "," + uscc + "\n");

        ImportSummary summary = importLicence();

        assertEquals(1, summary.stored());
        CreditRecord record = onlyRecordOf(uscc);
        assertEquals(uscc, record.uscc());
        assertFalse(record.legacyIdentifier(), "a registration number passing its own check is not flagged");
    }

    @Test
    void import_emptyUsccWithMappedRegistrationNumberFailingItsCheck_isFlaggedLegacy() {
        String valid = ids.registrationNumber();
        String failing = valid.substring(0, 14) + (char) ('0' + (RegistrationNumber.checkDigit(valid.substring(0, 14)) + 1) % 10);
        licence.set(1, "XK_XDR_SHXYM", "").set(1, "XK_XDR_GSZC", failing);
        node.importMappings("legacy_code,uscc\n" + failing + "," + uscc + "\n");

        importLicence();

        assertTrue(onlyRecordOf(uscc).legacyIdentifier());
    }

    @Test
    void import_emptyUsccWithMappedOrganisationCodeWithHyphen_isStoredUnderTheMappedUscc() {
        String organisationCode = Uscc.organizationCode(uscc);
        String written = organisationCode.substring(0, 8) + "-" + organisationCode.charAt(8);
        licence.set(1, "XK_XDR_SHXYM", "").set(1, "XK_XDR_ZZJG", written);
        node.importMappings("legacy_code,uscc\n" + written + "," + uscc + "\n");

        assertEquals(1, importLicence().stored());
        assertEquals(uscc, onlyRecordOf(uscc).uscc());
    }

    @Test
    void import_emptyUsccWithUnmappedRegistrationNumber_isRejectedAsMissing() {
        licence.set(1, "XK_XDR_SHXYM", "").set(1, "XK_XDR_GSZC", ids.registrationNumber());

        ImportSummary summary = importLicence();

        assertEquals(1, summary.rejected());
        assertEquals(ErrorCode.E_FIELD_MISSING, summary.firstDefects().get(0).code());
    }

    @Test
    void importCsv_readsKindsAndCheckFailures_andLooksUpBothWays() {
        String registrationNumber = ids.registrationNumber();
        String misissued = wrongCheckCharacter(uscc);

        ImportResult result = node.importMappings("legacy_code,uscc,source\n"
                + registrationNumber + "," + uscc + ",工商档案\n"
                + misissued.toLowerCase() + "," + uscc + ",\n");

        assertEquals(2, result.stored());
        assertEquals(List.of(), result.refused());
        assertEquals(List.of(new Mapping(registrationNumber, "REGISTRATION_NUMBER", uscc, false, "工商档案"),
                        new Mapping(misissued, "USCC", uscc, true, "test")),
                sortedByKind(node.mappings().lookup(uscc)));
        assertEquals(List.of(new Mapping(registrationNumber, "REGISTRATION_NUMBER", uscc, false, "工商档案")),
                node.mappings().lookup(" " + registrationNumber + " "));
    }

    @Test
    void importCsv_sameLegacyCodeAgain_replacesTheMapping() {
        String registrationNumber = ids.registrationNumber();
        String newUscc = ids.uscc();
        node.importMappings("legacy_code,uscc\n" + registrationNumber + "," + uscc + "\n");

        node.importMappings("legacy_code,uscc\n" + registrationNumber + "," + newUscc + "\n");

        assertEquals(1, node.rowCount("identifier_mapping"));
        assertEquals(newUscc, node.mappings().lookup(registrationNumber).get(0).uscc());
    }

    @Test
    void importCsv_invalidTargetOrUnknownShape_isRefusedWithItsLine() {
        ImportResult result = node.importMappings("legacy_code,uscc\n"
                + ids.registrationNumber() + "," + wrongCheckCharacter(uscc) + "\n"
                + "12345," + uscc + "\n"
                + ids.registrationNumber() + "," + uscc + "\n");

        assertEquals(1, result.stored());
        assertEquals(2, result.refused().size());
        assertTrue(result.refused().get(0).contains("target USCC"), result.refused().get(0));
        assertTrue(result.refused().get(1).contains("12345"), result.refused().get(1));
    }

    @Test
    void importCsv_withoutTheHeader_isMalformed() {
        CodedException e = assertThrows(CodedException.class,
                () -> node.importMappings("code,target\n" + ids.registrationNumber() + "," + uscc + "\n"));

        assertEquals(ErrorCode.E_MALFORMED, e.code());
        assertEquals(0, node.rowCount("identifier_mapping"));
    }

    private ImportSummary importLicence() {
        return node.importFile(licence.write(dir.resolve("licence.csv")), "licensing");
    }

    private CreditRecord onlyRecordOf(String code) {
        List<CreditRecord> records = node.queries().byUscc(Caller.operator(), code, 0, 10).records();
        assertEquals(1, records.size(), "records of " + code);
        return records.get(0);
    }

    private static List<Mapping> sortedByKind(List<Mapping> mappings) {
        return mappings.stream().sorted(Comparator.comparing(Mapping::kind)).toList();
    }

    private static String wrongCheckCharacter(String code) {
        char right = code.charAt(17);
        char wrong = Uscc.ALPHABET.charAt((Uscc.ALPHABET.indexOf(right) + 1) % Uscc.ALPHABET.length());
        return code.substring(0, 17) + wrong;
    }
}
