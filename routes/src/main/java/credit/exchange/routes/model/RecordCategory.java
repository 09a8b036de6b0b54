package credit.exchange.routes.model;

import credit.exchange.security.Classification;

/**
 * One entry of the category catalogue (table record_category): what a record is, the class
 * its records get by default, whether it falls under the 7-day double-publicity rule, and the
 * import layout its files use.
 */
public record RecordCategory(
        String code,
        String nameZh,
        String nameEn,
        Classification classification,
        boolean doublePublicity,
        String layout) {
}
