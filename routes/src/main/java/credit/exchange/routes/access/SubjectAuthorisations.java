package credit.exchange.routes.access;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.SignedConsents;
import credit.exchange.security.access.SubjectAuthorisation;
import credit.exchange.security.identity.PersonalIdProtector;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The data subjects' authorisations (table subject_authorisation) that class B queries rely on:
 * registered with the evidence of the subject's consent — a reference to it, or the consent signed
 * with the subject's own certificate, verified ({@link SignedConsents}) —, found by id when a query names one,
 * revoked when the subject withdraws it. A subject is named by its USCC or its resident ID
 * number; the number is turned into the store's subject key (a keyed hash) at once and never
 * kept, logged or echoed.
 */
public final class SubjectAuthorisations {

    /** What an authorisation is registered with. */
    public record Registration(String subjectIdentifier, String grantee, String purpose, Set<String> datasets,
                               Instant validFrom, Instant validUntil, Optional<String> evidence, Optional<byte[]> subjectSignature,
                               String registeredBy) {
    }

    /**
     * The consent statement a subject signs: a JSON object, the content of its CMS signature
     * ({@code {"subject", "grantee", "purpose", "datasets": [...], "validFrom", "validUntil"}}).
     */
    public record ConsentStatement(String subject, String grantee, String purpose, Set<String> datasets, String validFrom,
                                   String validUntil) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final PersonalIdProtector protector;
    private final SignedConsents consents;

    /** @param consents checks consents signed with the subject's certificate (the subject CAs this node trusts) */
    public SubjectAuthorisations(Database database, PersonalIdProtector protector, SignedConsents consents) {
        this.database = database;
        this.protector = protector;
        this.consents = consents;
    }

