package credit.exchange.security.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the bearer tokens of the node's realm (Keycloak), each check with its own reason code
 * (401): a signed JWT (E_TOKEN_MALFORMED) with an asymmetric algorithm, naming the realm as its
 * issuer (E_TOKEN_ISSUER), signed by a key the realm publishes at its JWKS endpoint (E_TOKEN_KEY_UNKNOWN; an unknown key id makes it fetch the set
 * again, at most every {@code minRefresh}, so a rotated key is found without a restart) whose
 * signature verifies (E_TOKEN_SIGNATURE), meant for the gateway API (E_TOKEN_AUDIENCE), and within its validity (E_TOKEN_EXPIRED, with a small clock skew).
 */
public final class BearerTokens {

    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final String issuer;
    private final String audience;
    private final URI jwks;
    private final Duration minRefresh;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile JWKSet keys = new JWKSet();
    private volatile Instant fetchedAt = Instant.EPOCH;
    private final Optional<String> introspectionSecret;
    private final Duration activeFor;
    private final java.util.Map<String, Instant> activeUntil = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param issuer the realm's issuer, e.g. {@code https://sso.example/realms/credit-exchange}
     * @param audience the client id tokens must be meant for ({@code gateway-api})
     */
    /** The realm whose tokens these are (its issuer URL). */
    public String issuer() {
        return issuer;
    }

    public BearerTokens(String issuer, String audience, Duration minRefresh, Clock clock) {
        this(issuer, audience, minRefresh, clock, Optional.empty(), Duration.ZERO);
    }

