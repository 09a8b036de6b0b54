package credit.exchange.security.access;

import java.util.Objects;
import java.util.Set;

/**
 * How much of an allowed record a caller sees: the field filter the decision point hands out
 * with every allow. A record always shows what identifies it (its category, class, subject,
 * version and status); the other fields and the department's attributes are shown as named
 * here. Resident ID numbers are masked at every level: the gateway never returns one in the clear.
 *
 * @param name how the audit trail calls this disclosure: PUBLIC, FULL, or for a configured one
 *        the fields and attributes it shows (so that the trail says what was seen even after the
 *        configuration changes)
 * @param fields the record fields shown besides the identifying ones; {@link #ALL} for all
 * @param attributes the department attributes shown (by column name); {@link #ALL} for all
 * @param personalDataMasked whether natural persons' names are masked and the attributes that
 *        describe a person (a representative's ID type and number, remarks) withheld
 */
public record Disclosure(String name, Set<String> fields, Set<String> attributes, boolean personalDataMasked) {

    /** Stands for every field, or every attribute. */
    public static final String ALL = "*";

    /** Class A to anyone but the operator: every field, with personal data masked. */
    public static final Disclosure PUBLIC = new Disclosure("PUBLIC", Set.of(ALL), Set.of(ALL), true);

    /** The operator: every stored field (resident ID numbers still masked). */
    public static final Disclosure FULL = new Disclosure("FULL", Set.of(ALL), Set.of(ALL), false);

    public Disclosure {
        Objects.requireNonNull(name, "name");
        fields = Set.copyOf(fields);
        attributes = Set.copyOf(attributes);
    }

    /** A dataset's configured disclosure for class B or C readers: exactly these fields and attributes, nothing masked. */
    public static Disclosure configured(Set<String> fields, Set<String> attributes) {
        java.util.TreeSet<String> shown = new java.util.TreeSet<>(fields);
        attributes.forEach(a -> shown.add("attributes." + a));
        return new Disclosure("FIELDS " + String.join(",", shown), fields, attributes, false);
    }

    public boolean shows(String field) {
        return fields.contains(ALL) || fields.contains(field);
    }

    public boolean showsAttribute(String column) {
        return attributes.contains(ALL) || attributes.contains(column);
    }
}
