package credit.exchange.security.access;

import java.util.Objects;

/**
 * Who is asking.
 *
 * @param kind what kind of caller this is
 * @param name a name for the audit trail (never a personal identifier): "operator",
 *        "anonymous", or a partner's node id
 * @param grant for a partner node, what its configuration lets it read; otherwise none
 */
public record Caller(Kind kind, String name, PartnerGrant grant) {

    public enum Kind {
        /** The node's operator, acting through the CLI on the node's host. */
        OPERATOR,
        /** A client of the HTTP API that presented no credentials. */
        ANONYMOUS,
        /** A partner node, authenticated by its TLS certificate and its envelope's signature. */
        PARTNER
    }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(grant, "grant");
    }

    public static Caller operator() {
        return new Caller(Kind.OPERATOR, "operator", PartnerGrant.none());
    }

    public static Caller anonymous() {
        return new Caller(Kind.ANONYMOUS, "anonymous", PartnerGrant.none());
    }

    public static Caller partner(String nodeId, PartnerGrant grant) {
        return new Caller(Kind.PARTNER, nodeId, grant);
    }
}
