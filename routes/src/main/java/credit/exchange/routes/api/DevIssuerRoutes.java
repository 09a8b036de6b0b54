package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.auth.DevIssuer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The development issuer's endpoints on a node without a realm, shaped like a Keycloak realm's:
 * {@code GET /dev-issuer/protocol/openid-connect/certs} (its key set) and
 * {@code POST /dev-issuer/protocol/openid-connect/token} with a form of {@code username}, {@code roles}
 * (comma-separated) and optionally {@code department}. No password: development only.
 */
public final class DevIssuerRoutes extends ApiRouteBuilder {

    private final DevIssuer issuer;

    public DevIssuerRoutes(DevIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    protected void configureApi() {
        from("platform-http:" + DevIssuer.PATH + "/protocol/openid-connect/certs?httpMethodRestrict=GET").routeId("dev-issuer-keys")
                .process(e -> {
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getMessage().setBody(issuer.jwks());
                });
        from("platform-http:" + DevIssuer.PATH + "/protocol/openid-connect/token?httpMethodRestrict=POST").routeId("dev-issuer-token")
                .process(this::token);
    }

    private void token(Exchange exchange) {
        // platform-http hands a form's fields over as headers; other transports leave the body
        Map<String, String> form = form(exchange.getMessage().getBody(String.class));
        for (String field : new String[] {"username", "roles", "department"}) {
            String value = exchange.getMessage().getHeader(field, String.class);
            if (value != null) {
                form.put(field, value);
            }
        }
        String username = form.get("username");
        if (username == null || username.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "name the username (and roles, department) to sign a development token for");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String r : form.getOrDefault("roles", "").split(",")) {
            if (!r.isBlank()) {
                roles.add(r.strip());
            }
        }
        String token = issuer.token(username.strip(), roles, Optional.ofNullable(form.get("department")).filter(d -> !d.isBlank()));
        answer(exchange, 200, Map.of("access_token", token, "token_type", "Bearer", "dev_issuer", true));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        if (body == null) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
