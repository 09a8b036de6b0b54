package credit.exchange.routes.identifier;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes valid identifiers (GB 32100 credit codes, GB 11643 resident IDs, GB 11714 organisation
 * codes, 15-digit registration numbers) for seed and demo data, placed in Hangzhou's districts and
 * counties. The output depends only on the random generator's sequence, so a seeded generator
 * gives the same data every run. Not thread-safe unless the generator is.
 */
public final class IdentifierGenerator {

    /** Hangzhou's GB/T 2260 codes: the city itself, then 上城 拱墅 西湖 滨江 萧山 余杭 富阳 临安 临平 钱塘 桐庐 淳安 建德. */
    static final List<String> HANGZHOU_DIVISIONS = List.of(
            "330100", "330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112",
            "330113", "330114", "330122", "330127", "330182");

    /** Authority and type pairs other than 91 (enterprise) that seed data should also exercise. */
    private static final List<String> OTHER_PREFIXES = List.of("92", "93", "11", "12", "13", "51", "52", "53", "31");

    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1950, 1, 1);
    private static final LocalDate LATEST_BIRTH = LocalDate.of(2004, 12, 31);
    private static final String DIGITS = "0123456789";
    /** Letters allowed in an organisation code that will also be embedded in a credit code. */
    private static final String ORG_LETTERS = "ABCDEFGHJKLMNPQRTUWXY";

    private final RandomGenerator random;

    public IdentifierGenerator(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A credit code: mostly 91 (enterprise), a Hangzhou division, a valid organisation code, a valid check character. */
    public String uscc() {
        String prefix = random.nextInt(4) == 0 ? pick(OTHER_PREFIXES) : "91";
        String first17 = prefix + pick(HANGZHOU_DIVISIONS) + organizationCode();
        return first17 + Uscc.checkCharacter(first17);
    }

    /** A resident ID born in a Hangzhou district between 1950-01-01 and 2004-12-31. */
    public String residentId() {
        long span = LATEST_BIRTH.toEpochDay() - EARLIEST_BIRTH.toEpochDay() + 1;
        LocalDate birth = LocalDate.ofEpochDay(EARLIEST_BIRTH.toEpochDay() + random.nextLong(span));
        String first17 = pick(HANGZHOU_DIVISIONS)
                + String.format("%04d%02d%02d", birth.getYear(), birth.getMonthValue(), birth.getDayOfMonth())
                + String.format("%03d", 1 + random.nextInt(999));
        return first17 + ResidentIdNumber.checkDigit(first17);
    }

    /**
     * A nine-character organisation code without hyphen. Mostly eight digits like the codes
     * issued before 2015; sometimes "MA" and six letters or digits, the shape of codes issued
     * alongside new credit codes. Letters come from the credit-code alphabet so the result can
     * be embedded in one.
     */
    public String organizationCode() {
        StringBuilder body = new StringBuilder(8);
        if (random.nextInt(5) == 0) {
            body.append("MA");
            while (body.length() < 8) {
                body.append(random.nextInt(3) == 0 ? pick(ORG_LETTERS) : pick(DIGITS));
            }
        } else {
            while (body.length() < 8) {
                body.append(pick(DIGITS));
            }
        }
        return body.toString() + OrganizationCode.checkCharacter(body.toString());
    }

    /** A 15-digit registration number from a Hangzhou registration office (starts with 3301). */
    public String registrationNumber() {
        StringBuilder first14 = new StringBuilder(pick(HANGZHOU_DIVISIONS));
        while (first14.length() < 14) {
            first14.append(pick(DIGITS));
        }
        return first14.toString() + RegistrationNumber.checkDigit(first14.toString());
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private char pick(String chars) {
        return chars.charAt(random.nextInt(chars.length()));
    }
}