    /**
     * @param introspectionSecret the secret of the audience's client at the realm, with which the
     *        node asks the realm whether a token is still active (RFC 7662 introspection); empty:
     *        never asked (the development issuer, which has no sessions)
     * @param activeFor how long the realm's word that a token is active is trusted before it is asked again
     */
    public BearerTokens(String issuer, String audience, Duration minRefresh, Clock clock, Optional<String> introspectionSecret,
                        Duration activeFor) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwks = URI.create(issuer + "/protocol/openid-connect/certs");
        this.minRefresh = minRefresh;
        this.clock = clock;
        this.introspectionSecret = introspectionSecret.filter(x -> !x.isBlank());
        this.activeFor = activeFor;
    }

    /** The identity a token speaks for, or the coded reason it is refused. */
    public BearerIdentity verify(String token) {
        if (token == null || token.isBlank()) {
            throw new CodedException(ErrorCode.E_TOKEN_MISSING, "no bearer token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "the bearer token is not a signed JWT");
        }
        if (!ACCEPTED.contains(jwt.getHeader().getAlgorithm())) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "tokens signed with " + jwt.getHeader().getAlgorithm()
                    + " are not accepted");
        }
        // the issuer first: another realm's token names a key this realm does not publish, and the
        // issuer is the reason worth telling; nothing is trusted before the signature verifies
        if (!issuer.equals(claims.getIssuer())) {
            throw new CodedException(ErrorCode.E_TOKEN_ISSUER, "the token was issued by " + claims.getIssuer() + ", not " + issuer);
        }
        JWK key = key(jwt.getHeader().getKeyID());
        if (!signatureVerifies(jwt, key)) {
            throw new CodedException(ErrorCode.E_TOKEN_SIGNATURE, "the token's signature does not verify with key "
                    + jwt.getHeader().getKeyID());
        }
        List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            throw new CodedException(ErrorCode.E_TOKEN_AUDIENCE, "the token is meant for " + audiences + ", not " + audience);
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null || now.minus(SKEW).isAfter(expires.toInstant())) {
            throw new CodedException(ErrorCode.E_TOKEN_EXPIRED, "the token expired at " + (expires == null ? "?" : expires.toInstant()));
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(SKEW).isBefore(notBefore.toInstant())) {
            throw new CodedException(ErrorCode.E_TOKEN_EXPIRED, "the token is valid from " + notBefore.toInstant() + " only");
        }
        if (introspectionSecret.isPresent()) {
            requireActive(token.strip(), claims);
        }
        return identity(claims);
    }

    /**
     * A token outlives its user's disabling and its session's end: the realm's introspection
     * endpoint says whether it is still active (E_TOKEN_INACTIVE if not); its word is kept for
     * {@code activeFor} per token.
     */
    private void requireActive(String token, JWTClaimsSet claims) {
        String id = claims.getJWTID() != null ? claims.getJWTID() : Integer.toHexString(token.hashCode());
        Instant now = clock.instant();
        Instant until = activeUntil.get(id);
        if (until != null && now.isBefore(until)) {
            return;
        }
        String credentials = java.util.Base64.getEncoder().encodeToString(
                (encode(audience) + ":" + encode(introspectionSecret.get())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token/introspect"))
                    .header("Authorization", "Basic " + credentials).header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("token=" + encode(token))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the realm's introspection answered HTTP " + r.statusCode());
            }
            Object active = com.nimbusds.jose.util.JSONObjectUtils.parse(r.body()).get("active");
            if (!Boolean.TRUE.equals(active)) {
                activeUntil.remove(id);
                throw new CodedException(ErrorCode.E_TOKEN_INACTIVE, "the realm no longer holds the token's user or session as active");
            }
        } catch (IOException | ParseException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the realm cannot be asked whether the token is active", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "interrupted while asking the realm");
        }
        if (activeUntil.size() > 100_000) {
            activeUntil.entrySet().removeIf(e -> !now.isBefore(e.getValue()));
        }
        activeUntil.put(id, now.plus(activeFor));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static BearerIdentity identity(JWTClaimsSet claims) {
        try {
            Set<String> roles = new HashSet<>();
            Map<String, Object> realmAccess = claims.getJSONObjectClaim("realm_access");
            if (realmAccess != null && realmAccess.get("roles") instanceof List<?> list) {
                list.forEach(r -> roles.add(String.valueOf(r)));
            }
            String username = claims.getStringClaim("preferred_username");
            return new BearerIdentity(claims.getSubject(), username == null ? claims.getSubject() : username,
                    claims.getStringClaim("azp"), roles, Optional.ofNullable(claims.getStringClaim("department")),
                    claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "the token's claims are not of the expected types");
        }
    }

    /** The realm's signing key with this id, fetching the set again if it is not known (a rotation). */
    private JWK key(String keyId) {
        if (keyId == null) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED, "the token names no key id");
        }
        JWK key = keys.getKeyByKeyId(keyId);
        if (key == null && Duration.between(fetchedAt, clock.instant()).compareTo(minRefresh) >= 0) {
            refresh();
            key = keys.getKeyByKeyId(keyId);
        }
        if (key == null || (key.getKeyUse() != null && key.getKeyUse() != KeyUse.SIGNATURE)) {
            throw new CodedException(ErrorCode.E_TOKEN_KEY_UNKNOWN, "the realm publishes no signing key " + keyId);
        }
        return key;
    }

    private synchronized void refresh() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(jwks).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length > MAX_JWKS_BYTES) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the realm's key set answered HTTP " + r.statusCode());
            }
            keys = JWKSet.parse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            fetchedAt = clock.instant();
        } catch (IOException | ParseException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the realm's key set cannot be read: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "interrupted while reading the realm's key set");
        }
    }

    private static boolean signatureVerifies(SignedJWT jwt, JWK jwk) {
        try {
            Key key = switch (jwk.getKeyType().getValue()) {
                case "RSA" -> jwk.toRSAKey().toPublicKey();
                case "EC" -> jwk.toECKey().toPublicKey();
                default -> throw new CodedException(ErrorCode.E_TOKEN_KEY_UNKNOWN, "key " + jwk.getKeyID() + " is of an unsupported type");
            };
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }
}
