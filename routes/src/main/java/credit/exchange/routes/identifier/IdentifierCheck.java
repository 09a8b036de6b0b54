package credit.exchange.routes.identifier;

/**
 * Outcome of checking one identifier.
 *
 * @param input  the text as checked, after whatever normalisation the checking method documents
 *               (for example an upper-cased trailing {@code x} in a resident ID); may be null when
 *               null was checked
 * @param kind   the kind the text was checked as
 * @param valid  whether every rule of that kind's standard holds
 * @param reason null when valid; otherwise a short English sentence a person can act on, such as
 *               "check character wrong: expected 7, found 0"
 */
public record IdentifierCheck(String input, IdentifierKind kind, boolean valid, String reason) {

    public IdentifierCheck {
        if (valid && reason != null) {
            throw new IllegalArgumentException("a valid check carries no reason");
        }
        if (!valid && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("an invalid check needs a reason");
        }
    }

    static IdentifierCheck ok(String input, IdentifierKind kind) {
        return new IdentifierCheck(input, kind, true, null);
    }

    static IdentifierCheck invalid(String input, IdentifierKind kind, String reason) {
        return new IdentifierCheck(input, kind, false, reason);
    }
}
