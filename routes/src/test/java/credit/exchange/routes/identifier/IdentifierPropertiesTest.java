package credit.exchange.routes.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class IdentifierPropertiesTest {

    private static IdentifierGenerator generator(long seed) {
        return new IdentifierGenerator(new SplittableRandom(seed));
    }

    @Property
    void generatedUscc_isValidInTheStrictCheckAndRecognisedAsUscc(@ForAll long seed) {
        String code = generator(seed).uscc();
        IdentifierCheck check = Uscc.check(code);
        assertTrue(check.valid(), code + ": " + check.reason());
        assertEquals(IdentifierKind.USCC, Identifiers.check(code).kind(), code);
        assertTrue(Identifiers.check(code).valid(), code);
        assertTrue(IdentifierGenerator.HANGZHOU_DIVISIONS.contains(code.substring(2, 8)), code);
    }

    @Property
    void generatedResidentId_isValidAndBornInRange(@ForAll long seed) {
        String number = generator(seed).residentId();
        IdentifierCheck check = ResidentIdNumber.check(number);
        assertTrue(check.valid(), number + ": " + check.reason());
        assertEquals(IdentifierKind.RESIDENT_ID, Identifiers.check(number).kind(), number);
        assertTrue(IdentifierGenerator.HANGZHOU_DIVISIONS.contains(number.substring(0, 6)), number);
        String birth = number.substring(6, 14);
        assertTrue(birth.compareTo("19500101") >= 0 && birth.compareTo("20041231") <= 0, number);
    }

    @Property
    void generatedOrganisationCode_isValidAndEmbeddable(@ForAll long seed) {
        String code = generator(seed).organizationCode();
        assertEquals(9, code.length());
        assertTrue(OrganizationCode.check(code).valid(), code + ": " + OrganizationCode.check(code).reason());
        assertTrue(OrganizationCode.check(code.substring(0, 8) + "-" + code.charAt(8)).valid(), code);
        assertEquals(IdentifierKind.ORGANIZATION_CODE, Identifiers.check(code).kind());
        for (char c : code.toCharArray()) {
            assertTrue(Uscc.ALPHABET.indexOf(c) >= 0, code);
        }
    }

    @Property
    void generatedRegistrationNumber_isValidAndFromHangzhou(@ForAll long seed) {
        String number = generator(seed).registrationNumber();
        assertEquals(15, number.length());
        assertTrue(number.startsWith("3301"), number);
        assertTrue(RegistrationNumber.check(number).valid(), number + ": " + RegistrationNumber.check(number).reason());
        assertEquals(IdentifierKind.REGISTRATION_NUMBER, Identifiers.check(number).kind());
        assertTrue(Identifiers.check(number).valid());
    }

    @Property(tries = 50)
    void generator_withTheSameSeed_givesTheSameIdentifiers(@ForAll long seed) {
        IdentifierGenerator a = generator(seed);
        IdentifierGenerator b = generator(seed);
        for (int i = 0; i < 20; i++) {
            assertEquals(a.uscc(), b.uscc());
            assertEquals(a.residentId(), b.residentId());
            assertEquals(a.organizationCode(), b.organizationCode());
            assertEquals(a.registrationNumber(), b.registrationNumber());
        }
    }

    @Property
    void uscc_withAnySingleCharacterReplacedByAnotherAlphabetCharacter_isInvalid(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 17) int position, @ForAll @IntRange(min = 1, max = 30) int shift) {
        // Every weight is a non-zero power of 3 modulo the prime 31, so any single substitution
        // changes the weighted sum modulo 31; the property checks the implementation keeps that.
        String code = generator(seed).uscc();
        char original = code.charAt(position);
        char replacement = Uscc.ALPHABET.charAt((Uscc.ALPHABET.indexOf(original) + shift) % Uscc.ALPHABET.length());
        String changed = code.substring(0, position) + replacement + code.substring(position + 1);
        assertFalse(Uscc.check(changed).valid(), code + " -> " + changed);
        assertFalse(Uscc.checkIgnoringOrganizationCode(changed).valid(), code + " -> " + changed);
    }

    @Property
    void generatedResidentId_satisfiesTheIso7064Mod11_2VerificationForm(@ForAll long seed) {
        // GB 11643 takes its check from ISO 7064 MOD 11-2: weighting all 18 characters by
        // 2^(17-i), with X as 10, must give 1 modulo 11. This does not use the check-digit table.
        String number = generator(seed).residentId();
        int sum = 0;
        for (int i = 0; i < 18; i++) {
            char c = number.charAt(i);
            sum = (sum * 2 + (c == 'X' ? 10 : c - '0')) % 11;
        }
        assertEquals(1, sum, number);
    }

    @Property
    void residentId_withAnySingleDigitChanged_isInvalid(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 16) int position, @ForAll @IntRange(min = 1, max = 9) int shift) {
        String number = generator(seed).residentId();
        char replacement = (char) ('0' + (number.charAt(position) - '0' + shift) % 10);
        String changed = number.substring(0, position) + replacement + number.substring(position + 1);
        assertFalse(ResidentIdNumber.check(changed).valid(), number + " -> " + changed);
    }

    @Property
    void registrationNumber_withAnySingleDigitChanged_isInvalid(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 14) int position, @ForAll @IntRange(min = 1, max = 9) int shift) {
        String number = generator(seed).registrationNumber();
        char replacement = (char) ('0' + (number.charAt(position) - '0' + shift) % 10);
        String changed = number.substring(0, position) + replacement + number.substring(position + 1);
        assertFalse(RegistrationNumber.check(changed).valid(), number + " -> " + changed);
    }

    @Property
    void registrationNumberCheckDigit_satisfiesTheIso7064VerificationForm(@ForAll("digits14") String first14) {
        // Independent of how checkDigit computes: running all 15 digits through the recursion must
        // leave a sum congruent to 1 modulo 10.
        String number = first14 + RegistrationNumber.checkDigit(first14);
        int product = 10;
        int sum = 0;
        for (char c : number.toCharArray()) {
            sum = (product + c - '0') % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        assertEquals(1, sum, number);
    }

    @Property(tries = 2000)
    void identifiersCheck_neverThrowsOnArbitraryText(@ForAll("anyText") String text) {
        IdentifierCheck check = Identifiers.check(text);
        assertNotNull(check);
        assertNotNull(check.kind());
        assertEquals(check.valid(), check.reason() == null, String.valueOf(check));
        ResidentIdNumber.mask(text);
    }

    @Property(tries = 2000)
    void everyCheck_neverThrowsOnArbitraryText(@ForAll("anyText") String text) {
        LocalDate today = LocalDate.of(2025, 6, 1);
        assertNotNull(Uscc.check(text));
        assertNotNull(Uscc.checkIgnoringOrganizationCode(text));
        assertNotNull(ResidentIdNumber.check(text, today));
        assertNotNull(OrganizationCode.check(text));
        assertNotNull(RegistrationNumber.check(text));
    }

    @Example
    void identifiersCheck_ofNull_isUnknownAndInvalidWithReasonEmpty() {
        assertEquals(new IdentifierCheck(null, IdentifierKind.UNKNOWN, false, "empty"), Identifiers.check(null));
    }

    @Provide
    Arbitrary<String> digits14() {
        return Arbitraries.strings().numeric().ofLength(14);
    }

    /**
     * Free text, plus strings of exactly the lengths the guesser branches on and built from the
     * characters that reach the deeper rules, so the date and check arithmetic is exercised too.
     */
    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<Integer> lengths = Arbitraries.of(8, 9, 10, 14, 15, 17, 18, 19);
        Arbitrary<String> shaped = lengths.flatMap(n -> Arbitraries.strings()
                .withChars(Uscc.ALPHABET + "IOSVZxa- \u3000\uFF11").ofLength(n));
        Arbitrary<String> digitsOnly = lengths.flatMap(n -> Arbitraries.strings().numeric().ofLength(n));
        Arbitrary<String> padded = Combinators.combine(shaped, Arbitraries.of(" ", "\t", "\u3000", ""))
                .as((s, pad) -> pad + s.toLowerCase() + pad);
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40), shaped, digitsOnly, padded)
                .injectNull(0.05);
    }
}
