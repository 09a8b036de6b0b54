package credit.exchange.security.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import org.junit.jupiter.api.function.Executable;

/** Asserts that an action fails with a given stable code. */
final class Codes {

    private Codes() {
    }

    static CodedException assertCode(ErrorCode expected, Executable action) {
        CodedException e = assertThrows(CodedException.class, action);
        assertEquals(expected, e.code(), () -> "message was: " + e.getMessage());
        return e;
    }
}
