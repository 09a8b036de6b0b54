package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasesTest {

    @TempDir
    Path dir;

    private final Map<String, String> environment = Map.of("CA_PASSPHRASE", "s3cret-口令", "EMPTY", "");

    @Test
    void envSource_readsTheVariable() {
        assertArrayEquals("s3cret-口令".toCharArray(), Passphrases.from("env:CA_PASSPHRASE", environment::get));
    }

    @Test
    void envSource_unsetOrEmptyVariable_isE_FIELD_MISSING() {
        assertCode(ErrorCode.E_FIELD_MISSING, () -> Passphrases.from("env:NOT_SET", environment::get));
        assertCode(ErrorCode.E_FIELD_MISSING, () -> Passphrases.from("env:EMPTY", environment::get));
    }

    @Test
    void fileSource_readsTheFirstLineWithoutItsLineEnd() throws Exception {
        Path file = dir.resolve("pass.txt");
        Files.writeString(file, "s3cret-口令\r\nsecond line\n", StandardCharsets.UTF_8);

        assertArrayEquals("s3cret-口令".toCharArray(), Passphrases.from("file:" + file));
        assertArrayEquals("s3cret-口令".toCharArray(), Passphrases.fromFile(file));
    }

    @Test
    void fileSource_withoutLineEnd_readsTheWholeFile() throws Exception {
        Path file = dir.resolve("pass.txt");
        Files.writeString(file, "no newline", StandardCharsets.UTF_8);

        assertArrayEquals("no newline".toCharArray(), Passphrases.fromFile(file));
    }

    @Test
    void fileSource_emptyOrMissingFile_isRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));

        assertCode(ErrorCode.E_FIELD_MISSING, () -> Passphrases.fromFile(empty));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> Passphrases.fromFile(dir.resolve("missing")));
    }

    @Test
    void fileSource_overlongLine_isE_TOO_LARGE() throws Exception {
        Path file = dir.resolve("big");
        Files.write(file, new byte[Passphrases.MAX_FILE_BYTES + 10]);

        assertCode(ErrorCode.E_TOO_LARGE, () -> Passphrases.fromFile(file));
    }

    @Test
    void commandLineForm_isRefused_withoutEchoingThePassphrase() {
        CodedException e = assertCode(ErrorCode.E_FIELD_INVALID, () -> Passphrases.from("pass:hunter2", environment::get));
        assertFalse(e.getMessage().contains("hunter2"));

        CodedException bare = assertCode(ErrorCode.E_FIELD_INVALID, () -> Passphrases.from("hunter2", environment::get));
        assertFalse(bare.getMessage().contains("hunter2"));
    }

    @org.junit.jupiter.api.Test
    void aPassphraseProtectingAKey_hasTwelveCharacters_notOneRepeated_andIsNeverEchoed() {
        for (String weak : new String[] {"", "x", "short-11chr", "aaaaaaaaaaaaaaaa"}) {
            credit.exchange.security.CodedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    credit.exchange.security.CodedException.class, () -> Passphrases.requireStrong(weak.toCharArray(), "the CA key's passphrase"));
            org.junit.jupiter.api.Assertions.assertEquals(credit.exchange.security.ErrorCode.E_FIELD_INVALID, e.code());
            org.junit.jupiter.api.Assertions.assertTrue(weak.isEmpty() || !e.getMessage().contains(weak), e.getMessage());
        }
        Passphrases.requireStrong("ca secret 联盟".toCharArray(), "the CA key's passphrase");
    }
}
