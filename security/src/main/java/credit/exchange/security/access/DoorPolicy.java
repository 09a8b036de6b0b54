package credit.exchange.security.access;

import credit.exchange.security.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every door of the node and who may come in by it: deny by default. A door is an HTTP route
 * (the local API, the officer console, the development issuer, health, metrics, OpenAPI), a
 * partner port (the exchange listener, the SOAP pull service) or the CRL port, named by its route id. A route
 * that is not in {@link #DOORS} is closed ({@code E_DOOR_CLOSED}) to everyone, so a new route is
 * refused until someone decides here who may use it. The finer decision inside an admitted
 * request — which records, which grantee, which class — stays with {@link AccessPolicy}.
 *
 * <p>What is not an HTTP route has its rule in docs/SECURITY.md beside this table: the department
 * inbox folder and the node's files (the node's own account only), the embedded database (the
 * node's generated password), the CLI (the operator on the node's host).
 */
public final class DoorPolicy {

    /** Who a door admits. Every door names exactly one. */
    public enum Admits {
        /** Anyone, with no credentials: health probes, the OpenAPI contract, the console's page, the development issuer. */
        ANYONE("anyone"),
        /** Anyone; without a token the anonymous public, which reads class A with public disclosure only. */
        PUBLIC_READ("anyone"),
        /** A signed-in person or platform holding a reader role (reader-public, -authorised, -shared), or an operator. */
        READER("a reader role (reader-public, reader-authorised or reader-shared)"),
        /** A department's person with the importer role (the token's department claim names its USCC), or an operator. */
        DEPARTMENT("the importer role and a department"),
        /** A person with the registrar or operator role (data subjects' authorisations). */
        REGISTRAR("the registrar or the operator role"),
        /** A person with the operator role. */
        OPERATOR("the operator role"),
        /** A person with the auditor role (审计员). */
        AUDITOR("the auditor role"),
        /** A person with the operator or the auditor role: views both watch, such as the partners' status. */
        OPERATOR_OR_AUDITOR("the operator or the auditor role"),
        /** The node's metrics scrape token, or a person with the operator role. */
        METRICS("the node's scrape token or the operator role"),
        /** A partner node: mutual TLS with an alliance certificate at the port, then the envelope's signer checked per message. */
        PARTNER("a partner node's certificate");

        private final String needs;

        Admits(String needs) {
            this.needs = needs;
        }

        /** What a caller needs to come in, in words a refused caller can act on. */
        public String needs() {
            return needs;
        }
    }

    /**
     * One door.
     *
     * @param routeId the Camel route that serves it
     * @param method the HTTP method(s) it answers
     * @param path the path it answers (templates in braces), or the port's name for a partner port
     * @param admits who may come in
     */
    public record Door(String routeId, String method, String path, Admits admits) {
    }

