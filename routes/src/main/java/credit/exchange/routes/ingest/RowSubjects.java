package credit.exchange.routes.ingest;

import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.ingest.ImportLayout.Column;
import credit.exchange.routes.ingest.RowValidator.Check;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.identity.ResidentIdFinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who a row is about: a legal person by its USCC (or a legacy code the identifier mapping turns
 * into one), a natural person by resident ID number, kept sealed, masked and as its keyed lookup
 * hash; and the legal representative's ID, sealed. Part of {@link RowValidator}'s rules.
 */
final class RowSubjects {

    private static final Set<String> RESIDENT_ID_TYPES = Set.of("", "身份证", "居民身份证", "SFZ", "111");

    private final Map<Role, Column> columnOf;
    private final LegacyCodes legacyCodes;
    private final PersonalIdProtector protector;

    RowSubjects(Map<Role, Column> columnOf, LegacyCodes legacyCodes, PersonalIdProtector protector) {
        this.columnOf = columnOf;
        this.legacyCodes = legacyCodes;
        this.protector = protector;
    }

    record Subject(SubjectKind kind, String key, String uscc, byte[] sealedId, String maskedId, String lookupHash,
                           boolean legacy) {
    }

    Subject subject(SourceRow row, Check check) {
        String kindLabel = value(row, Role.PARTY_KIND);
        if (kindLabel.isEmpty()) {
            return null; // reported as missing above
        }
        SubjectKind kind = SubjectKind.fromDepartmentLabel(kindLabel).orElse(null);
        if (kind == null) {
            check.defect(columnOf.get(Role.PARTY_KIND), ErrorCode.E_FIELD_INVALID,
                    "party kind is not one of 法人及非法人组织, 自然人, 个体工商户");
            return null;
        }
        return kind == SubjectKind.LEGAL_PERSON ? legalPerson(row, check) : naturalPerson(row, check);
    }

    private Subject legalPerson(SourceRow row, Check check) {
        String uscc = value(row, Role.USCC).toUpperCase(Locale.ROOT);
        if (!uscc.isEmpty() && ResidentIdFinder.contains(uscc)) {
            return null; // rejected in personalIds: never a subject keyed by a resident ID number in the clear
        }
        if (!uscc.isEmpty()) {
            IdentifierCheck result = Uscc.check(uscc);
            if (result.valid()) {
                return new Subject(SubjectKind.LEGAL_PERSON, "U:" + uscc, uscc, null, null, null, false);
            }
            var mapping = legacyCodes.find(uscc);
            if (mapping.isPresent()) {
                String mapped = mapping.get().uscc();
                return new Subject(SubjectKind.LEGAL_PERSON, "U:" + mapped, mapped, null, null, null, true);
            }
            check.defect(columnOf.get(Role.USCC), ErrorCode.E_IDENTIFIER_INVALID, "USCC " + result.reason());
            return null;
        }
        for (Role legacyRole : List.of(Role.REGISTRATION_NUMBER, Role.ORGANIZATION_CODE)) {
            String legacy = value(row, legacyRole).toUpperCase(Locale.ROOT).replace("-", "");
            if (!legacy.isEmpty()) {
                var mapping = legacyCodes.find(legacy);
                if (mapping.isPresent()) {
                    String mapped = mapping.get().uscc();
                    return new Subject(SubjectKind.LEGAL_PERSON, "U:" + mapped, mapped, null, null, null,
                            mapping.get().legacyCheckFailed());
                }
            }
        }
        check.defect(columnOf.get(Role.USCC), ErrorCode.E_FIELD_MISSING,
                "USCC missing, and no registration number or organisation code of the row is in the identifier mapping");
        return null;
    }

    private Subject naturalPerson(SourceRow row, Check check) {
        String idType = value(row, Role.PARTY_ID_TYPE);
        if (!RESIDENT_ID_TYPES.contains(idType)) {
            check.defect(columnOf.get(Role.PARTY_ID_TYPE), ErrorCode.E_FIELD_INVALID,
                    "ID type is not supported: natural persons are identified by resident ID number (身份证)");
            return null;
        }
        String id = value(row, Role.PARTY_ID_NUMBER).toUpperCase(Locale.ROOT);
        if (id.isEmpty()) {
            check.defect(columnOf.get(Role.PARTY_ID_NUMBER), ErrorCode.E_FIELD_MISSING, "resident ID number missing for a natural person");
            return null;
        }
        IdentifierCheck result = ResidentIdNumber.check(id);
        if (!result.valid()) {
            check.defect(columnOf.get(Role.PARTY_ID_NUMBER), ErrorCode.E_IDENTIFIER_INVALID, "resident " + RowValidator.withoutDigitRuns(result.reason()));
            return null;
        }
        String hash = protector.lookupHashHex(id);
        return new Subject(SubjectKind.NATURAL_PERSON, "P:" + hash, null, protector.seal(id), ResidentIdNumber.mask(id), hash, false);
    }

    byte[] representativeId(SourceRow row, Check check) {
        String id = value(row, Role.REPRESENTATIVE_ID_NUMBER).toUpperCase(Locale.ROOT);
        if (id.isEmpty() || !RESIDENT_ID_TYPES.contains(value(row, Role.REPRESENTATIVE_ID_TYPE))) {
            return null;
        }
        IdentifierCheck result = ResidentIdNumber.check(id);
        if (!result.valid()) {
            check.defect(columnOf.get(Role.REPRESENTATIVE_ID_NUMBER), ErrorCode.E_IDENTIFIER_INVALID,
                    "representative's resident " + RowValidator.withoutDigitRuns(result.reason()));
            return null;
        }
        return protector.seal(id);
    }

    private String value(SourceRow row, Role role) {
        Column c = columnOf.get(role);
        return c == null ? "" : row.value(c);
    }
}
