package credit.exchange.routes.support;

import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.identity.ProtectionKeys;

/** Personal-ID protectors for tests: fresh random keys, as a new node would generate them. */
public final class Protectors {

    private Protectors() {
    }

    public static PersonalIdProtector withFreshKeys() {
        return new PersonalIdProtector(ProtectionKeys.generate());
    }
}
