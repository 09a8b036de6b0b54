package credit.exchange.routes.ingest;

import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.ingest.ImportLayout.Column;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.identity.ResidentIdFinder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a source row into a {@link RecordDraft} or the list of its defects. All rules a row must
 * meet live here: mandatory fields, identifier checks (with the legacy mapping as the only way
 * around a failed check), dates, amounts, and the source department that keys the record.
 *
 * <p>Resident ID numbers outside the ID columns (in free text, in another identifier's column, in
 * a name) are found by {@link ResidentIdFinder} and protected like the ID columns: the draft holds
 * them masked, one sealed copy of them all, and the content digest only their keyed hash. A column
 * that keys or identifies the record (document number, credit codes) holding one rejects the row.
 */
final class RowValidator {

    /** Result of validating one row: exactly one of draft and defects is meaningful. */
    record Outcome(RecordDraft draft, List<Defect> defects) {
        boolean valid() {
            return draft != null;
        }
    }

    private static final Set<Role> STORED_IN_COLUMNS = Set.of(Role.PARTY_NAME, Role.USCC, Role.PARTY_ID_NUMBER,
            Role.DOCUMENT_NUMBER, Role.CONTENT, Role.DECISION_DATE, Role.VALID_FROM, Role.VALID_UNTIL,
            Role.PUBLICATION_END, Role.AUTHORITY, Role.AUTHORITY_CODE, Role.SOURCE_UNIT_CODE);

    private final ImportLayout layout;
    private final String defaultDepartment;
    private final boolean ownDepartmentOnly;
    private final LegacyCodes legacyCodes;
    private final PersonalIdProtector protector;
    private final Map<Role, Column> columnOf = new EnumMap<>(Role.class);
    private final RowSubjects subjects;

    RowValidator(ImportLayout layout, String defaultDepartment, LegacyCodes legacyCodes, PersonalIdProtector protector) {
        this(layout, defaultDepartment, false, legacyCodes, protector);
    }

    /** @param ownDepartmentOnly whether a row naming another data source unit than {@code defaultDepartment} is refused */
    RowValidator(ImportLayout layout, String defaultDepartment, boolean ownDepartmentOnly, LegacyCodes legacyCodes,
                 PersonalIdProtector protector) {
        this.ownDepartmentOnly = ownDepartmentOnly;
        this.layout = layout;
        this.defaultDepartment = defaultDepartment == null ? "" : defaultDepartment.strip().toUpperCase(Locale.ROOT);
        this.legacyCodes = legacyCodes;
        this.protector = protector;
        for (Column c : layout.columns()) {
            if (c.role() != Role.ATTRIBUTE) {
                columnOf.put(c.role(), c);
            }
        }
        this.subjects = new RowSubjects(columnOf, legacyCodes, protector);
    }

