package credit.exchange.routes.identifier;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * 居民身份证号码, the 18-character citizen identification number of GB 11643-1999: six digits of
 * region (GB/T 2260 division code of the place of first registration), eight digits of birth date
 * (yyyyMMdd), a three-digit sequence (odd for men, even for women) and a check digit by ISO 7064
 * MOD 11-2, written X when its value is 10.
 */
public final class ResidentIdNumber {

    private static final int LENGTH = 18;
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_DIGITS = "10X98765432";
    private static final int EARLIEST_BIRTH_YEAR = 1850;
    /** Birth dates are Chinese calendar days; a server running in UTC must not call today's births future. */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private ResidentIdNumber() {
    }

    /**
     * Checks a number against today's date in China. A trailing lower-case {@code x} is accepted
     * and returned upper-cased in {@link IdentifierCheck#input()}; nothing else is normalised.
     */
    public static IdentifierCheck check(String number) {
        return check(number, LocalDate.now(CHINA));
    }

    /** As {@link #check(String)}, judging "not in the future" against the given day. */
    public static IdentifierCheck check(String number, LocalDate today) {
        String normalised = number;
        if (number != null && number.length() == LENGTH && number.charAt(LENGTH - 1) == 'x') {
            normalised = number.substring(0, LENGTH - 1) + 'X';
        }
        String problem = problem(normalised, today);
        return problem == null
                ? IdentifierCheck.ok(normalised, IdentifierKind.RESIDENT_ID)
                : IdentifierCheck.invalid(normalised, IdentifierKind.RESIDENT_ID, problem);
    }

    /**
     * Computes the check character (position 18) for the first 17 digits.
     *
     * @return a digit or {@code 'X'}
     * @throws IllegalArgumentException if the argument is not 17 ASCII digits
     */
    public static char checkDigit(String first17) {
        if (first17 == null || first17.length() != LENGTH - 1 || !Chars.allAsciiDigits(first17)) {
            throw new IllegalArgumentException("need the first 17 digits of a resident ID number");
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_DIGITS.charAt(sum % 11);
    }

    /**
     * Hides the middle of a number for display and logs: the first four characters (province and
     * city) and the last four stay, "3301**********643X". Any length other than 18 is fully starred,
     * because then it is not clear which part is which and revealing any of it could leak the rest.
     * Null is treated as empty.
     */
    public static String mask(String number) {
        if (number == null) {
            return "";
        }
        if (number.length() != LENGTH) {
            return "*".repeat(number.length());
        }
        return number.substring(0, 4) + "*".repeat(LENGTH - 8) + number.substring(LENGTH - 4);
    }

    /**
     * Whether the first 17 characters have the shape of an ID: digits, a known province and a real
     * birth date. Used by {@link Identifiers} to tell an all-digit credit code from an ID number.
     */
    static boolean hasResidentIdShape(String code, LocalDate today) {
        return code != null && code.length() == LENGTH
                && Chars.allAsciiDigits(code.substring(0, LENGTH - 1))
                && isProvince(code.substring(0, 2))
                && birthDateProblem(code.substring(6, 14), today) == null;
    }

    private static String problem(String number, LocalDate today) {
        if (number == null || number.isEmpty()) {
            return "empty";
        }
        if (number.length() != LENGTH) {
            return Chars.lengthReason(number.length(), "18");
        }
        int nonDigit = Chars.firstNonDigit(number.substring(0, LENGTH - 1));
        if (nonDigit >= 0) {
            return "positions 1-17 must be digits, found " + Chars.describe(number.charAt(nonDigit))
                    + " at position " + (nonDigit + 1);
        }
        char found = number.charAt(LENGTH - 1);
        if (!Chars.isAsciiDigit(found) && found != 'X') {
            return "last character must be a digit or X, found " + Chars.describe(found);
        }
        if (!isProvince(number.substring(0, 2))) {
            return "region code " + number.substring(0, 6) + " does not start with a province code";
        }
        String dateProblem = birthDateProblem(number.substring(6, 14), today);
        if (dateProblem != null) {
            return dateProblem;
        }
        char expected = checkDigit(number.substring(0, LENGTH - 1));
        if (expected != found) {
            return "ID check digit wrong: expected " + expected + ", found " + found;
        }
        return null;
    }

    /**
     * The province-level codes of GB/T 2260, plus 83: residence permits for Taiwan residents
     * (since 2018) use 830000, as those for Hong Kong and Macao residents use 810000 and 820000.
     */
    private static boolean isProvince(String twoDigits) {
        int p = Integer.parseInt(twoDigits);
        return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37)
                || (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65)
                || p == 71 || (p >= 81 && p <= 83);
    }

    private static String birthDateProblem(String yyyymmdd, LocalDate today) {
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)),
                    Integer.parseInt(yyyymmdd.substring(4, 6)), Integer.parseInt(yyyymmdd.substring(6, 8)));
        } catch (DateTimeException e) {
            return "birth date " + yyyymmdd + " is not a real date";
        }
        if (date.getYear() < EARLIEST_BIRTH_YEAR) {
            return "birth date " + yyyymmdd + " is before " + EARLIEST_BIRTH_YEAR;
        }
        if (date.isAfter(today)) {
            return "birth date " + yyyymmdd + " is in the future";
        }
        return null;
    }
}
