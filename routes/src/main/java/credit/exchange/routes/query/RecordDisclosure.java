package credit.exchange.routes.query;

import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Disclosure;
import credit.exchange.security.identity.PersonalNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies the decision point's field filter to a record ({@link #apply}), and reads what readers
 * of a class B or C dataset see, as the node's configuration names it
 * ({@code gateway.disclosure.<dataset>=partyName,decisionDate,content,attributes.MD_LB}): the
 * record fields and department attributes shown besides what identifies a record. Names are
 * checked when the node starts; a mistake stops it with the key and the name at fault rather than
 * showing more, or less, than meant.
 */
public final class RecordDisclosure {

    /** Shown with every allowed record: what identifies it. */
    public static final List<String> IDENTIFYING = List.of("id", "category", "classification", "subjectKind", "uscc",
            "maskedPersonId", "version", "status");
    /** Shown as a dataset's disclosure names them. */
    public static final List<String> DISCLOSABLE = List.of("partyName", "sourceDepartment", "documentNumber", "decisionDate",
            "validFrom", "validUntil", "publicationEnd", "authority", "authorityCode", "content", "legacyIdentifier", "ingestedAt");
    /** Attribute columns (by suffix) that describe a person or hold remarks: withheld where personal data is masked. */
    private static final Set<String> PERSONAL_ATTRIBUTES = Set.of("FR_ZJLX", "FR_ZJHM", "BZ");
    private static final String ATTRIBUTE_PREFIX = "attributes.";
    private static final Pattern COLUMN = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private RecordDisclosure() {
    }

    /**
     * @param byDataset the configured value by dataset (the key after {@code gateway.disclosure.})
     * @return the disclosure of each configured dataset, for the access policy
     * @throws CodedException E_CONFIG_INVALID naming the key and what is wrong with it
     */
    public static Map<String, Disclosure> parse(Map<String, String> byDataset, CategoryCatalogue catalogue) {
        Map<String, Disclosure> out = new HashMap<>();
        for (var entry : byDataset.entrySet()) {
            String key = "gateway.disclosure." + entry.getKey();
            RecordCategory category = catalogue.find(entry.getKey()).orElseThrow(() -> invalid(key, "this node keeps no dataset '"
                    + entry.getKey() + "'"));
            if (category.classification() == Classification.A) {
                throw invalid(key, "dataset " + category.code() + " is class A, which is always shown as public");
            }
            Set<String> fields = new LinkedHashSet<>();
            Set<String> attributes = new LinkedHashSet<>();
            for (String raw : entry.getValue().split(",")) {
                String name = raw.strip();
                if (name.isEmpty() || IDENTIFYING.contains(name)) {
                    continue;
                }
                if (name.startsWith(ATTRIBUTE_PREFIX)) {
                    String column = name.substring(ATTRIBUTE_PREFIX.length());
                    if (!column.equals(Disclosure.ALL) && !COLUMN.matcher(column).matches()) {
                        throw invalid(key, "'" + name + "' names no attribute column (attributes.COLUMN or attributes.*)");
                    }
                    attributes.add(column);
                } else if (DISCLOSABLE.contains(name) || name.equals(Disclosure.ALL)) {
                    fields.add(name);
                } else {
                    throw invalid(key, "'" + name + "' is no record field; fields are " + String.join(", ", DISCLOSABLE)
                            + " and attributes.COLUMN");
                }
            }
            out.put(category.code(), Disclosure.configured(fields, attributes));
        }
        return out;
    }

    /**
     * The record as the disclosure shows it: hidden fields null (left out of JSON), hidden
     * attributes removed, and where personal data is masked a natural person's name masked and
     * the attributes that describe a person withheld. The identifying fields always stay.
     */
    public static CreditRecord apply(CreditRecord r, Disclosure shown) {
        Map<String, String> attributes = null;
        if (!shown.attributes().isEmpty() && r.attributes() != null) {
            attributes = new LinkedHashMap<>(r.attributes());
            attributes.keySet().removeIf(column -> !shown.showsAttribute(column)
                    || shown.personalDataMasked() && PERSONAL_ATTRIBUTES.stream().anyMatch(column::endsWith));
        }
        String partyName = r.partyName();
        if (shown.personalDataMasked() && r.subjectKind() == SubjectKind.NATURAL_PERSON && partyName != null) {
            partyName = PersonalNames.mask(partyName); // minimum disclosure: a person's name, like the ID number, masked
        }
        return new CreditRecord(r.id(), r.category(), r.classification(), r.subjectKind(), r.uscc(), r.maskedPersonId(),
                shown(shown, "partyName", partyName), shown(shown, "sourceDepartment", r.sourceDepartment()),
                shown(shown, "documentNumber", r.documentNumber()), r.version(),
                shown(shown, "decisionDate", r.decisionDate()), shown(shown, "validFrom", r.validFrom()),
                shown(shown, "validUntil", r.validUntil()), shown(shown, "publicationEnd", r.publicationEnd()),
                r.status(), shown(shown, "authority", r.authority()), shown(shown, "authorityCode", r.authorityCode()),
                shown(shown, "content", r.content()), shown(shown, "legacyIdentifier", r.legacyIdentifier()), attributes,
                shown(shown, "ingestedAt", r.ingestedAt()));
    }

    private static <T> T shown(Disclosure disclosure, String field, T value) {
        return disclosure.shows(field) ? value : null;
    }

    private static CodedException invalid(String key, String reason) {
        return new CodedException(ErrorCode.E_CONFIG_INVALID, key + ": " + reason);
    }
}
