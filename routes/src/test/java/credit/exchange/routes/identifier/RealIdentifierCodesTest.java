package credit.exchange.routes.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real, publicly known identifiers and the standards' own examples. If one of these fails, the
 * algorithm is wrong: each code was issued by the authorities, not computed by this package.
 */
class RealIdentifierCodesTest {

    private static final String ALIBABA = "91330100716105852F";
    private static final String GB_11643_EXAMPLE = "11010519491231002X";

    @Nested
    class CreditCodes {

        @ParameterizedTest(name = "{1} {0}")
        @CsvSource({
                "91330100716105852F, Alibaba (China) Co. Ltd.",
                "914403001922038216, Huawei Technologies Co. Ltd.",
                "9144030071526726XG, Tencent Technology (Shenzhen) Co. Ltd.",
                "91110000802100433B, Beijing Baidu Netcom Science and Technology Co. Ltd.",
                "91100000100003962T, Industrial and Commercial Bank of China Ltd.",
                "91110108551385082Q, Xiaomi Inc.",
        })
        void realCompanyCode_isValid(String code, String holder) {
            IdentifierCheck check = Uscc.check(code);
            assertTrue(check.valid(), holder + ": " + check.reason());
            assertNull(check.reason());
            assertEquals(IdentifierKind.USCC, check.kind());
            assertTrue(Uscc.isValid(code));
            assertEquals(code.charAt(17), Uscc.checkCharacter(code.substring(0, 17)));
            assertTrue(OrganizationCode.check(Uscc.organizationCode(code)).valid(), "embedded organisation code");
        }

        @Test
        void gb32100WorkedExample_computesCheckCharacter3() {
            // GB 32100-2015 works through 91350100M000100Y4?: weighted sum 1640, 1640 mod 31 = 28, 31 - 28 = 3.
            assertEquals('3', Uscc.checkCharacter("91350100M000100Y4"));
            assertTrue(Uscc.isValid("91350100M000100Y43"));
        }

        @Test
        void gb32100WorkedExample_withZAsGivenInTheStandard_isInvalid() {
            IdentifierCheck check = Uscc.check("91350100M000100Y4Z");
            assertFalse(check.valid());
            assertEquals("letter Z is not in the code alphabet (position 18)", check.reason());
        }

        @Test
        void uscc_withOneDigitChanged_isInvalidWithCheckCharacterReason() {
            IdentifierCheck check = Uscc.check("91330100716105862F");
            assertFalse(check.valid());
            // Position 16 has weight 30, i.e. -1 mod 31, so one more there moves the check character from F to G.
            assertEquals("check character wrong: expected G, found F", check.reason());
        }

        @Test
        void uscc_withCheckCharacterChanged_isInvalidWithExpectedAndFound() {
            IdentifierCheck check = Uscc.check("91330100716105852G");
            assertFalse(check.valid());
            assertEquals("check character wrong: expected F, found G", check.reason());
        }

        @ParameterizedTest
        @ValueSource(chars = {'I', 'O', 'S', 'V', 'Z'})
        void uscc_withExcludedLetter_isInvalidWithAlphabetReason(char letter) {
            String code = ALIBABA.substring(0, 8) + letter + ALIBABA.substring(9);
            IdentifierCheck check = Uscc.check(code);
            assertFalse(check.valid());
            assertEquals("letter " + letter + " is not in the code alphabet (position 9)", check.reason());
        }

