package credit.exchange.security.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ExchangeAdmissionTest {

    private final Map<String, PartnerTerms> configured = Map.of(
            "huzhou", new PartnerTerms("huzhou", true, Suite.GM, Set.of("query")),
            "jiaxing", new PartnerTerms("jiaxing", true, Suite.INTL, Set.of()),
            "shanghai", new PartnerTerms("shanghai", false, Suite.GM, Set.of("query")));
    private final ExchangeAdmission admission = new ExchangeAdmission("hangzhou", id -> Optional.ofNullable(configured.get(id)));

    @Test
    void enabledPartner_signingWhatItsTlsIdentitySends_inItsSuite_isAdmitted() {
        assertEquals("huzhou", admission.admit(Optional.of("huzhou"), "huzhou", Suite.GM, "query").nodeId());
        assertEquals("huzhou", admission.admitTransport("huzhou").nodeId());
    }

    @Test
    void eachRefusal_hasItsCode() {
        assertCode(ErrorCode.E_UNKNOWN_PARTNER, () -> admission.admitTransport("nanjing"));
        assertCode(ErrorCode.E_UNKNOWN_PARTNER, () -> admission.admitTransport("shanghai"));
        assertCode(ErrorCode.E_TRANSPORT_MISMATCH, () -> admission.admit(Optional.of("jiaxing"), "huzhou", Suite.GM, "query"));
        assertCode(ErrorCode.E_SUITE_MISMATCH, () -> admission.admit(Optional.of("huzhou"), "huzhou", Suite.INTL, "query"));
        assertCode(ErrorCode.E_UNKNOWN_PARTNER, () -> admission.admit(Optional.of("jiaxing"), "jiaxing", Suite.INTL, "query"));
        assertCode(ErrorCode.E_UNKNOWN_PARTNER, () -> admission.admit(Optional.of("shanghai"), "shanghai", Suite.GM, "query"));
    }

    @Test
    void withoutTls_theSignatureAloneNamesTheSender() {
        assertEquals("huzhou", admission.admit(Optional.empty(), "huzhou", Suite.GM, "query").nodeId());
    }

    private static void assertCode(ErrorCode code, Executable call) {
        assertEquals(code, assertThrows(CodedException.class, call).code());
    }
}
