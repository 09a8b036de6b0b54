package credit.exchange.routes.identifier;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Checks an identifier of unknown kind, as found in a free-text field: a GB 32100 credit code,
 * a GB 11643 resident ID, a GB 11714 organisation code or a 15-digit registration number. The
 * kind is guessed from the shape.
 */
public final class Identifiers {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private Identifiers() {
    }

    /**
     * Strips surrounding whitespace, upper-cases, then checks by shape. 18 characters are a credit
     * code when positions 1-17 hold a letter; when they are all digits both a credit code and an
     * ID are possible, so both are tried and the valid one wins, and when neither is valid the
     * reason comes from the kind the shape resembles. 15 digits are a registration number, 9
     * characters (10 with the hyphen) an organisation code. Never throws; null is UNKNOWN with
     * reason "empty".
     */
    public static IdentifierCheck check(String code) {
        return check(code, LocalDate.now(CHINA));
    }

    static IdentifierCheck check(String code, LocalDate today) {
        if (code == null) {
            return IdentifierCheck.invalid(null, IdentifierKind.UNKNOWN, "empty");
        }
        // Locale.ROOT: under a Turkish default locale "i" would become a dotted capital I.
        String s = code.strip().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return IdentifierCheck.invalid(s, IdentifierKind.UNKNOWN, "empty");
        }
        return switch (s.length()) {
            case 18 -> eighteen(s, today);
            case 15 -> Chars.allAsciiDigits(s)
                    ? RegistrationNumber.check(s)
                    : IdentifierCheck.invalid(s, IdentifierKind.UNKNOWN,
                            "15 characters but not all digits, so not a registration number");
            case 9 -> OrganizationCode.check(s);
            case 10 -> s.charAt(8) == '-'
                    ? OrganizationCode.check(s)
                    : IdentifierCheck.invalid(s, IdentifierKind.UNKNOWN,
                            "10 characters without a hyphen before the last, so not an organisation code");
            default -> IdentifierCheck.invalid(s, IdentifierKind.UNKNOWN, "length " + s.length()
                    + " matches no identifier (18 credit code or ID, 15 registration number, 9 organisation code)");
        };
    }

    private static IdentifierCheck eighteen(String s, LocalDate today) {
        if (hasLetter(s.substring(0, 17))) {
            return Uscc.check(s);
        }
        IdentifierCheck asId = ResidentIdNumber.check(s, today);
        if (asId.valid()) {
            return asId;
        }
        IdentifierCheck asUscc = Uscc.check(s);
        if (asUscc.valid()) {
            return asUscc;
        }
        return ResidentIdNumber.hasResidentIdShape(s, today) ? asId : asUscc;
    }

    private static boolean hasLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
