package credit.exchange.routes.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Dates as departments write them: YYYY-MM-DD, YYYY/MM/DD (month and day may have one digit),
 * or epoch milliseconds (as many export tools do), the last read in China Standard Time so
 * that midnight stays on its day. Parsed by hand: this runs for several fields of every row.
 */
final class DecisionDates {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** Credit records are decisions of the People's Republic's authorities; anything outside is a typo. */
    static final int FIRST_YEAR = 1949;
    static final int LAST_YEAR = 2100;

    /** A parsed date, or the reason it is not one. */
    record Parsed(LocalDate date, String problem) {
    }

    private DecisionDates() {
    }

    static Parsed parse(String text) {
        int n = text.length();
        if (n >= 8 && n <= 10 && (text.charAt(4) == '-' || text.charAt(4) == '/')) {
            char separator = text.charAt(4);
            int second = text.indexOf(separator, 5);
            int year = digits(text, 0, 4);
            int month = second < 0 ? -1 : digits(text, 5, second);
            int day = second < 0 ? -1 : digits(text, second + 1, n);
            if (year >= 0 && month >= 0 && day >= 0 && second - 5 <= 2 && n - second - 1 <= 2) {
                if (year < FIRST_YEAR || year > LAST_YEAR) {
                    return new Parsed(null, "implausible year " + year + " (accepted: " + FIRST_YEAR + " to " + LAST_YEAR + ")");
                }
                try {
                    return new Parsed(LocalDate.of(year, month, day), null);
                } catch (DateTimeException e) {
                    return new Parsed(null, "impossible date (no day " + day + " in month " + month + " of " + year + ")");
                }
            }
        } else if (n >= 11 && n <= 13 && digits(text, 0, n) >= 0) {
            LocalDate date = Instant.ofEpochMilli(Long.parseLong(text)).atZone(CHINA).toLocalDate();
            if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
                return new Parsed(null, "implausible year " + date.getYear() + " (accepted: " + FIRST_YEAR + " to " + LAST_YEAR + ")");
            }
            return new Parsed(date, null);
        }
        // the value is not echoed: a misplaced column could put a resident ID number here
        return new Parsed(null, "date in no accepted format (YYYY-MM-DD, YYYY/MM/DD or epoch milliseconds)");
    }

    /** The decimal value of text[from, to), or -1 if it is empty or holds a non-digit. Only for short runs. */
    private static int digits(String text, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value;
    }
}