        @Test
        void uscc_withLetterO_isInvalidWithAlphabetReason() {
            assertTrue(Uscc.check("9133010O716105852F").reason().contains("letter O is not in the code alphabet"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"91330100716105852", "91330100716105852F0", "9"})
        void uscc_withWrongLength_isInvalidWithLengthReason(String code) {
            assertEquals("length " + code.length() + ", expected 18", Uscc.check(code).reason());
        }

        @Test
        void uscc_inLowerCase_isInvalidAndSaysUseUpperCase() {
            IdentifierCheck check = Uscc.check("91330100716105852f");
            assertFalse(check.valid());
            assertTrue(check.reason().startsWith("lower-case letter f"), check.reason());
        }

        @Test
        void uscc_whoseEmbeddedOrganisationCodeFailsGb11714_isInvalidOnlyInStrictCheck() {
            // Body of Alibaba's organisation code with a wrong check character, yet a right position 18.
            String first17 = "91330100716105853";
            String code = first17 + Uscc.checkCharacter(first17);
            IdentifierCheck strict = Uscc.check(code);
            assertFalse(strict.valid());
            assertEquals("organisation code check character wrong: expected 2, found 3 (positions 9-17)", strict.reason());
            assertTrue(Uscc.checkIgnoringOrganizationCode(code).valid());
        }

        @Test
        void uscc_withLetterInDivisionCode_isInvalid() {
            String first17 = "9133A100716105852";
            IdentifierCheck check = Uscc.check(first17 + Uscc.checkCharacter(first17));
            assertEquals("positions 3-8 must be the 6-digit division code, found A at position 5", check.reason());
        }

        @Test
        void uscc_withUnknownRegistrationAuthority_isInvalid() {
            String first17 = "B1330100716105852";
            IdentifierCheck check = Uscc.check(first17 + Uscc.checkCharacter(first17));
            assertEquals("registration authority B (position 1) does not exist", check.reason());
        }

        @Test
        void uscc_withTypeZero_isInvalid() {
            String first17 = "90330100716105852";
            IdentifierCheck check = Uscc.check(first17 + Uscc.checkCharacter(first17));
            assertEquals("organisation type 0 (position 2) does not exist", check.reason());
        }

        @Test
        void uscc_null_isInvalidAsEmpty() {
            assertEquals(new IdentifierCheck(null, IdentifierKind.USCC, false, "empty"), Uscc.check(null));
        }

        @Test
        void organizationCode_takesPositions9To17() {
            assertEquals("716105852", Uscc.organizationCode(ALIBABA));
            assertThrows(IllegalArgumentException.class, () -> Uscc.organizationCode("716105852"));
        }

        @Test
        void checkCharacter_rejectsCharactersOutsideTheAlphabet() {
            assertThrows(IllegalArgumentException.class, () -> Uscc.checkCharacter("9133010071610585O"));
            assertThrows(IllegalArgumentException.class, () -> Uscc.checkCharacter("9133010071610585"));
        }

        @Test
        void alphabet_has31CharactersWithoutIOSVZ() {
            assertEquals(31, Uscc.ALPHABET.length());
            assertEquals(31, Uscc.ALPHABET.chars().distinct().count());
            for (char c : "IOSVZ".toCharArray()) {
                assertEquals(-1, Uscc.ALPHABET.indexOf(c));
            }
        }
    }

    @Nested
    class OrganisationCodes {

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource({
                "71610585-2, Alibaba (China)",
                "716105852, Alibaba (China) without hyphen",
                "19220382-1, Huawei Technologies",
                "71526726-X, Tencent Technology (Shenzhen): check value 10 is written X",
                "80210043-3, Beijing Baidu Netcom",
                "M000100Y-4, embedded in the GB 32100 worked example",
        })
        void realOrganisationCode_isValid(String code, String holder) {
            IdentifierCheck check = OrganizationCode.check(code);
            assertTrue(check.valid(), holder + ": " + check.reason());
            assertEquals(IdentifierKind.ORGANIZATION_CODE, check.kind());
        }

        @Test
        void checkCharacter_whenValueIs11_isZero() {
            assertEquals('0', OrganizationCode.checkCharacter("00000000"));
        }

        @Test
        void checkCharacter_valuesLettersFromATen() {
            // M=22, Y=34: 22*3 + 0 + 0 + 0 + 1*5 + 0 + 0 + 34*2 = 139, 139 mod 11 = 7, 11 - 7 = 4.
            assertEquals('4', OrganizationCode.checkCharacter("M000100Y"));
        }

        @Test
        void organisationCode_withCheckChanged_isInvalidWithCheckCharacterReason() {
            assertEquals("organisation code check character wrong: expected 2, found 3",
                    OrganizationCode.check("71610585-3").reason());
        }

        @Test
        void organisationCode_withOneDigitChanged_isInvalid() {
            assertFalse(OrganizationCode.check("71610586-2").valid());
        }

        @ParameterizedTest
        @ValueSource(strings = {"7161058522", "71610585_2", "71610585--2", "71610585"})
        void organisationCode_withWrongLengthOrSeparator_isInvalidWithLengthReason(String code) {
            assertTrue(OrganizationCode.check(code).reason().startsWith("length " + code.length()),
                    OrganizationCode.check(code).reason());
        }

        @Test
        void organisationCode_withHyphenInWrongPlace_isInvalid() {
            assertEquals("character '-' is not allowed in the organisation code (position 8)",
                    OrganizationCode.check("7161058-2").reason());
        }

        @Test
        void organisationCode_withLowerCaseLetter_isInvalid() {
            assertFalse(OrganizationCode.check("71526726-x").valid());
        }
    }

    @Nested
    class ResidentIds {

        private final LocalDate today = LocalDate.of(2025, 6, 1);

        @ParameterizedTest
        @ValueSource(strings = {GB_11643_EXAMPLE, "440524188001010014"})
        void gb11643Example_isValid(String number) {
            IdentifierCheck check = ResidentIdNumber.check(number);
            assertTrue(check.valid(), check.reason());
            assertEquals(IdentifierKind.RESIDENT_ID, check.kind());
            assertEquals(number.charAt(17), ResidentIdNumber.checkDigit(number.substring(0, 17)));
        }

        @Test
        void residentId_withLowerCaseX_isValidAndNormalisedToUpper() {
            IdentifierCheck check = ResidentIdNumber.check("11010519491231002x");
            assertTrue(check.valid());
            assertEquals(GB_11643_EXAMPLE, check.input());
        }

