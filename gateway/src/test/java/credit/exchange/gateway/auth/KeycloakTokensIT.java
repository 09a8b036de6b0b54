package credit.exchange.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.auth.BearerIdentity;
import credit.exchange.security.auth.BearerTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens of a real Keycloak (the server distribution, started for the test run with the
 * realm of deploy/keycloak/): what each kind of caller's token says once verified, and the reason
 * code of every way a token is refused.
 */
class KeycloakTokensIT {

    static KeycloakServer keycloak;
    static BearerTokens tokens;

    @BeforeAll
    static void realm() throws Exception {
        keycloak = KeycloakServer.shared();
        tokens = new BearerTokens(keycloak.issuer(), "gateway-api", Duration.ofMillis(200), Clock.systemUTC());
    }

    @Test
    void aPlatformClientsToken_speaksForTheClient_withItsServiceAccountsRoles() throws Exception {
        BearerIdentity province = tokens.verify(keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET));
        assertEquals("zhejiang-platform", province.clientId());
        assertEquals("service-account-zhejiang-platform", province.username());
        assertTrue(province.roles().containsAll(Set.of("reader-public", "reader-authorised")), province.roles().toString());
        assertTrue(!province.hasRole("reader-shared") && province.department().isEmpty());
    }

    @Test
    void aPersonsToken_carriesTheirRolesAndDepartment() throws Exception {
        BearerIdentity reader = tokens.verify(keycloak.userToken("department-reader", "department-reader-pw"));
        assertEquals("department-reader", reader.username());
        assertTrue(reader.hasRole("reader-shared") && reader.hasRole("reader-public") && !reader.hasRole("auditor"));
        assertEquals(Optional.of("11330100002493622M"), reader.department());
        assertTrue(tokens.verify(keycloak.userToken("officer", "officer-pw")).hasRole("auditor"));
    }

    @Test
    void noToken_isE_TOKEN_MISSING() {
        assertEquals(ErrorCode.E_TOKEN_MISSING, refusal(null));
        assertEquals(ErrorCode.E_TOKEN_MISSING, refusal(" "));
        assertEquals(ErrorCode.E_TOKEN_MALFORMED, refusal("not-a-jwt"));
    }

    @Test
    void anotherRealmsToken_isE_TOKEN_ISSUER() throws Exception {
        assertEquals(ErrorCode.E_TOKEN_ISSUER, refusal(keycloak.adminToken()));
    }

    @Test
    void aTokenForAnotherClient_isE_TOKEN_AUDIENCE() throws Exception {
        assertEquals(ErrorCode.E_TOKEN_AUDIENCE, refusal(keycloak.userToken("not-for-the-gateway", "public-reader", "public-reader-pw")));
    }

    @Test
    void aTamperedToken_isE_TOKEN_SIGNATURE() throws Exception {
        String token = keycloak.userToken("public-reader", "public-reader-pw");
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"reader-public\"", "\"reader-shared\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(ErrorCode.E_TOKEN_SIGNATURE, refusal(forged));
    }

    @Test
    void aTokenSignedWithAKeyTheRealmDoesNotPublish_isE_TOKEN_KEY_UNKNOWN() throws Exception {
        RSAKey own = new RSAKeyGenerator(2048).keyID("not-the-realms").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-the-realms").build(),
                new JWTClaimsSet.Builder().issuer(keycloak.issuer()).audience("gateway-api").subject("someone")
                        .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(own));
        assertEquals(ErrorCode.E_TOKEN_KEY_UNKNOWN, refusal(jwt.serialize()));
    }

    @Test
    void anExpiredToken_isE_TOKEN_EXPIRED() throws Exception {
        String token = keycloak.userToken("public-reader", "public-reader-pw");
        BearerTokens later = new BearerTokens(keycloak.issuer(), "gateway-api", Duration.ofMillis(200),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        assertEquals(ErrorCode.E_TOKEN_EXPIRED, assertThrows(CodedException.class, () -> later.verify(token)).code(),
                "the realm's tokens live 5 minutes");
    }

    @Test
    void afterTheRealmRotatesItsKey_newTokensAreAcceptedWithoutARestart() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        BearerTokens tokens = new BearerTokens(keycloak.issuer(), "gateway-api", Duration.ofMillis(200), clock);
        String before = keycloak.userToken("public-reader", "public-reader-pw");
        tokens.verify(before);
        assertEquals(201, keycloak.admin("POST", "/components", """
                {"name": "rotated", "providerId": "rsa-generated", "providerType": "org.keycloak.keys.KeyProvider",
                 "parentId": "credit-exchange", "config": {"priority": ["500"], "enabled": ["true"], "active": ["true"],
                 "keySize": ["2048"], "algorithm": ["RS256"]}}"""));
        String after = keycloak.userToken("public-reader", "public-reader-pw");
        assertNotEquals(SignedJWT.parse(before).getHeader().getKeyID(), SignedJWT.parse(after).getHeader().getKeyID(),
                "the new key signs");
        clock.advance(Duration.ofMillis(250)); // the verifier asks the realm again at most every 200 ms here
        assertEquals("public-reader", tokens.verify(after).username());
        assertEquals("public-reader", tokens.verify(before).username(), "the old key stays published until it is removed");
    }

    @Test
    void aTokenOfAUserDisabledSinceItWasIssued_isE_TOKEN_INACTIVE() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        BearerTokens asking = new BearerTokens(keycloak.issuer(), "gateway-api", Duration.ofMillis(200), clock,
                Optional.of(KeycloakServer.GATEWAY_SECRET), Duration.ofMillis(1));
        String token = keycloak.userToken("to-be-disabled", "to-be-disabled-pw");
        assertEquals("to-be-disabled", asking.verify(token).username());
        String id = keycloak.adminGet("/users?username=to-be-disabled&exact=true").get(0).path("id").asText();
        assertEquals(204, keycloak.admin("PUT", "/users/" + id, "{\"enabled\": false}"));
        clock.advance(Duration.ofMillis(5)); // past the 1 ms the realm's word is kept
        assertEquals(ErrorCode.E_TOKEN_INACTIVE, assertThrows(CodedException.class, () -> asking.verify(token)).code());
    }

    private static ErrorCode refusal(String token) {
        return assertThrows(CodedException.class, () -> tokens.verify(token)).code();
    }

    /** A clock the test moves: the verifier's waits pass without the test waiting. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
