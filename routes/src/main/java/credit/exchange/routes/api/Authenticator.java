package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.auth.BearerTokens;
import org.apache.camel.Exchange;

/**
 * Who calls the local API: the caller a verified bearer token of the realm speaks for
 * ({@link Caller#of}); without an Authorization header, the anonymous public, which reads class A
 * with public disclosure (社会公开) and nothing else. A header that is there but does not prove
 * itself is refused with its 401 reason code, never downgraded to anonymous.
 */
public final class Authenticator {

    public static final String AUTHORIZATION = "Authorization";
    private final BearerTokens tokens;

    /** @param tokens the verifier of the realm's tokens (Keycloak's, or the node's development issuer's) */
    public Authenticator(BearerTokens tokens) {
        this.tokens = tokens;
    }

    public Caller caller(Exchange exchange) {
        String header = exchange.getMessage().getHeader(AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AUTHORIZATION); // never echoed, logged or passed on
        if (header == null || header.isBlank()) {
            return Caller.anonymous();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "the Authorization header carries no bearer token");
        }
        return Caller.of(tokens.verify(header.substring(7)));
    }
}
