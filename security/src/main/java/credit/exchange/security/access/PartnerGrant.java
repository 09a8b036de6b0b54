package credit.exchange.security.access;

import credit.exchange.security.Classification;
import java.util.Map;
import java.util.Set;

/**
 * What a partner node may read with a query, as its partner configuration grants it.
 *
 * @param classes the classes it may read at all
 * @param datasets the record categories it may read; empty means every category of its classes
 * @param sharingAgreements the class C datasets a sharing agreement (保密协议) covers, each with
 *        the agreement's reference
 */
public record PartnerGrant(Set<Classification> classes, Set<String> datasets, Map<String, String> sharingAgreements) {

    public PartnerGrant {
        classes = Set.copyOf(classes);
        datasets = Set.copyOf(datasets);
        sharingAgreements = Map.copyOf(sharingAgreements);
    }

    /** Nothing at all: a partner whose configuration lets it start no query. */
    public static PartnerGrant none() {
        return new PartnerGrant(Set.of(), Set.of(), Map.of());
    }
}
