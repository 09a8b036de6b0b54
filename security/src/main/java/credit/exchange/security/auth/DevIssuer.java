package credit.exchange.security.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The development issuer (开发用): what a node without a realm signs tokens with, so that the demo
 * and a developer's node can show every class of access without a Keycloak. It asks for no
 * password: whoever reaches it gets the roles they name, by a form or, for the officer console's
 * browser sign-in, by an authorisation code (PKCE S256). Its issuer ends in {@code /dev-issuer},
 * its tokens carry {@code "dev_issuer": true}, the node says so in its log at start, and a node in
 * the production profile refuses to start with it. Its key is made at start and lives in memory.
 */
public final class DevIssuer {

    public static final String PATH = "/dev-issuer";
    private static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    private final String issuer;
    private final String audience;
    private final ECKey key;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** @param nodeUrl the node's own API base URL, e.g. {@code http://127.0.0.1:8080} */
    public DevIssuer(String nodeUrl, String audience, Clock clock) {
        this.issuer = nodeUrl.replaceAll("/+$", "") + PATH;
        this.audience = audience;
        this.clock = clock;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID("dev-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("the development issuer cannot make its key", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The public key set, as the realm's JWKS endpoint serves it. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A token for a user with the roles and department named. */
    public String token(String username, Set<String> roles, Optional<String> department) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject("dev-" + username).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME))).jwtID(UUID.randomUUID().toString())
                .claim("azp", "dev-console").claim("preferred_username", username)
                .claim("realm_access", Map.of("roles", List.copyOf(roles))).claim("dev_issuer", true);
        department.ifPresent(d -> claims.claim("department", d));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
                claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("the development issuer cannot sign", e);
        }
        return jwt.serialize();
    }

    /** An authorisation code waiting to be redeemed: whom it signs in, for which redirect, under which PKCE challenge. */
    private record Grant(String username, Set<String> roles, Optional<String> department, String redirectUri, String challenge,
                         Instant expires) {
    }

    /**
     * An authorisation code for the browser sign-in (OAuth 2.0 code flow with PKCE S256, as the
     * officer console uses at a Keycloak realm): redeemable once, within a minute, for the same
     * redirect URI by the holder of the verifier.
     */
    public String authorisationCode(String username, Set<String> roles, Optional<String> department, String redirectUri,
                                    String codeChallenge) {
        Instant now = clock.instant();
        codes.values().removeIf(g -> g.expires().isBefore(now));
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(username, Set.copyOf(roles), department, redirectUri, codeChallenge, now.plus(CODE_LIFETIME)));
        return code;
    }

    /** The token for a code; E_TOKEN_MALFORMED if the code is unknown, spent, expired, or not this redirect's and verifier's. */
    public String redeem(String code, String redirectUri, String codeVerifier) {
        Grant grant = code == null ? null : codes.remove(code);
        if (grant == null || grant.expires().isBefore(clock.instant()) || !grant.redirectUri().equals(redirectUri)
                || codeVerifier == null || !grant.challenge().equals(s256(codeVerifier))) {
            throw new CodedException(ErrorCode.E_TOKEN_MALFORMED,
                    "the authorisation code is unknown, spent, expired, or not issued for this redirect and verifier");
        }
        return token(grant.username(), grant.roles(), grant.department());
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
