package credit.exchange.routes.identifier;

/**
 * 统一社会信用代码, the unified social credit code of GB 32100-2015: 18 characters from a 31-character
 * alphabet. Position 1 is the registration authority, 2 the organisation type, 3-8 the
 * administrative division code (GB/T 2260) of the registering office, 9-17 the organisation code
 * of GB 11714 ({@link OrganizationCode}), 18 the check character.
 */
public final class Uscc {

    /** The code alphabet; a character's value is its index. I, O, S, V and Z are left out as easily misread. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static final int LENGTH = 18;
    private static final int MODULUS = ALPHABET.length();
    /** 3^(i-1) mod 31, as tabulated in the standard. */
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    /**
     * Registration authorities of GB 32100 table 1 (plus A, the military's establishment office,
     * added by amendment). Types are only required to be 1-9: the per-authority type lists have
     * grown over time and an overly strict table would reject real codes.
     */
    private static final String AUTHORITIES = "123456789ANY";

    private Uscc() {
    }

    /**
     * Checks every rule: length, alphabet, check character, registration authority and type,
     * the six-digit division code, and the embedded GB 11714 organisation code. The input is not
     * trimmed or upper-cased; {@link Identifiers#check} does that for free text.
     */
    public static IdentifierCheck check(String code) {
        return check(code, true);
    }

    /**
     * Like {@link #check} but without the GB 11714 check of the organisation code at positions
     * 9-17. Codes issued since 2015 to new organisations carry an organisation code that passes it,
     * yet data in the wild (and generated test data) may not, while the position 18 check
     * character still catches typing errors.
     */
    public static IdentifierCheck checkIgnoringOrganizationCode(String code) {
        return check(code, false);
    }

    public static boolean isValid(String code) {
        return check(code).valid();
    }

    /**
     * Computes the check character (position 18) for the first 17 characters.
     *
     * @throws IllegalArgumentException if the argument is not 17 characters of {@link #ALPHABET}
     */
    public static char checkCharacter(String first17) {
        if (first17 == null || first17.length() != LENGTH - 1) {
            throw new IllegalArgumentException("need the first 17 characters of a credit code");
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            int value = ALPHABET.indexOf(first17.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException(alphabetReason(first17.charAt(i), i));
            }
            sum += value * WEIGHTS[i];
        }
        return ALPHABET.charAt((MODULUS - sum % MODULUS) % MODULUS);
    }

    /**
     * The nine characters at positions 9-17, which are the organisation code without its hyphen.
     *
     * @throws IllegalArgumentException if the argument is not 18 characters long
     */
    public static String organizationCode(String uscc) {
        if (uscc == null || uscc.length() != LENGTH) {
            throw new IllegalArgumentException("a credit code has 18 characters");
        }
        return uscc.substring(8, 17);
    }

    private static IdentifierCheck check(String code, boolean checkOrganizationCode) {
        String problem = problem(code, checkOrganizationCode);
        return problem == null
                ? IdentifierCheck.ok(code, IdentifierKind.USCC)
                : IdentifierCheck.invalid(code, IdentifierKind.USCC, problem);
    }

    private static String problem(String code, boolean checkOrganizationCode) {
        if (code == null || code.isEmpty()) {
            return "empty";
        }
        if (code.length() != LENGTH) {
            return Chars.lengthReason(code.length(), "18");
        }
        for (int i = 0; i < LENGTH; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return alphabetReason(code.charAt(i), i);
            }
        }
        // The check character comes before the structural rules: a mistyped character usually
        // breaks it too, and "check character wrong" is the reason a clerk can act on.
        char expected = checkCharacter(code.substring(0, LENGTH - 1));
        char found = code.charAt(LENGTH - 1);
        if (expected != found) {
            return "check character wrong: expected " + expected + ", found " + found;
        }
        if (AUTHORITIES.indexOf(code.charAt(0)) < 0) {
            return "registration authority " + code.charAt(0) + " (position 1) does not exist";
        }
        char type = code.charAt(1);
        if (type < '1' || type > '9') {
            return "organisation type " + type + " (position 2) does not exist";
        }
        int nonDigit = Chars.firstNonDigit(code.substring(2, 8));
        if (nonDigit >= 0) {
            return "positions 3-8 must be the 6-digit division code, found " + code.charAt(2 + nonDigit)
                    + " at position " + (3 + nonDigit);
        }
        if (checkOrganizationCode) {
            String orgProblem = OrganizationCode.problem(organizationCode(code));
            if (orgProblem != null) {
                return orgProblem + " (positions 9-17)";
            }
        }
        return null;
    }

    private static String alphabetReason(char c, int index) {
        String where = " (position " + (index + 1) + ")";
        if (Chars.isAsciiUpper(c)) {
            return "letter " + c + " is not in the code alphabet" + where;
        }
        if (c >= 'a' && c <= 'z') {
            return "lower-case letter " + c + " is not in the code alphabet; use upper case" + where;
        }
        return "character " + Chars.describe(c) + " is not in the code alphabet" + where;
    }
}
