package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.NodeCredentials;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The INTL envelope against stock {@code openssl cms} (OpenSSL 3): what the gateway seals,
 * openssl decrypts and verifies; what openssl signs and encrypts, the gateway opens.
 */
class OpenSslInteropTest {

    private static final Alliance ALLIANCE = new Alliance(Suite.INTL);
    private static final NodeCredentials HANGZHOU = ALLIANCE.node("hangzhou");
    private static final NodeCredentials HUZHOU = ALLIANCE.node("huzhou");
    private static final byte[] PAYLOAD = "{\"records\":[{\"uscc\":\"91330100716105852F\",\"name\":\"阿里巴巴（中国）有限公司\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void gatewayEnvelope_decryptsWithOpensslCms_andItsSignatureVerifiesAgainstTheAllianceCa() throws Exception {
        byte[] envelope = ALLIANCE.envelopes(HANGZHOU, Clock.systemUTC()).seal(PAYLOAD,
                new ExchangeHeaders("m-openssl-1", "hangzhou", "huzhou", "query-answer", null, Instant.now()),
                HUZHOU.certificate());
        Files.write(dir.resolve("envelope.der"), envelope);
        writeCredentials("huzhou", HUZHOU);
        writePem(dir.resolve("ca.pem"), ALLIANCE.caCertificate());

        openssl("cms", "-decrypt", "-inform", "DER", "-in", "envelope.der", "-recip", "huzhou.pem",
                "-inkey", "huzhou.key", "-out", "signed.der");
        openssl("cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "ca.pem", "-purpose", "any",
                "-out", "payload.json");

        assertArrayEquals(PAYLOAD, Files.readAllBytes(dir.resolve("payload.json")));
    }

    @Test
    void opensslSignedThenEncryptedWithAes256Gcm_opensInTheGateway() throws Exception {
        Files.write(dir.resolve("payload.json"), PAYLOAD);
        writeCredentials("hangzhou", HANGZHOU);
        writePem(dir.resolve("huzhou.pem"), HUZHOU.certificate());

        openssl("cms", "-sign", "-binary", "-nodetach", "-in", "payload.json", "-signer", "hangzhou.pem",
                "-inkey", "hangzhou.key", "-outform", "DER", "-out", "signed.der");
        openssl("cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der", "-recip", "huzhou.pem",
                "-outform", "DER", "-out", "envelope.der");
        byte[] envelope = Files.readAllBytes(dir.resolve("envelope.der"));

        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, Clock.systemUTC());
        VerifiedContent content = huzhou.openContent(envelope);
        assertArrayEquals(PAYLOAD, content.payload());
        assertEquals(HANGZHOU.certificate(), content.signer());

        // openssl's command line cannot add the exchange attributes, so the exchange layer refuses it, with a code
        CodedException missingHeaders = assertThrows(CodedException.class, () -> huzhou.open(envelope));
        assertEquals(ErrorCode.E_MALFORMED, missingHeaders.code());
    }

    @Test
    void receipt_verifiesWithOpensslCms_withoutAnyPrivateKey() throws Exception {
        Envelopes huzhou = ALLIANCE.envelopes(HUZHOU, Clock.systemUTC());
        byte[] receipt = huzhou.signReceipt(new Receipt("m-openssl-2", "hangzhou", "huzhou", huzhou.digestAlgorithm(),
                new byte[32], Instant.now(), Receipt.ACCEPTED));
        Files.write(dir.resolve("receipt.der"), receipt);
        writePem(dir.resolve("ca.pem"), ALLIANCE.caCertificate());

        openssl("cms", "-verify", "-inform", "DER", "-in", "receipt.der", "-CAfile", "ca.pem", "-purpose", "any",
                "-out", "receipt-content.der");

        assertEquals("m-openssl-2", ReceiptCodec.decode(Files.readAllBytes(dir.resolve("receipt-content.der"))).messageId());
    }

    @Test
    void recognitionStatement_verifiesWithOpensslCms_andItsContentIsTheStatementText() throws Exception {
        credit.exchange.security.alliance.RecognitionStatement statement = new credit.exchange.security.alliance.RecognitionStatement(
                "hangzhou", "91330100716105852F", "杭州演示诚信企业有限公司", "red list", java.time.LocalDate.of(2027, 12, 31),
                Instant.parse("2026-11-27T08:00:00Z"));
        Files.write(dir.resolve("statement.der"), statement.sign(ALLIANCE.envelopes(HANGZHOU, Clock.systemUTC())));
        writePem(dir.resolve("ca.pem"), ALLIANCE.caCertificate());

        openssl("cms", "-verify", "-inform", "DER", "-in", "statement.der", "-CAfile", "ca.pem", "-purpose", "any",
                "-out", "statement.txt");

        assertEquals(new String(statement.statement(), StandardCharsets.UTF_8), Files.readString(dir.resolve("statement.txt")));
    }

    private void writeCredentials(String name, NodeCredentials node) throws IOException {
        writePem(dir.resolve(name + ".pem"), node.certificate());
        writePem(dir.resolve(name + ".key"), node.privateKey());
    }

    private static void writePem(Path file, Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
        Files.writeString(file, out.toString());
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
