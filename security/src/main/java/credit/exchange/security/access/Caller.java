package credit.exchange.security.access;

import credit.exchange.security.Classification;
import credit.exchange.security.auth.BearerIdentity;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking.
 *
 * @param kind what kind of caller this is
 * @param name a name for the audit trail (never a personal identifier): "operator",
 *        "anonymous", a partner's node id, a realm user name or a platform's client id
 * @param grant what the caller may read: for a partner node its configuration's grant, for a
 *        person or platform what its realm roles grant; none for the others
 * @param grantee whom a data subject's authorisation must name for this caller: a partner's node
 *        id, a person's department (USCC), a platform's client id
 * @param duties what the caller's realm roles let it do beyond reading records
 */
public record Caller(Kind kind, String name, PartnerGrant grant, Optional<String> grantee, Set<Duty> duties) {

    /** Realm roles that grant reading a class. */
    public static final String READER_PUBLIC = "reader-public";
    public static final String READER_AUTHORISED = "reader-authorised";
    public static final String READER_SHARED = "reader-shared";
    /** Prefix of the realm roles that name a sharing agreement (保密协议) for a dataset: {@code agreement-<dataset>}. */
    public static final String AGREEMENT_ROLE_PREFIX = "agreement-";
    /** Realm roles of the node's own staff. */
    public static final String OPERATOR_ROLE = "operator";
    public static final String AUDITOR_ROLE = "auditor";
    /** Realm role of a department's staff who feed its records in (数据报送); the token's department claim names the department. */
    public static final String IMPORTER_ROLE = "importer";
    /** Realm role of the staff who register data subjects' authorisations on the evidence of their consent (授权登记). */
    public static final String REGISTRAR_ROLE = "registrar";

    /** What a person's realm roles let it do besides reading records; none reads any record by itself. */
    public enum Duty {
        /** Runs the node: registers and revokes subjects' authorisations for any grantee (a partner node included). */
        OPERATE,
        /** Reviews the audit trail. */
        AUDIT,
        /** Feeds its department's records in (a person with the importer role and a department). */
        IMPORT,
        /** Registers and revokes data subjects' authorisations for others, vouching for the evidence. */
        REGISTER
    }

    public enum Kind {
        /** The node's operator, acting through the CLI on the node's host. */
        OPERATOR,
        /** A client of the HTTP API that presented no credentials. */
        ANONYMOUS,
        /** A partner node, authenticated by its TLS certificate and its envelope's signature. */
        PARTNER,
        /** A person signed in at the realm (an officer of a department, a reader). */
        PERSON,
        /** A platform acting as itself with the realm's client credentials (the provincial platform). */
        PLATFORM,
        /** A metrics scraper presenting the node's scrape token: reads the node's metrics and nothing else. */
        SCRAPER
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(grantee, "grantee");
        duties = duties.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(duties));
    }

    public static Caller operator() {
        return new Caller(Kind.OPERATOR, "operator", PartnerGrant.none(), Optional.empty(), EnumSet.allOf(Duty.class));
    }

    public static Caller anonymous() {
        return new Caller(Kind.ANONYMOUS, "anonymous", PartnerGrant.none(), Optional.empty(), Set.of());
    }

    public static Caller scraper() {
        return new Caller(Kind.SCRAPER, "metrics-scraper", PartnerGrant.none(), Optional.empty(), Set.of());
    }

    public static Caller partner(String nodeId, PartnerGrant grant) {
        return new Caller(Kind.PARTNER, nodeId, grant, Optional.of(nodeId), Set.of());
    }

    /**
     * A caller from a verified bearer token: what its realm roles grant. Class C only to a
     * government department (a person with a department), for the datasets its
     * {@code agreement-<dataset>} roles name.
     */
    public static Caller of(BearerIdentity identity) {
        boolean platform = identity.clientId() != null && identity.username().equals("service-account-" + identity.clientId());
        Set<Classification> classes = EnumSet.noneOf(Classification.class);
        Map<String, String> agreements = new HashMap<>();
        if (identity.hasRole(READER_PUBLIC)) {
            classes.add(Classification.A);
        }
        if (identity.hasRole(READER_AUTHORISED)) {
            classes.add(Classification.B);
        }
        boolean department = !platform && identity.department().isPresent();
        if (identity.hasRole(READER_SHARED) && department) {
            classes.add(Classification.C);
            for (String role : identity.roles()) {
                if (role.startsWith(AGREEMENT_ROLE_PREFIX) && role.length() > AGREEMENT_ROLE_PREFIX.length()) {
                    agreements.put(role.substring(AGREEMENT_ROLE_PREFIX.length()), "realm role " + role);
                }
            }
        }
        PartnerGrant grant = new PartnerGrant(classes, new HashSet<>(), agreements);
        Set<Duty> duties = EnumSet.noneOf(Duty.class);
        if (!platform && identity.hasRole(OPERATOR_ROLE)) {
            duties.add(Duty.OPERATE);
        }
        if (!platform && identity.hasRole(AUDITOR_ROLE)) {
            duties.add(Duty.AUDIT);
        }
        if (department && identity.hasRole(IMPORTER_ROLE)) {
            duties.add(Duty.IMPORT);
        }
        if (!platform && identity.hasRole(REGISTRAR_ROLE)) {
            duties.add(Duty.REGISTER);
        }
        return platform
                ? new Caller(Kind.PLATFORM, identity.clientId(), grant, Optional.of(identity.clientId()), Set.of())
                : new Caller(Kind.PERSON, identity.username(), grant, identity.department(), duties);
    }
}
