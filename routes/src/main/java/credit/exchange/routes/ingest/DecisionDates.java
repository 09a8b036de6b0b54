package credit.exchange.routes.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates as departments write them: YYYY-MM-DD, YYYY/MM/DD, or epoch milliseconds (as many
 * export tools do), the last read in China Standard Time so that midnight stays on its day.
 */
final class DecisionDates {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final Pattern CALENDAR = Pattern.compile("(\\d{4})([-/])(\\d{1,2})\\2(\\d{1,2})");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{11,13}");

    /** A parsed date, or the reason it is not one. */
    record Parsed(LocalDate date, String problem) {
    }

    private DecisionDates() {
    }

    static Parsed parse(String text) {
        Matcher m = CALENDAR.matcher(text);
        if (m.matches()) {
            try {
                return new Parsed(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4))), null);
            } catch (DateTimeException e) {
                return new Parsed(null, "impossible date " + text);
            }
        }
        if (EPOCH_MILLIS.matcher(text).matches()) {
            return new Parsed(Instant.ofEpochMilli(Long.parseLong(text)).atZone(CHINA).toLocalDate(), null);
        }
        return new Parsed(null, "date in no accepted format (YYYY-MM-DD, YYYY/MM/DD or epoch milliseconds): " + text);
    }
}