    /** The table of doors, in the order docs/SECURITY.md lists them. */
    public static final List<Door> DOORS = List.of(
            // probes, contract, console shell, development issuer
            new Door("health-live", "GET", "/health/live", Admits.ANYONE),
            new Door("health-ready", "GET", "/health/ready", Admits.ANYONE),
            new Door("openapi", "GET", "/openapi.json", Admits.ANYONE),
            new Door("metrics", "GET", "/metrics", Admits.METRICS),
            new Door("console-page", "GET", "/console", Admits.ANYONE),
            new Door("dev-issuer-keys", "GET", "/dev-issuer/protocol/openid-connect/certs", Admits.ANYONE),
            new Door("dev-issuer-token", "POST", "/dev-issuer/protocol/openid-connect/token", Admits.ANYONE),
            new Door("dev-issuer-sign-in", "GET,POST", "/dev-issuer/protocol/openid-connect/auth", Admits.ANYONE),
            // records
            new Door("local-query", "GET", "/api/v1/records", Admits.PUBLIC_READ),
            new Door("local-query-by-person", "POST", "/api/v1/records/by-person", Admits.READER),
            new Door("alliance-subject-records", "GET", "/api/v1/alliance/subjects/{uscc}/records", Admits.READER),
            new Door("report-issue", "GET", "/api/v1/reports/{uscc}", Admits.READER),
            new Door("report-issue-by-person", "POST", "/api/v1/reports/by-person", Admits.READER),
            new Door("report-verification", "GET", "/api/v1/reports/{number}/verification", Admits.ANYONE),
            new Door("department-upload", "POST", "/api/v1/imports", Admits.DEPARTMENT),
            new Door("authorisation-register", "POST", "/api/v1/authorisations", Admits.REGISTRAR),
            new Door("authorisation-read", "GET", "/api/v1/authorisations/{id}", Admits.READER),
            new Door("authorisation-revoke", "DELETE", "/api/v1/authorisations/{id}", Admits.READER),
            // operations
            new Door("data-quality", "GET", "/api/v1/quality", Admits.OPERATOR),
            new Door("outbox-counts", "GET", "/api/v1/outbox", Admits.OPERATOR),
            new Door("publicity-status", "GET", "/api/v1/publicity", Admits.OPERATOR),
            new Door("received-counts", "GET", "/api/v1/received", Admits.OPERATOR),
            new Door("partners-status", "GET", "/api/v1/partners/status", Admits.OPERATOR_OR_AUDITOR),
            new Door("received-from", "GET", "/api/v1/received/{partner}", Admits.OPERATOR),
            // the alliance's joint work
            new Door("list-entry-record", "POST", "/api/v1/lists", Admits.OPERATOR),
            new Door("list-entry", "GET", "/api/v1/lists/{id}", Admits.OPERATOR),
            new Door("list-entry-lift", "POST", "/api/v1/lists/{id}/lift", Admits.OPERATOR),
            new Door("sanction-initiate", "POST", "/api/v1/sanctions", Admits.OPERATOR),
            new Door("sanction-list", "GET", "/api/v1/sanctions", Admits.OPERATOR),
            new Door("sanction-received", "GET", "/api/v1/sanctions/received", Admits.OPERATOR),
            new Door("sanction-status", "GET", "/api/v1/sanctions/{id}", Admits.OPERATOR),
            new Door("sanction-respond", "POST", "/api/v1/sanctions/received/{sender}/{id}/response", Admits.OPERATOR),
            new Door("recognition-nominate", "POST", "/api/v1/recognitions", Admits.OPERATOR),
            new Door("recognition-status", "GET", "/api/v1/recognitions/{uscc}", Admits.OPERATOR),
            new Door("record-repair", "POST", "/api/v1/records/{id}/repair", Admits.OPERATOR),
            new Door("repair-status", "GET", "/api/v1/repairs/{id}", Admits.OPERATOR),
            new Door("record-objection", "POST", "/api/v1/records/{id}/objection", Admits.OPERATOR),
            new Door("objection-resolution", "POST", "/api/v1/objections/{id}/resolution", Admits.OPERATOR),
            new Door("objection-status", "GET", "/api/v1/objections/{id}", Admits.OPERATOR),
            new Door("filing-record", "POST", "/api/v1/filings", Admits.OPERATOR),
            new Door("filing-status", "GET", "/api/v1/filings/{uscc}", Admits.OPERATOR),
            // the audit trail
            new Door("audit-session", "POST", "/api/v1/audit/sessions", Admits.AUDITOR),
            new Door("audit-events", "GET", "/api/v1/audit/events", Admits.AUDITOR),
            new Door("audit-event", "GET", "/api/v1/audit/events/{seq}", Admits.AUDITOR),
            new Door("audit-status", "GET", "/api/v1/audit/status", Admits.AUDITOR),
            new Door("audit-verification", "POST", "/api/v1/audit/verification", Admits.AUDITOR),
            new Door("audit-charts", "GET", "/api/v1/audit/charts", Admits.AUDITOR),
            new Door("audit-bundle", "GET", "/api/v1/audit/bundle", Admits.AUDITOR),
            // partner ports
            new Door("inbound-exchange", "POST", "exchange port /exchange", Admits.PARTNER),
            new Door("soap-province-pull", "POST", "SOAP port /soap/province", Admits.PARTNER),
            // the alliance CRLs the node holds, signed by the CA, on their own plain-HTTP port (docs/protocol.md §8)
            new Door("crl-distribution", "GET", "CRL port /crl/{suite}.crl", Admits.ANYONE));

    private static final Map<String, Door> BY_ROUTE = byRoute();

    private DoorPolicy() {
    }

    /** The door a route serves, if it has a rule. */
    public static Optional<Door> door(String routeId) {
        return Optional.ofNullable(routeId).map(BY_ROUTE::get);
    }

    /**
     * Whether the caller may come in by the route's door. Refusals: a route without a rule
     * {@code E_DOOR_CLOSED}; a door that needs credentials, to the anonymous public,
     * {@code E_TOKEN_MISSING} (401, sign in); a caller without the door's role {@code E_ROLE_REQUIRED}.
     * Partner doors are admitted here: their port's mutual TLS and each envelope's signer decide.
     */
    public static AccessDecision admit(String routeId, Caller caller) {
        Optional<Door> door = door(routeId);
        if (door.isEmpty()) {
            return new AccessDecision.Deny(ErrorCode.E_DOOR_CLOSED);
        }
        Admits admits = door.get().admits();
        if (admits == Admits.ANYONE || admits == Admits.PUBLIC_READ || admits == Admits.PARTNER) {
            return new AccessDecision.Allow(Disclosure.PUBLIC);
        }
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
            return new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING);
        }
        return admits(admits, caller) ? new AccessDecision.Allow(Disclosure.PUBLIC) : new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED);
    }

    private static boolean admits(Admits admits, Caller caller) {
        boolean operator = caller.duties().contains(Caller.Duty.OPERATE);
        boolean signedIn = caller.kind() == Caller.Kind.PERSON || caller.kind() == Caller.Kind.PLATFORM;
        return switch (admits) {
            case ANYONE, PUBLIC_READ, PARTNER -> true;
            case READER -> operator || signedIn && !caller.grant().classes().isEmpty();
            case DEPARTMENT -> operator || caller.duties().contains(Caller.Duty.IMPORT) && caller.grantee().isPresent();
            case REGISTRAR -> operator || caller.duties().contains(Caller.Duty.REGISTER);
            case OPERATOR -> operator;
            case AUDITOR -> caller.duties().contains(Caller.Duty.AUDIT);
            case OPERATOR_OR_AUDITOR -> operator || caller.duties().contains(Caller.Duty.AUDIT);
            case METRICS -> operator || caller.kind() == Caller.Kind.SCRAPER;
        };
    }

    private static Map<String, Door> byRoute() {
        Map<String, Door> out = new LinkedHashMap<>();
        for (Door d : DOORS) {
            if (out.put(d.routeId(), d) != null) {
                throw new IllegalStateException("two rules for route " + d.routeId());
            }
        }
        return Map.copyOf(out);
    }
}
