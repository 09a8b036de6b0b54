package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.auth.BearerTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Who calls the local API: the caller a verified bearer token of the realm speaks for
 * ({@link Caller#of}); the metrics scraper, for the node's scrape token; without an Authorization
 * header, the anonymous public, which reads class A with public disclosure (社会公开) and nothing
 * else. A header that is there but does not prove itself is refused with its 401 reason code,
 * never downgraded to anonymous. The caller is worked out once per request ({@link Doorkeeper})
 * and kept with the exchange.
 */
public final class Authenticator {

    public static final String AUTHORIZATION = "Authorization";
    private static final String CALLER = "gateway.caller";
    private final BearerTokens tokens;
    private final Optional<byte[]> scrapeToken;

    /**
     * @param tokens the verifier of the realm's tokens (Keycloak's, or the node's development issuer's)
     * @param scrapeToken the node's metrics scrape token, if it has one
     */
    public Authenticator(BearerTokens tokens, Optional<String> scrapeToken) {
        this.tokens = tokens;
        this.scrapeToken = scrapeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public Caller caller(Exchange exchange) {
        Caller known = exchange.getProperty(CALLER, Caller.class);
        if (known != null) {
            return known;
        }
        Caller caller = fromHeader(exchange.getMessage().getHeader(AUTHORIZATION, String.class));
        exchange.getMessage().removeHeader(AUTHORIZATION); // never echoed, logged or passed on
        exchange.setProperty(CALLER, caller);
        return caller;
    }

    private Caller fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return Caller.anonymous();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "the Authorization header carries no bearer token");
        }
        String token = header.substring(7).strip();
        if (scrapeToken.isPresent() && MessageDigest.isEqual(scrapeToken.get(), token.getBytes(StandardCharsets.UTF_8))) {
            return Caller.scraper();
        }
        return Caller.of(tokens.verify(token));
    }
}
