package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.auth.DevIssuer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
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
 *
 * <p>For the officer console's browser sign-in, the same code flow with PKCE as a Keycloak realm:
 * {@code GET …/auth} shows a form (user name, roles, department), {@code POST …/auth} redirects
 * back to the console with a code, and the token endpoint redeems it ({@code grant_type=
 * authorization_code} with the code verifier). Only this node's own console may be redirected to.
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
        from("platform-http:" + DevIssuer.PATH + "/protocol/openid-connect/auth?httpMethodRestrict=GET,POST").routeId("dev-issuer-sign-in")
                .process(this::signIn);
    }

    /**
     * GET: the sign-in form; POST: its answer, redirected to the console with an authorisation
     * code. A browser is on this page, so a refusal is a page too (its code, what it means, what
     * to do), not JSON.
     */
    private void signIn(Exchange exchange) {
        try {
            signInOrRefuse(exchange);
        } catch (CodedException refused) {
            exchange.getMessage().removeHeader("Location");
            exchange.getMessage().setHeader("Cache-Control", "no-store");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, refused.code().httpStatus());
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            exchange.getMessage().setBody(refusalPage(refused));
        }
    }

    private void signInOrRefuse(Exchange exchange) {
        Map<String, String> form = fields(exchange, SIGN_IN_FIELDS);
        String redirect = form.getOrDefault("redirect_uri", "");
        URI target;
        try {
            target = URI.create(redirect);
        } catch (IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "redirect_uri is not a URI");
        }
        // the authority the browser reached this node by (the request's URL, as its Host header gave it)
        String host = URI.create(exchange.getMessage().getHeader(Exchange.HTTP_URL, "http://-/", String.class)).getAuthority();
        if (target.getAuthority() == null || !target.getAuthority().equals(host) || target.getPath() == null
                || !target.getPath().startsWith("/console/")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the development issuer signs in to this node's console only");
        }
        if (!"code".equals(form.get("response_type")) || !"S256".equals(form.get("code_challenge_method"))
                || form.getOrDefault("code_challenge", "").isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the sign-in takes response_type=code with a PKCE S256 code_challenge");
        }
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        if ("GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            exchange.getMessage().setBody(signInPage(form));
            return;
        }
        String username = form.getOrDefault("username", "").strip();
        if (username.isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "name the user to sign in as");
        }
        String code = issuer.authorisationCode(username, roles(form.get("roles")),
                Optional.ofNullable(form.get("department")).map(String::strip).filter(d -> !d.isEmpty()), redirect,
                form.get("code_challenge"));
        String state = form.get("state");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        exchange.getMessage().setHeader("Location", redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + (state == null ? "" : "&state=" + enc(state)));
        exchange.getMessage().setBody("");
    }

    private static final String[] SIGN_IN_FIELDS = {"response_type", "client_id", "redirect_uri", "state", "code_challenge",
        "code_challenge_method", "username", "roles", "department"};
    /** What the form carries over from the console's request, hidden. */
    private static final String[] CARRIED = {"response_type", "client_id", "redirect_uri", "state", "code_challenge",
        "code_challenge_method"};

    /**
     * The form posts its fields only, to the endpoint's path without the query string that brought
     * the browser here (else every parameter would arrive twice, once in the URL and once in the body).
     */
    private static String signInPage(Map<String, String> form) {
        StringBuilder hidden = new StringBuilder();
        for (String f : CARRIED) {
            hidden.append("<input type=\"hidden\" name=\"").append(f).append("\" value=\"").append(html(form.getOrDefault(f, "")))
                    .append("\">");
        }
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development issuer — sign in</title></head>
                <body><h1>Development issuer</h1>
                <p><strong>Development only:</strong> this node has no realm; it signs whoever asks in with the roles they name.</p>
                <form method="post" action="%s">%s
                <label>User <input id="username" name="username" value="officer" required></label>
                <label>Roles <input id="roles" name="roles" value="auditor"></label>
                <label>Department <input id="department" name="department"></label>
                <button id="sign-in" type="submit">Sign in</button></form></body></html>
                """.formatted(DevIssuer.PATH + "/protocol/openid-connect/auth", hidden);
    }

    /** A refused sign-in as a browser shows it: the code, its meaning, what happened, and the way back. */
    private static String refusalPage(CodedException refused) {
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused — %1$s</title></head>
                <body><h1>Sign-in refused</h1>
                <p id="error-code"><code>%1$s</code>: %2$s</p>
                <p id="error-message">%3$s</p>
                <p>Development issuer of this node. <a href="/console/">Back to the console</a> and sign in again.</p>
                </body></html>
                """.formatted(refused.code().name(), html(refused.code().meaning()), html(refused.getMessage()));
    }

    private static String html(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void token(Exchange exchange) {
        Map<String, String> form = fields(exchange, "grant_type", "code", "redirect_uri", "code_verifier", "username", "roles",
                "department");
        if ("authorization_code".equals(form.get("grant_type"))) {
            String token = issuer.redeem(form.get("code"), form.get("redirect_uri"), form.get("code_verifier"));
            answer(exchange, 200, Map.of("access_token", token, "token_type", "Bearer", "dev_issuer", true));
            return;
        }
        String username = form.get("username");
        if (username == null || username.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "name the username (and roles, department) to sign a development token for");
        }
        String token = issuer.token(username.strip(), roles(form.get("roles")),
                Optional.ofNullable(form.get("department")).filter(d -> !d.isBlank()));
        answer(exchange, 200, Map.of("access_token", token, "token_type", "Bearer", "dev_issuer", true));
    }

    private static Set<String> roles(String list) {
        Set<String> roles = new LinkedHashSet<>();
        for (String r : (list == null ? "" : list).split(",")) {
            if (!r.isBlank()) {
                roles.add(r.strip());
            }
        }
        return roles;
    }

    /**
     * A form's or query's fields, one value each: platform-http hands them over as headers (a list
     * when a name comes more than once, e.g. in the URL and in the body); other transports leave the
     * body. A name given twice with the same value is taken once; with different values it is
     * refused, as nothing says which one was meant.
     */
    private static Map<String, String> fields(Exchange exchange, String... names) {
        Map<String, String> form = form(exchange.getMessage().getBody(String.class));
        for (String field : names) {
            Object value = exchange.getMessage().getHeader(field);
            if (value == null) {
                continue;
            }
            Set<String> values = new LinkedHashSet<>();
            if (value instanceof Iterable<?> several) {
                several.forEach(v -> values.add(String.valueOf(v)));
            } else if (value instanceof Object[] several) {
                for (Object v : several) {
                    values.add(String.valueOf(v));
                }
            } else {
                values.add(String.valueOf(value));
            }
            if (values.size() > 1) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "'" + field + "' is given more than once with different values;"
                        + " give it once");
            }
            values.stream().findFirst().ifPresent(v -> form.put(field, v));
        }
        return form;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        if (body == null) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                String before = out.putIfAbsent(name, value);
                if (before != null && !before.equals(value)) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "'" + name + "' is given more than once with different values;"
                            + " give it once");
                }
            }
        }
        return out;
    }
}
