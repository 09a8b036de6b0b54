package credit.exchange.security.identity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds resident ID numbers (居民身份证号码, GB 11643) wherever a department put them: in free text
 * (content, facts, remarks), in a column meant for another identifier (a natural person's tax
 * registration number is often the ID number), in a party name. The ingest flow protects what this
 * finds as it protects the party's ID column; a number missed here would be stored and served in
 * the clear, so the rules lean towards finding.
 *
 * <p>A number is found when it stands alone as a run of digits (ASCII or full-width; a run of 19 or
 * more digits, like a bank card number, is no ID, unless its length is a multiple of 18: numbers
 * written one after another) and is shaped like an ID:
 * <ul>
 *   <li>{@link Kind#VALID}: 17 digits and a check character ({@code 0-9}, {@code X} or {@code x})
 *       starting with a province code and a real birth date (1850 to today), whose GB 11643 check
 *       character is right;
 *   <li>{@link Kind#NEAR_VALID}: the same shape with a wrong check character, since a typo still
 *       identifies a person; except when the 18 characters pass the full GB 32100 check of a unified
 *       social credit code (check character and embedded GB 11714 organisation code): then it is
 *       taken for the credit code it is. A credit code whose first 14 digits do not read as province
 *       and birth date is never found at all; one that does and also passes GB 11643 is taken for an
 *       ID (both checks pass for about one ID shape in 341; privacy wins the tie);
 *   <li>{@link Kind#OLD_FORM}: the 15-digit numbers issued until 1999 (province, 6-digit area,
 *       {@code YYMMDD} birth date of the 1900s, 3-digit sequence), unless the 15 digits pass the ISO
 *       7064 MOD 11,10 check of a business registration number (工商注册号), which has the same
 *       length and also starts with a division code, or stand beside a letter (then they are part
 *       of a longer code).
 * </ul>
 * Dates ({@code 2016-02-05}, {@code 20160205}), epoch milliseconds (13 digits), amounts and phone
 * numbers are too short to be found. Not found: a number split by spaces or hyphens, or spelled in
 * Chinese numerals.
 *
 * <p>Pure: no I/O, no state; thread-safe.
 */
public final class ResidentIdFinder {

    /** How a found number relates to GB 11643. */
    public enum Kind { VALID, NEAR_VALID, OLD_FORM }

    /**
     * A number found in a text: {@code text.substring(start, end)} as written, {@code number} with
     * full-width digits made ASCII and a final {@code x} upper case (the form hashed and sealed).
     */
    public record Found(int start, int end, String number, Kind kind) {
    }

    private static final int LENGTH = 18;
    private static final int OLD_LENGTH = 15;
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK = "10X98765432";
    private static final int EARLIEST_BIRTH_YEAR = 1850;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    // GB 32100 and GB 11714, only as far as telling an all-digit credit code from an ID needs
    private static final String USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] USCC_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final int[] ORG_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private ResidentIdFinder() {
    }

    /** Every number in the text, in order, judged against today's date in China. */
    public static List<Found> find(CharSequence text) {
        return find(text, LocalDate.now(CHINA));
    }

    /** As {@link #find(CharSequence)}, judging "birth date not in the future" against the given day. */
    public static List<Found> find(CharSequence text, LocalDate today) {
        List<Found> found = new ArrayList<>(0);
        if (text == null) {
            return found;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (digit(text.charAt(i)) < 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && digit(text.charAt(i)) >= 0) {
                i++;
            }
            int run = i - start;
            int end = i;
            if ((run + 1) % LENGTH == 0 && i < n && isX(text.charAt(i))) {
                end = ++i; // the last number's check character X
            }
            if ((end - start) % LENGTH == 0) {
                // numbers written one after another without a separator are cut into 18s; runs of
                // other lengths (bank card numbers, 19 digits) are not
                for (int at = start; at < end; at += LENGTH) {
                    judge18(text, at, at + LENGTH, today, found);
                }
            } else if (run == OLD_LENGTH && !asciiLetterAt(text, start - 1) && !asciiLetterAt(text, i)) {
                judge15(text, start, i, found);
            }
        }
        return found;
    }

    /** Whether the text holds any number {@link #find} finds. */
    public static boolean contains(CharSequence text) {
        return !find(text).isEmpty();
    }

    /** The text with every found number replaced by what {@code replacement} makes of it. */
    public static String replace(String text, Function<Found, String> replacement) {
        List<Found> found = find(text);
        if (found.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (Found f : found) {
            out.append(text, last, f.start()).append(replacement.apply(f));
            last = f.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static void judge18(CharSequence text, int start, int end, LocalDate today, List<Found> found) {
        String number = normalise(text, start, end);
        if (!isProvince(number) || birthDate(number.substring(6, 14), today) == null) {
            return;
        }
        if (number.charAt(LENGTH - 1) == idCheck(number)) {
            found.add(new Found(start, end, number, Kind.VALID));
        } else if (!isCreditCode(number)) {
            found.add(new Found(start, end, number, Kind.NEAR_VALID));
        }
    }

    private static void judge15(CharSequence text, int start, int end, List<Found> found) {
        String number = normalise(text, start, end);
        LocalDate birth = birthDate("19" + number.substring(6, 12), LocalDate.of(1999, 12, 31));
        if (isProvince(number) && birth != null && !isRegistrationNumber(number)) {
            found.add(new Found(start, end, number, Kind.OLD_FORM));
        }
    }

    /** 0-9 for an ASCII or full-width digit, else -1. */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= '\uFF10' && c <= '\uFF19') {
            return c - '\uFF10';
        }
        return -1;
    }

    /** A 15-digit run beside a letter is a piece of a longer code (a credit code's first 15 characters), not an old ID. */
    private static boolean asciiLetterAt(CharSequence text, int i) {
        if (i < 0 || i >= text.length()) {
            return false;
        }
        char c = text.charAt(i);
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isX(char c) {
        return c == 'X' || c == 'x' || c == '\uFF38' || c == '\uFF58';
    }

    private static String normalise(CharSequence text, int start, int end) {
        char[] out = new char[end - start];
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            out[i - start] = isX(c) ? 'X' : (char) ('0' + digit(c));
        }
        return new String(out);
    }

    /** The province-level codes of GB/T 2260 (with 81-83 of residence permits), as ResidentIdNumber has them. */
    private static boolean isProvince(String number) {
        int p = (number.charAt(0) - '0') * 10 + number.charAt(1) - '0';
        return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37)
                || (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65)
                || p == 71 || (p >= 81 && p <= 83);
    }

    private static LocalDate birthDate(String yyyymmdd, LocalDate latest) {
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)),
                    Integer.parseInt(yyyymmdd.substring(4, 6)), Integer.parseInt(yyyymmdd.substring(6, 8)));
            return date.getYear() < EARLIEST_BIRTH_YEAR || date.isAfter(latest) ? null : date;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits. */
    static char idCheck(String number) {
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += (number.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return ID_CHECK.charAt(sum % 11);
    }

    /** Whether 18 characters pass GB 32100's check character and the GB 11714 check of positions 9-17. */
    static boolean isCreditCode(String code) {
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            int value = USCC_ALPHABET.indexOf(code.charAt(i));
            if (value < 0) {
                return false;
            }
            sum += value * USCC_WEIGHTS[i];
        }
        if (USCC_ALPHABET.charAt((31 - sum % 31) % 31) != code.charAt(LENGTH - 1)) {
            return false;
        }
        int orgSum = 0;
        for (int i = 0; i < ORG_WEIGHTS.length; i++) {
            char c = code.charAt(8 + i);
            orgSum += (c >= 'A' && c <= 'Z' ? c - 'A' + 10 : c - '0') * ORG_WEIGHTS[i];
        }
        int check = 11 - orgSum % 11;
        char expected = check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
        return code.charAt(16) == expected;
    }

    /** Whether 15 digits pass the ISO 7064 MOD 11,10 check of a business registration number. */
    static boolean isRegistrationNumber(String digits) {
        int product = 10;
        for (int i = 0; i < OLD_LENGTH - 1; i++) {
            int sum = (product + digits.charAt(i) - '0') % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        return (11 - product) % 10 == digits.charAt(OLD_LENGTH - 1) - '0';
    }
}
