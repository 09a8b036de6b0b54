package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.routes.support.Protectors;
import credit.exchange.routes.support.Seeds;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.identity.PersonalIdProtector;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row rules, without a database: one penalty row at a time. */
class RowValidatorTest {

    private static final String COMPANY = Seeds.identifiers(1).uscc();
    private static final String DEPARTMENT = "11330100PUEWHWT86R";
    private static final String RESIDENT_ID = Seeds.identifiers(2).residentId();

    private final PersonalIdProtector protector = Protectors.withFreshKeys();
    private final RowValidator validator = new RowValidator(ImportLayout.PENALTY, null, LegacyCodes.NONE, protector);

    @Test
    void validCompanyRow_becomesADraftKeyedByItsUscc() {
        RecordDraft draft = valid(companyRow());

        assertEquals("U:" + COMPANY, draft.subjectKey());
        assertEquals(SubjectKind.LEGAL_PERSON, draft.subjectKind());
        assertEquals(COMPANY, draft.uscc());
        assertEquals(DEPARTMENT, draft.sourceDepartment());
        assertEquals("杭市场罚字〔2016〕2000号", draft.documentNumber());
        assertEquals(LocalDate.of(2016, 11, 14), draft.decisionDate());
        assertFalse(draft.legacyIdentifier());
    }

    @Test
    void dates_inEachAcceptedFormat_areRead() {
        assertEquals(LocalDate.of(2016, 11, 14), valid(companyRow().with("CF_JDRQ", "2016/11/14")).decisionDate());
        assertEquals(LocalDate.of(2016, 2, 3), valid(companyRow().with("CF_JDRQ", "2016-2-3")).decisionDate());
    }

    @Test
    void dates_asEpochMillis_areReadAsChinaStandardTimeDays() {
        // 2016-10-24 00:00 in Hangzhou is still 2016-10-23 in UTC
        assertEquals(LocalDate.of(2016, 10, 24), valid(companyRow().with("CF_JDRQ", "1477238400000")).decisionDate());
    }

    @Test
    void dates_impossibleOrInNoFormat_areE_DATE_INVALID() {
        assertDefect(companyRow().with("CF_JDRQ", "2021-02-30"), "CF_JDRQ", ErrorCode.E_DATE_INVALID, "impossible date");
        assertDefect(companyRow().with("CF_JDRQ", "13/07/2016"), "CF_JDRQ", ErrorCode.E_DATE_INVALID, "no accepted format");
        assertDefect(companyRow().with("CF_JDRQ", "2016-11-14-"), "CF_JDRQ", ErrorCode.E_DATE_INVALID, "no accepted format");
        assertDefect(companyRow().with("CF_YXQ", "2016.11.14"), "CF_YXQ", ErrorCode.E_DATE_INVALID, "no accepted format");
    }

    @Test
    void amounts_withThousandsSeparators_areAccepted_andKeptAsWritten() {
        RecordDraft draft = valid(companyRow().with("CF_NR_FK", "1,234.5"));

        assertEquals("1,234.5", draft.attributes().get("CF_NR_FK"));
    }

    @Test
    void amounts_notANumberOrNegative_areE_NUMBER_INVALID() {
        assertDefect(companyRow().with("CF_NR_FK", "五万"), "CF_NR_FK", ErrorCode.E_NUMBER_INVALID, "amount not a number");
        assertDefect(companyRow().with("CF_NR_WFFF", "-0.1"), "CF_NR_WFFF", ErrorCode.E_NUMBER_INVALID, "negative");
    }

    @Test
    void mandatoryFields_empty_areE_FIELD_MISSING() {
        assertDefect(companyRow().with("CF_XDR_MC", " "), "CF_XDR_MC", ErrorCode.E_FIELD_MISSING, "party name missing");
        assertDefect(companyRow().with("CF_WSH", ""), "CF_WSH", ErrorCode.E_FIELD_MISSING, "document number missing");
        assertDefect(companyRow().with("CF_CFJG", ""), "CF_CFJG", ErrorCode.E_FIELD_MISSING, "penalising authority missing");
    }

    @Test
    void sourceUnitCode_missingWithoutDefaultDepartment_isE_FIELD_MISSING() {
        assertDefect(companyRow().with("CF_SJLYDM", ""), "CF_SJLYDM", ErrorCode.E_FIELD_MISSING, "--department");
    }

    @Test
    void sourceUnitCode_missing_fallsBackToTheDefaultDepartment_inUpperCase() {
        RowValidator withDefault = new RowValidator(ImportLayout.PENALTY, " " + DEPARTMENT.toLowerCase() + " ", LegacyCodes.NONE, protector);

        RowValidator.Outcome outcome = withDefault.validate(companyRow().with("CF_SJLYDM", "").toSourceRow());

        assertTrue(outcome.valid(), outcome.defects().toString());
        assertEquals(DEPARTMENT, outcome.draft().sourceDepartment());
    }

    @Test
    void naturalPerson_isKeyedByTheKeyedHash_withTheIdSealedAndMasked() {
        RecordDraft draft = valid(personRow());

        assertEquals("P:" + protector.lookupHashHex(RESIDENT_ID), draft.subjectKey());
        assertEquals(SubjectKind.NATURAL_PERSON, draft.subjectKind());
        assertNull(draft.uscc());
        assertEquals(ResidentIdNumber.mask(RESIDENT_ID), draft.personIdMasked());
        assertEquals(RESIDENT_ID, protector.unseal(draft.personIdSealed()));
        assertFalse(draft.attributes().containsValue(RESIDENT_ID), draft.attributes().toString());
    }

