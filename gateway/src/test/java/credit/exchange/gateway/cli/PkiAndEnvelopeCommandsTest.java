package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.pki.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI round trip an operator or partner runs: CA, two nodes, seal, open, revoke, tamper — in both suites. */
class PkiAndEnvelopeCommandsTest {

    @TempDir
    Path dir;

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GM", "INTL"})
    void caNodesSealOpenRevoke_roundTrip(String suite) throws Exception {
        Files.writeString(dir.resolve("ca.pass"), "ca secret 联盟");
        Files.writeString(dir.resolve("key.pass"), "node secret 节点");
        String caPass = "file:" + p("ca.pass");
        String keyPass = "file:" + p("key.pass");
        byte[] payload = "{\"query\":{\"uscc\":\"91330100716105852F\"}}".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("payload.json"), payload);

        assertEquals(0, CliRun.of("pki", "init-ca", "--suite", suite, "--out", p("ca"), "--passphrase", caPass).exit());
        CliRun hangzhou = CliRun.of("pki", "issue", "--node", "hangzhou", "--suite", suite, "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", caPass, "--passphrase", keyPass);
        assertEquals(0, hangzhou.exit(), hangzhou.out());
        assertEquals(0, CliRun.of("pki", "issue", "--node", "huzhou", "--suite", suite, "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", caPass, "--passphrase", keyPass).exit());
        assertTrue(Files.readString(dir.resolve("nodes/hangzhou.key.pem")).contains("ENCRYPTED PRIVATE KEY"));

        CliRun sealed = CliRun.of("envelope", "seal", "--suite", suite, "--key", p("nodes/hangzhou.key.pem"),
                "--cert", p("nodes/hangzhou.cert.pem"), "--passphrase", keyPass, "--to", p("nodes/huzhou.cert.pem"),
                "--in", p("payload.json"), "--out", p("msg.p7m"), "--type", "query");
        assertEquals(0, sealed.exit(), sealed.out());

        String[] open = {"envelope", "open", "--key", p("nodes/huzhou.key.pem"), "--cert", p("nodes/huzhou.cert.pem"),
                "--passphrase", keyPass, "--trust", p("ca/ca.cert.pem"), "--in", p("msg.p7m"), "--out", p("opened.json")};
        CliRun opened = CliRun.of(open);
        assertEquals(0, opened.exit(), opened.out());
        assertTrue(opened.out().contains("sender hangzhou"), opened.out());
        assertTrue(opened.out().contains("recipient huzhou"), opened.out());
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve("opened.json")));
        assertFalse(opened.out().contains("PRIVATE KEY") || sealed.out().contains("PRIVATE KEY"));

        byte[] tampered = Files.readAllBytes(dir.resolve("msg.p7m"));
        tampered[tampered.length / 2] ^= 0x01;
        Files.write(dir.resolve("msg.p7m"), tampered);
        CliRun refused = CliRun.of(open);
        assertEquals(3, refused.exit());
        assertTrue(refused.out().startsWith("REFUSED E_"), refused.out());

        String serial = hangzhou.out().replaceAll("(?s).*serial ([0-9a-f]+).*", "$1").strip();
        assertEquals(0, CliRun.of("pki", "revoke", "--ca", p("ca"), "--serial", serial, "--reason", "KEY_COMPROMISE",
                "--ca-passphrase", caPass).exit());
        assertEquals(0, CliRun.of("envelope", "seal", "--suite", suite, "--key", p("nodes/hangzhou.key.pem"),
                "--cert", p("nodes/hangzhou.cert.pem"), "--passphrase", keyPass, "--to", p("nodes/huzhou.cert.pem"),
                "--in", p("payload.json"), "--out", p("msg.p7m")).exit());
        CliRun revoked = CliRun.of(open);
        assertEquals(3, revoked.exit());
        assertTrue(revoked.out().contains("E_CERT_REVOKED"), revoked.out());
    }

    @Test
    void pkiIssue_namesTheLoopbackByNameAndAddress_unlessHostNamesAreGiven() throws Exception {
        Files.writeString(dir.resolve("pass"), "a passphrase of the test");
        String pass = "file:" + p("pass");
        assertEquals(0, CliRun.of("pki", "init-ca", "--suite", "INTL", "--out", p("ca"), "--passphrase", pass).exit());
        CliRun loopback = CliRun.of("pki", "issue", "--node", "hangzhou", "--suite", "INTL", "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", pass, "--passphrase", pass);
        assertEquals(0, loopback.exit(), loopback.out());
        CliRun named = CliRun.of("pki", "issue", "--node", "huzhou", "--suite", "INTL", "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", pass, "--passphrase", pass, "--dns", "gateway.huzhou.example,10.0.0.5");
        assertEquals(0, named.exit(), named.out());

        assertEquals(List.of(List.of(2, "hangzhou"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                List.copyOf(PemFiles.readCertificate(dir.resolve("nodes/hangzhou.cert.pem")).getSubjectAlternativeNames()));
        assertEquals(List.of(List.of(2, "huzhou"), List.of(2, "gateway.huzhou.example"), List.of(7, "10.0.0.5")),
                List.copyOf(PemFiles.readCertificate(dir.resolve("nodes/huzhou.cert.pem")).getSubjectAlternativeNames()));
    }
}
