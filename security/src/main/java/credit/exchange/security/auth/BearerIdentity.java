package credit.exchange.security.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified bearer token speaks for: a person signed in at the realm, or a platform client
 * acting as itself (client credentials).
 *
 * @param subject the realm's stable id of the user (or of the client's service account)
 * @param username the user name, or {@code service-account-<client>} for a client
 * @param clientId the client the token was issued to ({@code azp})
 * @param roles the realm roles granted
 * @param department the department (USCC) the user belongs to, if any
 */
public record BearerIdentity(String subject, String username, String clientId, Set<String> roles, Optional<String> department,
                             Instant expiresAt) {

    public BearerIdentity {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