    Outcome validate(SourceRow row) {
        Check check = new Check(row, layout);
        LocalDate[] dates = new LocalDate[layout.columns().size()];

        for (Column c : layout.columns()) {
            String value = row.value(c);
            if (value.isEmpty()) {
                if (c.need() == ImportLayout.Need.MANDATORY) {
                    check.defect(c, ErrorCode.E_FIELD_MISSING, c.meaning() + " missing");
                }
                continue;
            }
            if (value.indexOf('\uFFFD') >= 0) {
                check.defect(c, ErrorCode.E_MALFORMED, c.meaning() + ": holds bytes that are not valid in the file's encoding; "
                        + "name the encoding with --charset (e.g. GBK)");
                continue;
            }
            if (value.indexOf('\u0000') >= 0) {
                check.defect(c, ErrorCode.E_FIELD_INVALID, c.meaning() + ": contains a NUL character");
                continue;
            }
            int limit = maxLength(c);
            if (value.length() > limit) {
                check.defect(c, ErrorCode.E_FIELD_INVALID, c.meaning() + ": longer than " + limit + " characters");
                continue;
            }
            switch (c.kind()) {
                case DATE -> {
                    DecisionDates.Parsed parsed = DecisionDates.parse(value);
                    if (parsed.problem() != null) {
                        check.defect(c, ErrorCode.E_DATE_INVALID, c.meaning() + ": " + parsed.problem());
                    }
                    dates[c.index()] = parsed.date();
                }
                case AMOUNT -> {
                    BigDecimal amount = parseAmount(value);
                    if (amount == null) {
                        check.defect(c, ErrorCode.E_NUMBER_INVALID, c.meaning() + ": amount not a number");
                    } else if (amount.signum() < 0) {
                        check.defect(c, ErrorCode.E_NUMBER_INVALID, c.meaning() + ": amount is negative");
                    }
                }
                case USCC -> {
                    if (ResidentIdFinder.contains(value)) {
                        continue; // personalIds names the problem
                    }
                    IdentifierCheck result = Uscc.check(value.toUpperCase(Locale.ROOT));
                    if (!result.valid()) {
                        check.defect(c, ErrorCode.E_IDENTIFIER_INVALID, c.meaning() + ": " + result.reason());
                    }
                }
                case TEXT -> { }
            }
        }

        PersonalIds ids = personalIds(row, check);
        RowSubjects.Subject subject = subjects.subject(row, check);
        String department = sourceDepartment(row, check);
        byte[] representativeSealed = subjects.representativeId(row, check);
        if (!check.defects.isEmpty() || subject == null) {
            return new Outcome(null, check.defects);
        }

        Map<String, String> attributes = new LinkedHashMap<>();
        int expected = 0;
        int filled = 0;
        for (Column c : layout.columns()) {
            String value = row.value(c);
            if (c.need() != ImportLayout.Need.OPTIONAL) {
                expected++;
                if (!value.isEmpty()) {
                    filled++;
                }
            }
            if (value.isEmpty() || STORED_IN_COLUMNS.contains(c.role())) {
                continue;
            }
            attributes.put(layout.headerOf(c), c.role() == Role.REPRESENTATIVE_ID_NUMBER ? ResidentIdNumber.mask(value)
                    : ids.shown[c.index()]);
        }

        return new Outcome(new RecordDraft(
                row.number(),
                subject.key(),
                subject.kind(),
                subject.uscc(),
                subject.sealedId(),
                subject.maskedId(),
                ids.shown(Role.PARTY_NAME),
                department,
                value(row, Role.DOCUMENT_NUMBER),
                digest(row, subject, ids),
                date(dates, Role.DECISION_DATE),
                date(dates, Role.VALID_FROM),
                date(dates, Role.VALID_UNTIL),
                date(dates, Role.PUBLICATION_END),
                emptyToNull(ids.shown(Role.AUTHORITY)),
                emptyToNull(value(row, Role.AUTHORITY_CODE).toUpperCase(Locale.ROOT)),
                emptyToNull(ids.shown(Role.CONTENT)),
                representativeSealed,
                ids.sealed(),
                subject.legacy(),
                attributes,
                expected,
                filled), List.of());
    }

    /**
     * A row's resident ID numbers outside the ID columns: each column's value as shown (numbers
     * masked), as digested (numbers replaced by their keyed hash, so that the stored digest is no
     * unkeyed hash of a number), and the numbers found, by column, for one sealed copy.
     */
    private final class PersonalIds {
        final String[] shown;
        final String[] digested;
        final List<String> found = new ArrayList<>(0);

        PersonalIds(SourceRow row) {
            int n = layout.columns().size();
            shown = new String[n];
            digested = new String[n];
            for (Column c : layout.columns()) {
                shown[c.index()] = row.value(c);
                digested[c.index()] = row.value(c);
            }
        }

        String shown(Role role) {
            Column c = columnOf.get(role);
            return c == null ? "" : shown[c.index()];
        }

        byte[] sealed() {
            return found.isEmpty() ? null : protector.seal(String.join("\n", found));
        }
    }

    /** ID columns are protected on their own; every other column is searched. */
    private static final Set<Role> ID_COLUMNS = Set.of(Role.PARTY_ID_NUMBER, Role.REPRESENTATIVE_ID_NUMBER);

    private PersonalIds personalIds(SourceRow row, Check check) {
        PersonalIds ids = new PersonalIds(row);
        // a natural person's row does not use the party USCC column (departments put the ID number there too)
        boolean legalPerson = SubjectKind.fromDepartmentLabel(value(row, Role.PARTY_KIND)).orElse(null) == SubjectKind.LEGAL_PERSON;
        for (Column c : layout.columns()) {
            String value = row.value(c);
            if (value.isEmpty() || ID_COLUMNS.contains(c.role())) {
                continue;
            }
            List<ResidentIdFinder.Found> found = ResidentIdFinder.find(value);
            if (found.isEmpty()) {
                continue;
            }
            if (c.kind() == ImportLayout.Kind.USCC || c.role() == Role.USCC && legalPerson) {
                // a credit code column keys departments and legal persons: a number there is a mistake, never stored
                check.defect(c, ErrorCode.E_IDENTIFIER_INVALID, c.meaning() + ": holds a resident ID number, not a credit code");
                continue;
            }
            if (c.role() == Role.DOCUMENT_NUMBER) {
                // the document number keys the record's versions: masked, two people's numbers could collide
                check.defect(c, ErrorCode.E_FIELD_INVALID, c.meaning()
                        + ": holds a resident ID number; documents must be numbered without one");
                continue;
            }
            ids.shown[c.index()] = ResidentIdFinder.replace(value, f -> ResidentIdNumber.mask(f.number()));
            ids.digested[c.index()] = ResidentIdFinder.replace(value, f -> protector.lookupHashHex(f.number()));
            for (ResidentIdFinder.Found f : found) {
                ids.found.add(layout.headerOf(c) + "=" + f.number());
            }
        }
        return ids;
    }

