package credit.exchange.security.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.identity.ResidentIdFinder.Found;
import credit.exchange.security.identity.ResidentIdFinder.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What the ingest flow relies on: every ID number a department could type into free text or a
 * wrong column is found, exactly where it stands, whatever surrounds it; typos too; and credit
 * codes, amounts and dates are left alone.
 */
class ResidentIdFinderProperties {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    private static final List<String> PROVINCES = List.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
            "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
            "63", "64", "65", "71", "81", "82", "83");

    @Property(tries = 500)
    void validNumber_inAnyText_isFoundOnceWhereItStands(@ForAll("validIds") String id, @ForAll("prose") String before,
                                                        @ForAll("prose") String after) {
        String text = before + id + after;

        List<Found> found = ResidentIdFinder.find(text, TODAY);

        assertEquals(1, found.size(), text);
        assertEquals(before.length(), found.get(0).start());
        assertEquals(before.length() + id.length(), found.get(0).end());
        assertEquals(id.toUpperCase(), found.get(0).number());
        assertEquals(Kind.VALID, found.get(0).kind());
    }

    @Property(tries = 500)
    void nearValidNumber_wrongCheckCharacter_isFoundUnlessItIsACreditCode(@ForAll("validIds") String id,
                                                                         @ForAll @IntRange(min = 1, max = 10) int shift,
                                                                         @ForAll("prose") String before) {
        String check = "0123456789X";
        char wrong = check.charAt((check.indexOf(Character.toUpperCase(id.charAt(17))) + shift) % 11);
        String typo = id.substring(0, 17) + wrong;
        Assume.that(!ResidentIdFinder.isCreditCode(typo));

        List<Found> found = ResidentIdFinder.find(before + typo + "。", TODAY);

        assertEquals(1, found.size());
        assertEquals(Kind.NEAR_VALID, found.get(0).kind());
        assertEquals(typo, found.get(0).number());
    }

    @Property(tries = 300)
    void fullWidthDigits_areFoundToo(@ForAll("validIds") String id) {
        StringBuilder wide = new StringBuilder();
        for (char c : id.toCharArray()) {
            wide.append(c >= '0' && c <= '9' ? (char) (c - '0' + '\uFF10') : '\uFF38');
        }

        List<Found> found = ResidentIdFinder.find("身份证" + wide + "号", TODAY);

        assertEquals(1, found.size());
        assertEquals(id.toUpperCase(), found.get(0).number());
    }

    @Property(tries = 300)
    void replace_leavesNoFoundNumberBehind(@ForAll("validIds") String first, @ForAll("validIds") String second,
                                           @ForAll("prose") String between) {
        String text = "当事人" + first + between + second;

        String masked = ResidentIdFinder.replace(text, f -> "*".repeat(f.end() - f.start()));

        assertTrue(ResidentIdFinder.find(masked, TODAY).isEmpty(), masked);
        assertFalse(masked.contains(first.substring(6, 14) + first.substring(14, 17)), masked);
        assertEquals(text.length(), masked.length());
    }

    @Property(tries = 500)
    void creditCode_thatFailsTheIdCheck_isNeverFound(@ForAll("allDigitCreditCodes") String uscc) {
        Assume.that(ResidentIdFinder.idCheck(uscc) != uscc.charAt(17));

        assertTrue(ResidentIdFinder.find("统一社会信用代码" + uscc, TODAY).isEmpty(), uscc);
    }

    @Property(tries = 500)
    void creditCode_withLetters_isNeverFound(@ForAll("creditCodesWithLetters") String uscc) {
        assertTrue(ResidentIdFinder.find(uscc + " " + uscc.toLowerCase(), TODAY).isEmpty(), uscc);
    }

    @Property(tries = 500)
    void amountsAndDates_areNeverFound(@ForAll("amountsAndDates") String value) {
        assertTrue(ResidentIdFinder.find("罚款" + value + "，" + value, TODAY).isEmpty(), value);
    }

    @Property(tries = 300)
    void digitRunsLongerThanAnId_areNotIds(@ForAll("validIds") String id, @ForAll @IntRange(min = 0, max = 9) int digit) {
        Assume.that(Character.isDigit(id.charAt(17)));

        assertTrue(ResidentIdFinder.find(id + digit, TODAY).isEmpty());
        assertTrue(ResidentIdFinder.find(digit + id, TODAY).isEmpty());
    }

    @Property(tries = 300)
    void oldFifteenDigitNumber_isFoundUnlessItIsARegistrationNumber(@ForAll("validIds") String id) {
        String old = id.substring(0, 6) + id.substring(8, 14) + id.substring(14, 17);
        Assume.that(id.startsWith("19", 6) && !ResidentIdFinder.isRegistrationNumber(old));

        List<Found> found = ResidentIdFinder.find("原证号" + old, TODAY);

        assertEquals(1, found.size());
        assertEquals(Kind.OLD_FORM, found.get(0).kind());
    }

    @Example
    void knownNumbers() {
        assertEquals(Kind.VALID, ResidentIdFinder.find("11010519491231002X", TODAY).get(0).kind());
        assertEquals(Kind.VALID, ResidentIdFinder.find("税务登记号11010519491231002x", TODAY).get(0).kind());
        assertEquals(Kind.NEAR_VALID, ResidentIdFinder.find("110105194912310021", TODAY).get(0).kind());
        assertTrue(ResidentIdFinder.find("91330100716105852F", TODAY).isEmpty(), "a credit code");
        assertTrue(ResidentIdFinder.find("110105194912310021", LocalDate.of(1949, 12, 30)).isEmpty(), "born tomorrow");
        assertTrue(ResidentIdFinder.find("990105194912310021", TODAY).isEmpty(), "no province 99");
        assertTrue(ResidentIdFinder.find("110105194913310021", TODAY).isEmpty(), "no month 13");
        assertTrue(ResidentIdFinder.find("330100000012345", TODAY).isEmpty(), "month 00: a registration number");
        assertTrue(ResidentIdFinder.find(null, TODAY).isEmpty());
    }

    @Provide
    Arbitrary<String> validIds() {
        Arbitrary<String> province = Arbitraries.of(PROVINCES);
        Arbitrary<String> area = Arbitraries.strings().numeric().ofLength(4);
        Arbitrary<LocalDate> birth = Arbitraries.longs().between(LocalDate.of(1900, 1, 1).toEpochDay(), TODAY.toEpochDay())
                .map(LocalDate::ofEpochDay);
        Arbitrary<String> sequence = Arbitraries.strings().numeric().ofLength(3);
        return Combinators.combine(province, area, birth, sequence, Arbitraries.of(true, false)).as((p, a, b, s, lower) -> {
            String first17 = p + a + b.format(DateTimeFormatter.BASIC_ISO_DATE) + s;
            char check = ResidentIdFinder.idCheck(first17 + "0");
            return first17 + (check == 'X' && lower ? 'x' : check);
        });
    }

    /** Text around a number: Chinese, letters, punctuation, never a digit next to it. */
    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.strings().withChars("当事人身份证号码罚款元，。；：（）() -_/abcXYZ\n\t").ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> allDigitCreditCodes() {
        return Combinators.combine(Arbitraries.strings().withCharRange('1', '9').ofLength(2),
                Arbitraries.strings().numeric().ofLength(6), Arbitraries.strings().numeric().ofLength(8))
                .as((authorityAndType, division, org) -> creditCode(authorityAndType + division, org))
                .filter(code -> code.chars().allMatch(Character::isDigit));
    }

    @Provide
    Arbitrary<String> creditCodesWithLetters() {
        return Combinators.combine(Arbitraries.of("91", "92", "93", "11", "12", "31", "51", "52", "53", "Y1", "N1"),
                Arbitraries.strings().numeric().ofLength(6),
                Arbitraries.strings().withChars("0123456789ABCDEFGHJKLMNPQRTUWXY").ofLength(8))
                .as((authorityAndType, division, org) -> creditCode(authorityAndType + division, org))
                .filter(code -> code.chars().anyMatch(Character::isLetter));
    }

    @Provide
    Arbitrary<String> amountsAndDates() {
        Arbitrary<String> amounts = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("999999999999"))
                .ofScale(2).map(BigDecimal::toPlainString);
        Arbitrary<String> dates = Arbitraries.longs().between(LocalDate.of(1949, 1, 1).toEpochDay(), LocalDate.of(2100, 1, 1).toEpochDay())
                .map(LocalDate::ofEpochDay)
                .flatMap(d -> Arbitraries.of(d.toString(), d.format(DateTimeFormatter.BASIC_ISO_DATE),
                        d.toString().replace('-', '/'),
                        Long.toString(d.atStartOfDay(java.time.ZoneOffset.ofHours(8)).toInstant().toEpochMilli())));
        return Arbitraries.oneOf(amounts, dates);
    }

    /** A credit code passing GB 32100 and GB 11714: the organisation code's check added, then the code's own. */
    private static String creditCode(String first8, String org8) {
        int[] orgWeights = {3, 7, 9, 10, 5, 8, 4, 2};
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int orgSum = 0;
        for (int i = 0; i < 8; i++) {
            char c = org8.charAt(i);
            orgSum += (Character.isLetter(c) ? c - 'A' + 10 : c - '0') * orgWeights[i];
        }
        int orgCheck = 11 - orgSum % 11;
        String first17 = first8 + org8 + (orgCheck == 10 ? 'X' : orgCheck == 11 ? '0' : (char) ('0' + orgCheck));
        int[] weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += alphabet.indexOf(first17.charAt(i)) * weights[i];
        }
        String code = first17 + alphabet.charAt((31 - sum % 31) % 31);
        if (!ResidentIdFinder.isCreditCode(code)) {
            throw new AssertionError("generator made an invalid credit code " + code);
        }
        return code;
    }
}
