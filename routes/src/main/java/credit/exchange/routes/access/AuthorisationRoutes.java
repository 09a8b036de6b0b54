package credit.exchange.routes.access;

import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.ConsentEvidence;
import credit.exchange.security.access.SubjectAuthorisation;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The data subjects' authorisations over the API: {@code POST /api/v1/authorisations} registers one
 * (the subject by USCC or resident ID number, in the body only; grantee, purpose, datasets,
 * validity, and the evidence of consent — a checkable reference, {@link ConsentEvidence} — or the
 * subject's signature), {@code GET} and {@code DELETE /api/v1/authorisations/{id}} read and revoke
 * it. Who may is the decision point's: a registrar or operator registers, never for its own
 * department ({@link AccessPolicy#mayRegisterAuthorisation}); they and the grantee read and revoke
 * ({@link AccessPolicy#mayManageAuthorisation}). The answer never echoes an ID number.
 */
public final class AuthorisationRoutes extends ApiRouteBuilder {

    /** The registration's body. */
    public record Request(String subject, String grantee, String purpose, Set<String> datasets, String validFrom,
                          String validUntil, String evidence, String subjectSignature) {
    }

    private final SubjectAuthorisations authorisations;
    private final Authenticator authenticator;
    private final AccessPolicy policy;

    public AuthorisationRoutes(SubjectAuthorisations authorisations, Authenticator authenticator, AccessPolicy policy) {
        this.authorisations = authorisations;
        this.authenticator = authenticator;
        this.policy = policy;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/authorisations").description("Data subjects' authorisations for class B reads (授权查询)")
                .post().id("authorisation-register").consumes("application/json").produces("application/json")
                    .description("Registers a subject's authorisation, with the evidence of consent")
                    .responseMessage(answers(201, "the authorisation registered, with its id")).to("direct:authorisation-register")
                .get("/{id}").id("authorisation-read").produces("application/json")
                    .responseMessage(answers(200, "the authorisation: subject, grantee, purpose, datasets, validity, revocation"))
                    .to("direct:authorisation-read")
                .delete("/{id}").id("authorisation-revoke").produces("application/json")
                    .responseMessage(answers(200, "the authorisation, revoked")).to("direct:authorisation-revoke");

        from("direct:authorisation-register").routeId("authorisation-register").process(this::register);
        from("direct:authorisation-read").routeId("authorisation-read").process(e -> {
            Caller caller = authenticator.caller(e);
            SubjectAuthorisation a = existing(e.getMessage().getHeader("id", String.class));
            permitted(caller, a.grantee());
            answer(e, 200, view(a));
        });
        from("direct:authorisation-revoke").routeId("authorisation-revoke").process(e -> {
            Caller caller = authenticator.caller(e);
            SubjectAuthorisation a = existing(e.getMessage().getHeader("id", String.class));
            permitted(caller, a.grantee());
            answer(e, 200, view(authorisations.revoke(a.id(), caller.name(), caller.kind().name())));
        });
    }

    private void register(Exchange exchange) {
        Caller caller = authenticator.caller(exchange);
        Request r;
        try {
            r = Json.mapper().readValue(exchange.getMessage().getBody(String.class), Request.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the body must be JSON: {subject, grantee, purpose, datasets,"
                    + " validFrom, validUntil, evidence | subjectSignature}");
        }
        if (r == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an authorisation names its grantee");
        }
        SubjectAuthorisations.Registration registration = authorisations.resolve(new SubjectAuthorisations.Registration(
                r.subject(), r.grantee(), r.purpose(), r.datasets() == null ? Set.of() : r.datasets(), instant(r.validFrom(), "validFrom"),
                instant(r.validUntil(), "validUntil"), Optional.ofNullable(r.evidence()).filter(e -> !e.isBlank())
                        .map(e -> ConsentEvidence.parse(e).toString()), signature(r.subjectSignature()),
                caller.name()));
        if (registration.grantee() == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an authorisation names its grantee");
        }
        if (policy.mayRegisterAuthorisation(caller, registration.grantee()) instanceof AccessDecision.Deny deny) {
            throw new CodedException(deny.code(), deny.code() == ErrorCode.E_AUTHORIZATION_GRANTEE
                    ? caller.name() + " may not register an authorisation granted to its own department; a registrar of another does"
                    : "registering authorisations needs the registrar or operator role");
        }
        answer(exchange, 201, view(authorisations.register(registration, caller.kind().name())));
    }

    private void permitted(Caller caller, String grantee) {
        if (policy.mayManageAuthorisation(caller, grantee) instanceof AccessDecision.Deny deny) {
            throw new CodedException(deny.code(), caller.name() + " may not manage authorisations granted to " + grantee);
        }
    }

    private SubjectAuthorisation existing(String id) {
        return authorisations.find(id).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no authorisation " + id));
    }

    /** The authorisation as the API shows it: the subject by its store key (a hash for a person), never the number. */
    private static Map<String, Object> view(SubjectAuthorisation a) {
        return Map.of("id", a.id(), "subjectKey", a.subject(), "grantee", a.grantee(), "purpose", a.purpose(),
                "datasets", a.datasets(), "validFrom", a.validFrom().toString(), "validUntil", a.validUntil().toString(),
                "revokedAt", a.revokedAt().map(Instant::toString).orElse(""));
    }

    private static Instant instant(String value, String field) {
        try {
            return value == null ? null : Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, field + " must be an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }

    private static Optional<byte[]> signature(String base64) {
        try {
            return base64 == null || base64.isBlank() ? Optional.empty() : Optional.of(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "subjectSignature must be base64 (a CMS signature of the consent)");
        }
    }
}
