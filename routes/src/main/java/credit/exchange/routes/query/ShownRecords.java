package credit.exchange.routes.query;

import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Classification;
import credit.exchange.security.access.Disclosure;
import credit.exchange.security.identity.ResidentIdFinder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record as a caller is shown it: every resident ID number in its text masked, then the caller's disclosure for its
 * dataset applied. Imports mask the numbers before storing; the masking here covers records stored by earlier versions,
 * which kept them in the clear outside the ID columns, and the records other nodes handed this one.
 */
final class ShownRecords {

    private final CategoryCatalogue catalogue;

    ShownRecords(CategoryCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** One of this node's records, as stored. */
    CreditRecord own(CreditRecord r, Map<String, Disclosure> readable) {
        return shown(r, r.classification(), readable);
    }

    /** A record another node handed this one, under this node's class for its dataset. */
    ReceivedRecord received(ReceivedRecord r, Map<String, Disclosure> readable) {
        CreditRecord x = r.record();
        Classification here = catalogue.find(x.category()).map(RecordCategory::classification).orElse(Classification.C);
        return new ReceivedRecord(shown(x, here, readable), r.source());
    }

    private static CreditRecord shown(CreditRecord r, Classification classification, Map<String, Disclosure> readable) {
        Map<String, String> attributes = r.attributes() == null ? null : new LinkedHashMap<>(r.attributes());
        if (attributes != null) {
            attributes.replaceAll((column, value) -> maskedIds(value));
        }
        CreditRecord masked = new CreditRecord(r.id(), r.category(), classification, r.subjectKind(), r.uscc(), r.maskedPersonId(),
                maskedIds(r.partyName()), r.sourceDepartment(), maskedIds(r.documentNumber()), r.version(), r.decisionDate(),
                r.validFrom(), r.validUntil(), r.publicationEnd(), r.status(), maskedIds(r.authority()), r.authorityCode(),
                maskedIds(r.content()), r.legacyIdentifier(), attributes, r.ingestedAt());
        return RecordDisclosure.apply(masked, readable.get(r.category()));
    }

    /** Text as served: any resident ID number in it masked. */
    private static String maskedIds(String text) {
        return text == null ? null : ResidentIdFinder.replace(text, f -> ResidentIdNumber.mask(f.number()));
    }
}
