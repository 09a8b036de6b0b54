package credit.exchange.security.access;

/**
 * Who is asking. Until tokens and partner certificates arrive, the node knows two kinds of
 * caller: the operator on the node's own host (the CLI, which has database access anyway) and
 * an unauthenticated client of the HTTP API.
 *
 * @param kind what kind of caller this is
 * @param name a name for the audit trail (never a personal identifier)
 */
public record Caller(Kind kind, String name) {

    public enum Kind {
        /** The node's operator, acting through the CLI on the node's host. */
        OPERATOR,
        /** A client of the HTTP API that presented no credentials. */
        ANONYMOUS
    }

    public static Caller operator() {
        return new Caller(Kind.OPERATOR, "operator");
    }

    public static Caller anonymous() {
        return new Caller(Kind.ANONYMOUS, "anonymous");
    }
}