    /** The department a row counts for in data quality, even when the row is rejected. */
    String departmentOf(SourceRow row) {
        String fromRow = row == null ? "" : value(row, Role.SOURCE_UNIT_CODE).toUpperCase(Locale.ROOT);
        if (Uscc.isValid(fromRow) && !ResidentIdFinder.contains(fromRow)) {
            return fromRow; // an ID number passing GB 32100 too must not become a department in the quality figures
        }
        return defaultDepartment.isEmpty() ? "UNKNOWN" : defaultDepartment;
    }

    private String sourceDepartment(SourceRow row, Check check) {
        String fromRow = value(row, Role.SOURCE_UNIT_CODE).toUpperCase(Locale.ROOT);
        if (ownDepartmentOnly && !fromRow.isEmpty() && !fromRow.equals(defaultDepartment)) {
            check.defect(columnOf.get(Role.SOURCE_UNIT_CODE), ErrorCode.E_NOT_GRANTED, "the row names data source unit " + fromRow
                    + "; this import files records of " + defaultDepartment + " only");
            return null;
        }
        if (!fromRow.isEmpty()) {
            return fromRow; // checked as a USCC above
        }
        if (!defaultDepartment.isEmpty()) {
            return defaultDepartment;
        }
        Column column = columnOf.get(Role.SOURCE_UNIT_CODE);
        check.defect(column, ErrorCode.E_FIELD_MISSING, "data source unit's USCC missing; give the import a --department");
        return null;
    }

    /** Exact duplicates have equal digests; personal IDs enter only as their keyed hash. */
    private byte[] digest(SourceRow row, RowSubjects.Subject subject, PersonalIds ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(layout.name().getBytes(StandardCharsets.UTF_8));
            for (Column c : layout.columns()) {
                String value = switch (c.role()) {
                    case PARTY_ID_NUMBER -> subject.lookupHash() == null ? row.value(c) : subject.lookupHash();
                    case REPRESENTATIVE_ID_NUMBER -> row.value(c).isEmpty() ? "" : protector.lookupHashHex(row.value(c).toUpperCase(Locale.ROOT));
                    default -> ids.digested[c.index()];
                };
                sha.update((byte) 0x1f);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Longest value a column takes: codes are short, names and document numbers are indexed, the rest is text. */
    private static int maxLength(Column c) {
        return switch (c.role()) {
            case USCC, REGISTRATION_NUMBER, ORGANIZATION_CODE, PARTY_ID_NUMBER, REPRESENTATIVE_ID_NUMBER,
                 PARTY_ID_TYPE, REPRESENTATIVE_ID_TYPE, PARTY_KIND, AUTHORITY_CODE, SOURCE_UNIT_CODE -> 64;
            case PARTY_NAME, DOCUMENT_NUMBER, AUTHORITY, SOURCE_UNIT, LEGAL_REPRESENTATIVE -> 200;
            default -> c.kind() == ImportLayout.Kind.DATE || c.kind() == ImportLayout.Kind.AMOUNT ? 64 : 4000;
        };
    }

    private String value(SourceRow row, Role role) {
        Column c = columnOf.get(role);
        return c == null ? "" : row.value(c);
    }

    private LocalDate date(LocalDate[] dates, Role role) {
        Column c = columnOf.get(role);
        return c == null ? null : dates[c.index()];
    }

    private static BigDecimal parseAmount(String text) {
        try {
            return new BigDecimal(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A reason about a resident ID column without the parts of the number it quotes (a birth date,
     * a region code): with the rest of the row they narrow the person down.
     */
    static String withoutDigitRuns(String reason) {
        return reason.replaceAll("[0-9]{4,}", "****");
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** The defects of one row, named by the layout's headers. */
    static final class Check {
        private final SourceRow row;
        private final ImportLayout layout;
        final List<Defect> defects = new ArrayList<>(2);

        Check(SourceRow row, ImportLayout layout) {
            this.row = row;
            this.layout = layout;
        }

        void defect(Column column, ErrorCode code, String reason) {
            defects.add(new Defect(row.number(), column == null ? "-" : layout.headerOf(column), code, reason));
        }
    }
}
