package credit.exchange.routes.identifier;

/**
 * 工商注册号, the 15-digit business registration number used before the unified social credit
 * code (SAIC numbering rule, GB/T 17347 era): six digits of the registering office's division
 * code, eight of sequence and one check digit by the hybrid ISO 7064 MOD 11,10 system. Old
 * records and some licences still carry it.
 */
public final class RegistrationNumber {

    private static final int LENGTH = 15;

    private RegistrationNumber() {
    }

    /** Checks a number as given; it is not trimmed. */
    public static IdentifierCheck check(String number) {
        String problem = problem(number);
        return problem == null
                ? IdentifierCheck.ok(number, IdentifierKind.REGISTRATION_NUMBER)
                : IdentifierCheck.invalid(number, IdentifierKind.REGISTRATION_NUMBER, problem);
    }

    /**
     * Computes the check digit for the first 14 digits.
     *
     * @throws IllegalArgumentException if the argument is not 14 ASCII digits
     */
    public static int checkDigit(String first14) {
        if (first14 == null || first14.length() != LENGTH - 1 || !Chars.allAsciiDigits(first14)) {
            throw new IllegalArgumentException("need the first 14 digits of a registration number");
        }
        return iso7064Mod1110(first14);
    }

    /**
     * ISO 7064 hybrid system MOD 11,10 over any number of digits. Kept separate from the
     * registration-number length rule so it can be checked against other users of the same
     * system, such as Croatia's OIB.
     */
    static int iso7064Mod1110(String digits) {
        // The running product starts at M = 10; each step adds a digit, reduces mod 10 (0 counting
        // as 10), doubles and reduces mod 11. The check digit makes the final sum 1 mod 10.
        int product = 10;
        for (int i = 0; i < digits.length(); i++) {
            int sum = (product + digits.charAt(i) - '0') % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        return (11 - product) % 10;
    }

    private static String problem(String number) {
        if (number == null || number.isEmpty()) {
            return "empty";
        }
        if (number.length() != LENGTH) {
            return Chars.lengthReason(number.length(), "15");
        }
        int nonDigit = Chars.firstNonDigit(number);
        if (nonDigit >= 0) {
            return "registration numbers are all digits, found " + Chars.describe(number.charAt(nonDigit))
                    + " at position " + (nonDigit + 1);
        }
        int expected = checkDigit(number.substring(0, LENGTH - 1));
        int found = number.charAt(LENGTH - 1) - '0';
        if (expected != found) {
            return "check digit wrong: expected " + expected + ", found " + found;
        }
        return null;
    }
}
