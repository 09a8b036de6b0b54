package credit.exchange.security.access;

import java.time.Instant;
import java.util.Optional;

/**
 * What a query says about itself, beyond who asks: whose records (as the store keys the subject),
 * for what purpose, on which of the subject's authorisations it relies (class B), and when.
 */
public record AccessContext(String subject, String purpose, Optional<SubjectAuthorisation> authorisation, Instant at) {

    /** A query that relies on no authorisation. */
    public static AccessContext withoutAuthorisation(String subject, String purpose, Instant at) {
        return new AccessContext(subject, purpose, Optional.empty(), at);
    }
}
