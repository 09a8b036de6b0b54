package credit.exchange.routes.identifier;

/** Small helpers shared by the checkers; they describe characters the way a reason needs them. */
final class Chars {

    private Chars() {
    }

    /** ASCII only: {@link Character#isDigit} would also accept full-width and other scripts' digits. */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean allAsciiDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAsciiDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first character that is not an ASCII digit, or -1. */
    static int firstNonDigit(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isAsciiDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Names a character for a reason sentence. Invisible and non-ASCII characters are shown with
     * their code point, because data pasted from office documents often carries full-width
     * digits or non-breaking spaces that look right on screen.
     */
    static String describe(char c) {
        if (c > 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    static String lengthReason(int actual, String expected) {
        return "length " + actual + ", expected " + expected;
    }
}
