package credit.exchange.routes.model;

import credit.exchange.security.Classification;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One version of a credit record as the store holds it. Natural persons appear only with a
 * masked resident ID; the clear number never leaves the store. A field the reader's disclosure
 * does not show is null (and left out of JSON); the identifying fields are always there.
 */
public record CreditRecord(
        long id,
        String category,
        Classification classification,
        SubjectKind subjectKind,
        String uscc,
        String maskedPersonId,
        String partyName,
        String sourceDepartment,
        String documentNumber,
        int version,
        LocalDate decisionDate,
        LocalDate validFrom,
        LocalDate validUntil,
        LocalDate publicationEnd,
        RecordStatus status,
        String authority,
        String authorityCode,
        String content,
        Boolean legacyIdentifier,
        Map<String, String> attributes,
        Instant ingestedAt) {
}