    @Test
    void naturalPerson_withoutIdOrWithAnotherIdType_isRejected() {
        assertDefect(personRow().with("CF_XDR_ZJHM", ""), "CF_XDR_ZJHM", ErrorCode.E_FIELD_MISSING, "resident ID number missing");
        assertDefect(personRow().with("CF_XDR_ZJLX", "护照"), "CF_XDR_ZJLX", ErrorCode.E_FIELD_INVALID, "not supported");
    }

    @Test
    void representativeId_invalid_isE_IDENTIFIER_INVALID_andValid_isSealedAndMasked() {
        String bad = RESIDENT_ID.substring(0, 17) + (RESIDENT_ID.charAt(17) == '1' ? '2' : '1');
        assertDefect(companyRow().with("CF_FR_ZJLX", "身份证").with("CF_FR_ZJHM", bad), "CF_FR_ZJHM",
                ErrorCode.E_IDENTIFIER_INVALID, "check digit");

        RecordDraft draft = valid(companyRow().with("CF_FR_ZJLX", "身份证").with("CF_FR_ZJHM", RESIDENT_ID));
        assertEquals(RESIDENT_ID, protector.unseal(draft.representativeIdSealed()));
        assertEquals(ResidentIdNumber.mask(RESIDENT_ID), draft.attributes().get("CF_FR_ZJHM"));
    }

    @Test
    void contentDigest_isEqualForEqualRows_andDiffersWhenAnyValueDiffers() {
        byte[] digest = valid(companyRow()).contentDigest();

        assertArrayEquals(digest, valid(companyRow()).contentDigest());
        assertArrayEquals(digest, valid(companyRow().with("CF_NR", " 警告 ")).contentDigest(), "values are compared stripped");
        assertFalse(Arrays.equals(digest, valid(companyRow().with("CF_NR", "警告并罚款")).contentDigest()));
        assertFalse(Arrays.equals(digest, valid(companyRow().with("BZ", "备注")).contentDigest()));
    }

    @Test
    void contentDigest_ofANaturalPerson_isTheSameUnderTheSameKeys() {
        PersonalIdProtector sameKeys = protector;
        RowValidator again = new RowValidator(ImportLayout.PENALTY, null, LegacyCodes.NONE, sameKeys);

        assertArrayEquals(valid(personRow()).contentDigest(), again.validate(personRow().toSourceRow()).draft().contentDigest());
    }

    @Test
    void severalDefects_inOneRow_areAllReported() {
        RowValidator.Outcome outcome = validator.validate(companyRow().with("CF_WSH", "").with("CF_JDRQ", "x").toSourceRow());

        assertFalse(outcome.valid());
        assertEquals(List.of("CF_WSH", "CF_JDRQ"), outcome.defects().stream().map(Defect::field).toList());
    }

    private RecordDraft valid(Row row) {
        RowValidator.Outcome outcome = validator.validate(row.toSourceRow());
        assertTrue(outcome.valid(), outcome.defects().toString());
        return outcome.draft();
    }

    private void assertDefect(Row row, String field, ErrorCode code, String reasonPart) {
        RowValidator.Outcome outcome = validator.validate(row.toSourceRow());
        assertFalse(outcome.valid());
        assertEquals(1, outcome.defects().size(), outcome.defects().toString());
        Defect defect = outcome.defects().get(0);
        assertEquals(field, defect.field());
        assertEquals(code, defect.code());
        assertTrue(defect.reason().contains(reasonPart), defect.reason());
        assertEquals(7, defect.rowNumber());
    }

    private static Row companyRow() {
        return new Row()
                .with("CF_XDR_MC", "杭州钱塘食品有限公司").with("CF_XDR_LB", "法人及非法人组织").with("CF_XDR_SHXYM", COMPANY)
                .with("CF_FRDB", "张娜").with("CF_WSH", "杭市场罚字〔2016〕2000号").with("CF_WFXW", "未按规定公示年度报告")
                .with("CF_CFLB", "警告").with("CF_NR", "警告").with("CF_JDRQ", "2016-11-14").with("CF_YXQ", "2017-11-14")
                .with("CF_GSJZQ", "2019-11-14").with("CF_CFJG", "杭州市市场监督管理局").with("CF_CFJGDM", DEPARTMENT)
                .with("CF_SJLY", "杭州市市场监督管理局").with("CF_SJLYDM", DEPARTMENT);
    }

    private static Row personRow() {
        return companyRow().with("CF_XDR_MC", "李静").with("CF_XDR_LB", "自然人").with("CF_XDR_SHXYM", "").with("CF_FRDB", "")
                .with("CF_XDR_ZJLX", "身份证").with("CF_XDR_ZJHM", RESIDENT_ID);
    }

    /** A penalty row by header, numbered 7, as the reader would hand it over. */
    private static final class Row {
        private final Map<String, String> values = new LinkedHashMap<>();

        Row with(String header, String value) {
            values.put(header, value);
            return this;
        }

        SourceRow toSourceRow() {
            String[] byColumn = new String[ImportLayout.PENALTY.columns().size()];
            values.forEach((header, value) -> byColumn[ImportLayout.PENALTY.column(header).orElseThrow().index()] = value);
            return new SourceRow(7, byColumn);
        }
    }
}
