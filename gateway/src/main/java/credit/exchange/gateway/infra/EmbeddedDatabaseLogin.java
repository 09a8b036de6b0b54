package credit.exchange.gateway.infra;

/**
 * How to sign in to a node's embedded database. The password travels apart from the JDBC URL, so
 * a URL printed in a log or a message never carries it, and {@link #toString()} leaves it out.
 */
public record EmbeddedDatabaseLogin(String jdbcUrl, String user, String password) {

    @Override
    public String toString() {
        return user + " at " + jdbcUrl;
    }
}