        @Test
        void residentId_withCheckDigitChanged_isInvalidWithCheckDigitReason() {
            assertEquals("ID check digit wrong: expected X, found 3",
                    ResidentIdNumber.check("110105194912310023", today).reason());
        }

        @Test
        void residentId_withOneSequenceDigitChanged_isInvalidWithCheckDigitReason() {
            IdentifierCheck check = ResidentIdNumber.check("11010519491231003X", today);
            assertFalse(check.valid());
            assertTrue(check.reason().startsWith("ID check digit wrong"), check.reason());
        }

        @Test
        void residentId_withImpossibleBirthDate19490230_isInvalidWithDateReason() {
            String first17 = "11010519490230002";
            String number = first17 + ResidentIdNumber.checkDigit(first17);
            assertEquals("birth date 19490230 is not a real date", ResidentIdNumber.check(number, today).reason());
        }

        @Test
        void residentId_bornOn29FebruaryOfALeapYear_isValid() {
            String first17 = "33010619680229001";
            assertTrue(ResidentIdNumber.check(first17 + ResidentIdNumber.checkDigit(first17), today).valid());
        }

        @Test
        void residentId_bornTomorrow_isInvalidAsFuture() {
            String first17 = "33010620250602001";
            assertEquals("birth date 20250602 is in the future",
                    ResidentIdNumber.check(first17 + ResidentIdNumber.checkDigit(first17), today).reason());
            assertTrue(ResidentIdNumber.check(first17 + ResidentIdNumber.checkDigit(first17),
                    LocalDate.of(2025, 6, 2)).valid());
        }

        @Test
        void residentId_bornBefore1850_isInvalid() {
            String first17 = "33010618491231001";
            assertEquals("birth date 18491231 is before 1850",
                    ResidentIdNumber.check(first17 + ResidentIdNumber.checkDigit(first17), today).reason());
        }

        @Test
        void residentId_withNoProvinceCode_isInvalid() {
            String first17 = "99010619680222001";
            assertEquals("region code 990106 does not start with a province code",
                    ResidentIdNumber.check(first17 + ResidentIdNumber.checkDigit(first17), today).reason());
        }

        @ParameterizedTest
        @ValueSource(strings = {"1101051949123100", "11010519491231002", "11010519491231002X1"})
        void residentId_withWrongLength_isInvalidWithLengthReason(String number) {
            assertEquals("length " + number.length() + ", expected 18", ResidentIdNumber.check(number).reason());
        }

        @Test
        void residentId_withLetterInTheBody_isInvalid() {
            assertEquals("positions 1-17 must be digits, found 'A' at position 3",
                    ResidentIdNumber.check("11A10519491231002X").reason());
        }

        @Test
        void residentId_withFullWidthDigit_isInvalidAndNamesTheCodePoint() {
            assertEquals("positions 1-17 must be digits, found U+FF11 at position 1",
                    ResidentIdNumber.check("\uFF111010519491231002X").reason());
        }

        @Test
        void mask_keepsFirstAndLastFour() {
            assertEquals("3301**********643X", ResidentIdNumber.mask("33011419680222643X"));
        }

        @Test
        void mask_ofOtherLengths_starsEverything() {
            assertEquals("***************", ResidentIdNumber.mask("330106680222643"));
            assertEquals("", ResidentIdNumber.mask(""));
            assertEquals("", ResidentIdNumber.mask(null));
        }
    }

    @Nested
    class RegistrationNumbers {

        @ParameterizedTest
        @CsvSource({"6943515153, 0", "1234567890, 3"})
        void iso7064Mod1110_agreesWithCroatianOibExamples(String body, int check) {
            // Croatia's personal identification number (OIB) uses the same ISO 7064 MOD 11,10 system.
            assertEquals(check, RegistrationNumber.iso7064Mod1110(body));
        }

        @Test
        void registrationNumber_withRightCheckDigit_isValid() {
            String first14 = "33010600012345";
            String number = first14 + RegistrationNumber.checkDigit(first14);
            IdentifierCheck check = RegistrationNumber.check(number);
            assertTrue(check.valid(), check.reason());
            assertEquals(IdentifierKind.REGISTRATION_NUMBER, check.kind());
        }

        @Test
        void registrationNumber_withCheckDigitChanged_isInvalidWithCheckDigitReason() {
            String first14 = "33010600012345";
            int right = RegistrationNumber.checkDigit(first14);
            int wrong = (right + 1) % 10;
            assertEquals("check digit wrong: expected " + right + ", found " + wrong,
                    RegistrationNumber.check(first14 + wrong).reason());
        }

        @Test
        void registrationNumber_withLetter_isInvalid() {
            assertEquals("registration numbers are all digits, found 'A' at position 7",
                    RegistrationNumber.check("330106A00123450").reason());
        }

        @Test
        void registrationNumber_withWrongLength_isInvalid() {
            assertEquals("length 14, expected 15", RegistrationNumber.check("33010600012345").reason());
        }
    }
}
