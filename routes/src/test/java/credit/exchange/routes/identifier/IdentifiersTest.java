package credit.exchange.routes.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "91330100716105852F, USCC",
            "914403001922038216, USCC",
            "11010519491231002X, RESIDENT_ID",
            "440524188001010014, RESIDENT_ID",
            "71610585-2, ORGANIZATION_CODE",
            "716105852, ORGANIZATION_CODE",
    })
    void validIdentifier_isRecognisedByShape(String code, IdentifierKind kind) {
        IdentifierCheck check = Identifiers.check(code);
        assertEquals(kind, check.kind());
        assertTrue(check.valid(), check.reason());
        assertEquals(code, check.input());
    }

    @Test
    void fifteenDigits_areCheckedAsRegistrationNumber() {
        String first14 = "33010600012345";
        String number = first14 + RegistrationNumber.checkDigit(first14);
        assertEquals(new IdentifierCheck(number, IdentifierKind.REGISTRATION_NUMBER, true, null), Identifiers.check(number));
    }

    @Test
    void allDigitCreditCode_withTypo_isExplainedAsCreditCode() {
        // 91... cannot be an ID (no province 91), so the credit-code reason is the useful one.
        IdentifierCheck check = Identifiers.check("914403001922038217");
        assertEquals(IdentifierKind.USCC, check.kind());
        assertTrue(check.reason().startsWith("check character wrong"), check.reason());
    }

    @Test
    void idShapedNumber_withWrongCheckDigit_isExplainedAsResidentId() {
        IdentifierCheck check = Identifiers.check("110105194912310023");
        assertEquals(IdentifierKind.RESIDENT_ID, check.kind());
        assertEquals("ID check digit wrong: expected X, found 3", check.reason());
    }

    @Test
    void allDigitNumber_validOnlyAsCreditCode_isUscc() {
        // Province 11 and birth date 0100-71-61 nonsense: shaped like neither, valid as a credit code.
        String first17 = "11330100716105852";
        String code = first17 + Uscc.checkCharacter(first17);
        IdentifierCheck check = Identifiers.check(code);
        assertEquals(IdentifierKind.USCC, check.kind());
        assertTrue(check.valid(), check.reason());
    }

    @Test
    void numberValidAsBoth_isTakenAsResidentId() {
        // Resident ID valid for a birth date of 1949-12-31 that also happens to satisfy GB 32100?
        // Search a sequence number where both checks pass, so the tie-break is exercised for real.
        LocalDate today = LocalDate.of(2025, 6, 1);
        for (int seq = 0; seq < 1000; seq++) {
            String first17 = "1101051949123" + String.format("%03d", seq) + "0";
            for (char last : "0123456789X".toCharArray()) {
                String code = first17.substring(0, 16) + last;
                String candidate = code + ResidentIdNumber.checkDigit(code);
                if (Uscc.isValid(candidate)) {
                    assertEquals(IdentifierKind.RESIDENT_ID, Identifiers.check(candidate, today).kind(), candidate);
                    return;
                }
            }
        }
        throw new AssertionError("no number valid under both standards found; widen the search");
    }

    @Test
    void input_isStrippedAndUpperCased() {
        IdentifierCheck check = Identifiers.check("\u3000 91330100716105852f\t");
        assertTrue(check.valid(), check.reason());
        assertEquals("91330100716105852F", check.input());
        assertTrue(Identifiers.check(" 11010519491231002x ").valid());
    }

    @Test
    void creditCodeWithLetterO_isUsccWithAlphabetReason() {
        IdentifierCheck check = Identifiers.check("91330100O16105852F");
        assertEquals(IdentifierKind.USCC, check.kind());
        assertEquals("letter O is not in the code alphabet (position 9)", check.reason());
    }

    @Test
    void null_isUnknownWithReasonEmpty() {
        assertEquals(new IdentifierCheck(null, IdentifierKind.UNKNOWN, false, "empty"), Identifiers.check(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\u3000"})
    void blank_isUnknownWithReasonEmpty(String blank) {
        IdentifierCheck check = Identifiers.check(blank);
        assertEquals(IdentifierKind.UNKNOWN, check.kind());
        assertEquals("empty", check.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "12345678901", "9133010071610585", "91330100716105852F9"})
    void otherLengths_areUnknownWithLengthReason(String code) {
        IdentifierCheck check = Identifiers.check(code);
        assertEquals(IdentifierKind.UNKNOWN, check.kind());
        assertFalse(check.valid());
        assertTrue(check.reason().startsWith("length " + code.length()), check.reason());
    }

    @Test
    void fifteenCharactersWithLetter_isUnknown() {
        IdentifierCheck check = Identifiers.check("33010600012345A");
        assertEquals(IdentifierKind.UNKNOWN, check.kind());
        assertEquals("15 characters but not all digits, so not a registration number", check.reason());
    }

    @Test
    void tenCharactersWithoutHyphen_isUnknown() {
        assertEquals(IdentifierKind.UNKNOWN, Identifiers.check("7161058522").kind());
    }
}