    /**
     * The registration as the subject's signed consent states it, when it carries one: the
     * signature is verified, the signer's certificate must name the subject, and what the
     * statement says fills the registration — a field also given must say the same. Without a
     * signed consent the registration is returned as it is.
     */
    public Registration resolve(Registration r) {
        if (r.subjectSignature().isEmpty()) {
            return r;
        }
        SignedConsents.VerifiedConsent consent = consents.verify(r.subjectSignature().get());
        ConsentStatement statement;
        try {
            statement = JSON.readValue(consent.statement(), ConsentStatement.class);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signed consent's statement must be JSON: {subject, grantee, purpose,"
                    + " datasets, validFrom, validUntil}");
        }
        if (statement == null || statement.subject() == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "the signed consent names no subject");
        }
        if (!consent.signedBy(statement.subject())) {
            throw new CodedException(ErrorCode.E_AUTHORIZATION_SUBJECT,
                    "the consent is signed with a certificate that does not name the subject it speaks for");
        }
        return new Registration(
                agreed("subject", r.subjectIdentifier(), statement.subject(), SubjectAuthorisations::canonical),
                agreed("grantee", r.grantee(), statement.grantee(), String::strip),
                agreed("purpose", r.purpose(), statement.purpose(), String::strip),
                agreed("datasets", r.datasets() == null || r.datasets().isEmpty() ? null : r.datasets(),
                        statement.datasets() == null ? null : Set.copyOf(statement.datasets()), d -> d),
                agreed("validFrom", r.validFrom(), consentInstant(statement.validFrom(), "validFrom"), i -> i),
                agreed("validUntil", r.validUntil(), consentInstant(statement.validUntil(), "validUntil"), i -> i),
                r.evidence(), r.subjectSignature(), r.registeredBy());
    }

    /** What the signed consent says, unless the request also says something else (E_FIELD_INVALID; the value is not echoed). */
    private static <T> T agreed(String field, T given, T signed, java.util.function.UnaryOperator<T> canonical) {
        if (given != null && (signed == null || !canonical.apply(given).equals(canonical.apply(signed)))) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, field + " differs from what the subject signed");
        }
        return signed;
    }

    private static String canonical(String identifier) {
        return identifier.strip().toUpperCase(Locale.ROOT);
    }

    private static Instant consentInstant(String value, String field) {
        try {
            return value == null ? null : Instant.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "the signed consent's " + field + " must be an ISO-8601 instant");
        }
    }

    /** The store's key of a subject named by its USCC or resident ID number, or E_IDENTIFIER_INVALID. */
    public String subjectKey(String identifier) {
        String id = identifier == null ? "" : identifier.strip().toUpperCase(Locale.ROOT);
        if (Uscc.check(id).valid()) {
            return "U:" + id;
        }
        IdentifierCheck person = ResidentIdNumber.check(id);
        if (person.valid()) {
            return "P:" + protector.lookupHashHex(id);
        }
        throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "the subject is neither a valid USCC nor a valid resident ID number");
    }

    /** Registers an authorisation as the operator; see {@link #register(Registration, String)}. */
    public SubjectAuthorisation register(Registration given) {
        return register(given, "OPERATOR");
    }

    /**
     * Registers an authorisation; one that carries the subject's signed consent is {@link #resolve
     * resolved} from it first. The registration is an audit event of the caller (of this kind),
     * committed with it.
     */
    public SubjectAuthorisation register(Registration given, String actorKind) {
        Registration r = resolve(given);
        if (r.grantee() == null || r.grantee().isBlank() || r.purpose() == null || r.purpose().isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an authorisation names its grantee and its purpose");
        }
        if (r.datasets() == null || r.datasets().isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an authorisation names the datasets it covers");
        }
        if (r.validFrom() == null || r.validUntil() == null || !r.validUntil().isAfter(r.validFrom())) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "an authorisation is valid from one time until a later one");
        }
        if (r.evidence().filter(e -> !e.isBlank()).isEmpty() && r.subjectSignature().isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an authorisation carries the evidence of the subject's consent:"
                    + " a reference to it, or the consent signed with the subject's certificate");
        }
        SubjectAuthorisation a = new SubjectAuthorisation(UUID.randomUUID().toString(), subjectKey(r.subjectIdentifier()),
                r.grantee().strip(), r.purpose().strip(), r.datasets(), r.validFrom(), r.validUntil(), Optional.empty());
        // the authorisation and its audit event in one transaction: one commits only with the other
        try {
            return database.inTransaction(c -> {
                insert(c, a, r);
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), r.registeredBy(), AuditEvent.Action.AUTHORISATION)
                        .subject(a.subject()).purpose(a.purpose()).authorisation(a.id()).outcome(AuditEvent.Outcome.REGISTERED)
                        .detail("granted to " + a.grantee() + " for " + String.join(",", a.datasets()) + " from " + a.validFrom()
                                + " until " + a.validUntil() + (r.subjectSignature().isPresent() ? ", consent signed by the subject"
                                : ", consent evidenced by reference")).build());
                return a;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the authorisation cannot be stored; retry later", e);
        }
    }

    private static void insert(Connection c, SubjectAuthorisation a, Registration r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into subject_authorisation (id, subject_key, grantee, purpose, datasets, valid_from, valid_until,
                                                   evidence, subject_signature, registered_by)
                values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, a.id());
            ps.setString(2, a.subject());
            ps.setString(3, a.grantee());
            ps.setString(4, a.purpose());
            ps.setArray(5, c.createArrayOf("text", a.datasets().toArray()));
            ps.setTimestamp(6, Timestamp.from(a.validFrom()));
            ps.setTimestamp(7, Timestamp.from(a.validUntil()));
            ps.setString(8, r.evidence().orElse(null));
            ps.setBytes(9, r.subjectSignature().orElse(null));
            ps.setString(10, r.registeredBy());
            ps.executeUpdate();
        }
    }

    /** The authorisation with this id, as it stands now (revoked or not); empty if there is none. */
    public Optional<SubjectAuthorisation> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, subject_key, grantee, purpose, datasets, valid_from, valid_until, revoked_at
                from subject_authorisation where id = ?""")) {
            ps.setObject(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the authorisations cannot be read; retry later", e);
        }
    }

    /** The authorisation a query names, if it names one registered here; empty for none, blank or unknown. */
    public Optional<SubjectAuthorisation> named(String id) {
        return id == null || id.isBlank() ? Optional.empty() : find(id.strip());
    }

    /** Revokes an authorisation from now on, as the operator; revoking again changes nothing. E_NOT_FOUND if there is none. */
    public SubjectAuthorisation revoke(String id, String by) {
        return revoke(id, by, "OPERATOR");
    }

    /** As {@link #revoke(String, String)}, by a caller of this kind (the audit event's actor kind). */
    public SubjectAuthorisation revoke(String id, String by, String actorKind) {
        SubjectAuthorisation a = find(id).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no authorisation " + id));
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        update subject_authorisation set revoked_at = now(), revoked_by = ? where id = ?::uuid and revoked_at is null""")) {
                    ps.setString(1, by);
                    ps.setString(2, a.id());
                    if (ps.executeUpdate() == 1) {
                        AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), by, AuditEvent.Action.AUTHORISATION)
                                .subject(a.subject()).purpose(a.purpose()).authorisation(a.id()).outcome(AuditEvent.Outcome.REVOKED).build());
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the authorisation cannot be revoked; retry later", e);
        }
        return find(id).orElseThrow();
    }

    /** A subject's authorisations, newest first. */
    public List<SubjectAuthorisation> ofSubject(String subjectIdentifier) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, subject_key, grantee, purpose, datasets, valid_from, valid_until, revoked_at
                from subject_authorisation where subject_key = ? order by registered_at desc""")) {
            ps.setString(1, subjectKey(subjectIdentifier));
            List<SubjectAuthorisation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the authorisations cannot be read; retry later", e);
        }
    }

    private static SubjectAuthorisation read(ResultSet rs) throws SQLException {
        Array datasets = rs.getArray(5);
        Timestamp revoked = rs.getTimestamp(8);
        return new SubjectAuthorisation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Set.of((String[]) datasets.getArray()), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                Optional.ofNullable(revoked).map(Timestamp::toInstant));
    }
}
