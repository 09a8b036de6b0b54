package credit.exchange.routes.identifier;

/**
 * 组织机构代码, the organisation code of GB 11714-1997: eight body characters (digits or upper-case
 * letters) and one check character, usually written with a hyphen before the check character
 * ("71610585-2"). Since 2015 the same nine characters sit at positions 9-17 of an organisation's
 * unified social credit code ({@link Uscc}).
 */
public final class OrganizationCode {

    private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};
    private static final int BODY_LENGTH = WEIGHTS.length;

    private OrganizationCode() {
    }

    /**
     * Checks a code written with or without the hyphen ("71610585-2" or "716105852"). The input is
     * not trimmed or upper-cased; {@link Identifiers#check} does that for free text.
     */
    public static IdentifierCheck check(String code) {
        if (code == null || code.isEmpty()) {
            return IdentifierCheck.invalid(code, IdentifierKind.ORGANIZATION_CODE, "empty");
        }
        String compact;
        if (code.length() == BODY_LENGTH + 2 && code.charAt(BODY_LENGTH) == '-') {
            compact = code.substring(0, BODY_LENGTH) + code.charAt(BODY_LENGTH + 1);
        } else if (code.length() == BODY_LENGTH + 1) {
            compact = code;
        } else {
            return IdentifierCheck.invalid(code, IdentifierKind.ORGANIZATION_CODE,
                    Chars.lengthReason(code.length(), "9, or 10 with a hyphen before the check character"));
        }
        String problem = problem(compact);
        return problem == null
                ? IdentifierCheck.ok(code, IdentifierKind.ORGANIZATION_CODE)
                : IdentifierCheck.invalid(code, IdentifierKind.ORGANIZATION_CODE, problem);
    }

    /**
     * Computes the check character for eight body characters.
     *
     * @throws IllegalArgumentException if the body is not eight digits or upper-case letters
     */
    public static char checkCharacter(String body8) {
        if (body8 == null || body8.length() != BODY_LENGTH) {
            throw new IllegalArgumentException("organisation code body must be 8 characters");
        }
        int sum = 0;
        for (int i = 0; i < BODY_LENGTH; i++) {
            int value = value(body8.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException(
                        "character " + Chars.describe(body8.charAt(i)) + " is not allowed in an organisation code");
            }
            sum += value * WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return switch (check) {
            case 10 -> 'X';
            case 11 -> '0';
            default -> (char) ('0' + check);
        };
    }

    /**
     * Reason the nine compact characters fail GB 11714, or null when they pass. Shared with
     * {@link Uscc}, whose positions 9-17 carry the code without a hyphen.
     */
    static String problem(String compact9) {
        for (int i = 0; i < BODY_LENGTH; i++) {
            char c = compact9.charAt(i);
            if (value(c) < 0) {
                return (c >= 'a' && c <= 'z' ? "lower-case letter " + c + " is not allowed"
                        : "character " + Chars.describe(c) + " is not allowed")
                        + " in the organisation code (position " + (i + 1) + ")";
            }
        }
        char expected = checkCharacter(compact9.substring(0, BODY_LENGTH));
        char found = compact9.charAt(BODY_LENGTH);
        if (expected != found) {
            return "organisation code check character wrong: expected " + expected + ", found " + found;
        }
        return null;
    }

    private static int value(char c) {
        if (Chars.isAsciiDigit(c)) {
            return c - '0';
        }
        if (Chars.isAsciiUpper(c)) {
            return c - 'A' + 10;
        }
        return -1;
    }
}
