package credit.exchange.security.access;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evidence of a data subject's consent that a registrar vouches for, as a reference someone
 * can check later: the consent document's number and the SHA-256 digest of the document as
 * filed ({@code 杭信授〔2026〕118号 sha256:9f86d081…}). Free text ("I say so") is no evidence.
 *
 * @param document the consent document's number or reference
 * @param sha256 the digest of the filed document, 64 lower-case hex digits
 */
public record ConsentEvidence(String document, String sha256) {

    private static final Pattern FORM = Pattern.compile("(\\S.{1,198}\\S)\\s+sha256:([0-9a-fA-F]{64})");

    /** The evidence in its written form, or E_FIELD_INVALID saying what the form is. */
    public static ConsentEvidence parse(String written) {
        Matcher m = written == null ? null : FORM.matcher(written.strip());
        if (m == null || !m.matches()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "evidence is the consent document's number and the SHA-256 digest"
                    + " of the filed document, e.g. \"杭信授〔2026〕118号 sha256:<64 hex digits>\"");
        }
        return new ConsentEvidence(m.group(1), m.group(2).toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return document + " sha256:" + sha256;
    }
}
