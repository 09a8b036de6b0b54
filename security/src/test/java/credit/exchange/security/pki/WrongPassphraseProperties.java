package credit.exchange.security.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/**
 * Any wrong passphrase gives the coded error, never a stack trace: with AES-CBC, about one wrong
 * key in 256 decrypts to valid padding and then to garbage that is not a key, a second path to
 * the same answer.
 */
class WrongPassphraseProperties {

    private static final char[] RIGHT = "correct horse battery staple".toCharArray();
    // a low iteration count keeps hundreds of tries fast; the format and the code path are the same
    private static final Path KEY = writeKey();

    @Property(tries = 300)
    void readPrivateKey_anyWrongPassphrase_isE_MALFORMED(@ForAll @StringLength(min = 1, max = 40) String passphrase) throws IOException {
        Assume.that(!Arrays.equals(passphrase.toCharArray(), RIGHT));
        try {
            PemFiles.readPrivateKey(KEY, passphrase.toCharArray());
            throw new AssertionError("a wrong passphrase decrypted the key");
        } catch (CodedException e) {
            assertEquals(ErrorCode.E_MALFORMED, e.code());
        }
    }

    private static Path writeKey() {
        try {
            Path file = Files.createTempFile("wrong-passphrase", ".pem");
            file.toFile().deleteOnExit();
            PemFiles.writePrivateKey(file, Suite.INTL.generateKeyPair().getPrivate(), RIGHT, 16);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
