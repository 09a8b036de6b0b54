package credit.exchange.routes.ingest;

import credit.exchange.routes.model.SubjectKind;
import java.time.LocalDate;
import java.util.Map;

/**
 * A row that passed validation, in the shape the store keeps: personal identifiers already
 * reduced to a keyed hash, a sealed copy and a mask, in the ID columns and everywhere else.
 */
record RecordDraft(
        int rowNumber,
        String subjectKey,
        SubjectKind subjectKind,
        String uscc,
        byte[] personIdSealed,
        String personIdMasked,
        String partyName,
        String sourceDepartment,
        String documentNumber,
        byte[] contentDigest,
        LocalDate decisionDate,
        LocalDate validFrom,
        LocalDate validUntil,
        LocalDate publicationEnd,
        String authority,
        String authorityCode,
        String content,
        byte[] representativeIdSealed,
        /** Resident ID numbers found outside the ID columns, "COLUMN=number" a line, sealed; null if none. */
        byte[] personalIdsSealed,
        boolean legacyIdentifier,
        Map<String, String> attributes,
        int expectedFields,
        int expectedFieldsFilled) {
}
