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

    @ParameterizedTest
    @ValueSource(strings = {"GM", "INTL"})
    void pkiCrlUrl_ofTheCa_isTheCertificatesDistributionPoint_unlessIssueGivesOne_andPkiCrlRenewsTheList(String suite) throws Exception {
        Files.writeString(dir.resolve("pass"), "a passphrase of the test");
        String pass = "file:" + p("pass");
        String caUrl = "http://ca-node.example.org:8081/crl/" + suite.toLowerCase() + ".crl";
        assertEquals(0, CliRun.of("pki", "init-ca", "--suite", suite, "--out", p("ca"), "--passphrase", pass, "--crl-url", caUrl).exit());

        CliRun byDefault = CliRun.of("pki", "issue", "--node", "huzhou", "--suite", suite, "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", pass, "--passphrase", pass);
        assertEquals(0, byDefault.exit(), byDefault.err());
        assertTrue(byDefault.out().contains("CRL distribution point " + caUrl), byDefault.out());
        assertEquals(List.of(java.net.URI.create(caUrl)), credit.exchange.security.pki.AllianceProfile.crlUrls(
                PemFiles.readCertificate(dir.resolve("nodes/huzhou.cert.pem"))));

        CliRun given = CliRun.of("pki", "issue", "--node", "jiaxing", "--suite", suite, "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", pass, "--passphrase", pass, "--crl-url", "http://10.0.0.5:8081/crl/a.crl",
                "--crl-url", "http://10.0.0.6:8081/crl/a.crl");
        assertEquals(0, given.exit(), given.err());
        assertEquals(List.of(java.net.URI.create("http://10.0.0.5:8081/crl/a.crl"), java.net.URI.create("http://10.0.0.6:8081/crl/a.crl")),
                credit.exchange.security.pki.AllianceProfile.crlUrls(PemFiles.readCertificate(dir.resolve("nodes/jiaxing.cert.pem"))));

        CliRun https = CliRun.of("pki", "issue", "--node", "shaoxing", "--suite", suite, "--ca", p("ca"), "--out", p("nodes"),
                "--ca-passphrase", pass, "--passphrase", pass, "--crl-url", "https://ca-node.example.org/crl/a.crl");
        assertEquals(2, https.exit(), https.out());
        assertTrue(https.err().contains("E_FIELD_INVALID"), https.err());

        var before = PemFiles.readCrl(dir.resolve("ca/crl.pem"));
        CliRun renewed = CliRun.of("pki", "crl", "--ca", p("ca"), "--ca-passphrase", pass);
        assertEquals(0, renewed.exit(), renewed.err());
        assertTrue(renewed.out().startsWith("CRL 2 of the " + suite + " CA, 0 revoked"), renewed.out());
        var after = PemFiles.readCrl(dir.resolve("ca/crl.pem"));
        after.verify(PemFiles.readCertificate(dir.resolve("ca/ca.cert.pem")).getPublicKey(), credit.exchange.security.pki.Providers.bc());
        assertFalse(after.getNextUpdate().before(before.getNextUpdate()));
    }
}
