package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Where a key's passphrase comes from: an environment variable or a file, never a command-line
 * argument (which every user of the machine can read in the process list). The source is spelled
 * as OpenSSL's {@code -passin} spells it: {@code env:NAME} or {@code file:PATH}; OpenSSL's
 * {@code pass:} form is refused on purpose.
 *
 * <p>A passphrase is returned as a {@code char[]} so the caller can wipe it after use
 * ({@code Arrays.fill(p, '\0')}); it is never logged and never part of an exception message.
 */
public final class Passphrases {

    /** A passphrase file is read up to its first line end, and no further than this. */
    static final int MAX_FILE_BYTES = 4096;

    private Passphrases() {
    }

    /**
     * The passphrase named by {@code env:NAME} or {@code file:PATH}.
     *
     * @throws CodedException {@link ErrorCode#E_FIELD_INVALID} for any other form (notably
     *     {@code pass:...}) or an unreadable file, {@link ErrorCode#E_FIELD_MISSING} for an unset or
     *     empty source
     */
    public static char[] from(String source) {
        return from(source, System::getenv);
    }

    static char[] from(String source, Function<String, String> environment) {
        if (source != null && source.startsWith("env:")) {
            return fromEnvironment(source.substring(4), environment);
        }
        if (source != null && source.startsWith("file:")) {
            return fromFile(Path.of(source.substring(5)));
        }
        // never echo the value: it may be a passphrase typed where a source was expected
        throw new CodedException(ErrorCode.E_FIELD_INVALID,
                "a passphrase source must be env:NAME or file:PATH; passphrases are never taken from the command line");
    }

    /** The fewest characters of a passphrase that protects a key. */
    public static final int MIN_LENGTH = 12;

    /**
     * Refuses a passphrase too weak to protect a key (the alliance CA's, a node's): fewer than
     * {@value #MIN_LENGTH} characters, or one character repeated. Never echoes it.
     *
     * @param what how the message names it (its source, never its value)
     * @throws CodedException {@link ErrorCode#E_FIELD_INVALID}
     */
    public static void requireStrong(char[] passphrase, String what) {
        int length = passphrase == null ? 0 : Character.codePointCount(passphrase, 0, passphrase.length);
        boolean repeated = length > 0 && new String(passphrase).chars().distinct().count() == 1;
        if (length < MIN_LENGTH || repeated) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, what + " is too weak: a passphrase protecting a key has at least "
                    + MIN_LENGTH + " characters, not one repeated");
        }
    }

    /** The value of an environment variable. */
    public static char[] fromEnvironment(String variable) {
        return fromEnvironment(variable, System::getenv);
    }

    private static char[] fromEnvironment(String variable, Function<String, String> environment) {
        if (variable.isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "env: needs the name of an environment variable");
        }
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "environment variable " + variable + " is not set or empty");
        }
        return value.toCharArray();
    }

    /**
     * The first line of a file, UTF-8, without its line end (as OpenSSL's {@code -passin file:}
     * reads it). Operators keep the file owner-readable only; this is not enforced because secret
     * volumes (Kubernetes) are often mounted group-readable.
     */
    public static char[] fromFile(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID,
                    "passphrase file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            if (end > MAX_FILE_BYTES) {
                throw new CodedException(ErrorCode.E_TOO_LARGE, "passphrase file " + file + " has no line end within "
                        + MAX_FILE_BYTES + " bytes");
            }
            if (end == 0) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "passphrase file " + file + " is empty");
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
            char[] passphrase = new char[chars.remaining()];
            chars.get(passphrase);
            Arrays.fill(chars.array(), '\0');
            return passphrase;
        } catch (CharacterCodingException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "passphrase file " + file + " is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
