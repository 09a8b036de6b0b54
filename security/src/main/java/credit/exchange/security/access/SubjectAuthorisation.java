package credit.exchange.security.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A data subject's authorisation (授权) to read its class B records: who may read (a partner
 * node, a department's USCC or a platform client), for which purpose, which datasets, from when
 * until when; revocable. The subject is named as the store keys it (a USCC, or the pseudonym of a
 * resident ID number: never the number itself).
 */
public record SubjectAuthorisation(String id, String subject, String grantee, String purpose, Set<String> datasets,
                                   Instant validFrom, Instant validUntil, Optional<Instant> revokedAt) {

    public SubjectAuthorisation {
        datasets = Set.copyOf(datasets);
    }
}
