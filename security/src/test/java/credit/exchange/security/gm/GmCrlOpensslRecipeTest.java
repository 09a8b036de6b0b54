package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.RevocationReason;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a GM partner checks revocation with stock OpenSSL 3.0 (docs/protocol.md §8): the recipe
 * docs/gm-crl-check.sh verifies the GM CRL's SM2 signature over its TBSCertList with
 * {@code pkeyutl} and the signer id, and reads its issuer, nextUpdate and serials. The script is
 * run as shipped, so the document cannot drift from what works; and {@code openssl crl -CAfile}
 * itself still cannot verify a GM CRL (if a newer OpenSSL can, this test says so), as it verifies
 * an INTL one.
 */
class GmCrlOpensslRecipeTest {

    private static final Path RECIPE = Path.of("../docs/gm-crl-check.sh");

    @TempDir
    Path dir;

    private OpensslCli openssl;

    @BeforeEach
    void opensslAndTheRecipeArePresent() {
        // both are what partners use (CI installs openssl, the recipe ships in docs/): their absence fails, it is not skipped
        assertTrue(OpensslCli.version() != null, "openssl is a test prerequisite and is not on the PATH: apt-get install openssl"
                + " (.ci/run installs it)");
        assertTrue(Files.isRegularFile(RECIPE), "the shipped recipe docs/gm-crl-check.sh is not at " + RECIPE.toAbsolutePath().normalize()
                + ": it was moved or deleted (docs/protocol.md §8 names it), or the test runs outside the security module");
        openssl = new OpensslCli(dir);
    }

    @Test
    void recipe_tellsARevokedCertificateFromOneThatIsNot() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Demo Alliance GM Root CA", Duration.ofDays(3650));
        X509Certificate kept = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();
        X509Certificate revoked = ca.issueNode("shaoxing", Duration.ofDays(365)).certificate();
        write(ca, kept, revoked, ca.crl(Duration.ofDays(7)));
        assertEquals(0, recipe("huzhou.pem").exit);
        assertEquals(0, recipe("shaoxing.pem").exit);

        ca.revoke(revoked.getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        write(ca, kept, revoked, ca.crl(Duration.ofDays(7)));

        Outcome outcome = recipe("shaoxing.pem");
        assertEquals(1, outcome.exit, outcome.output);
        assertTrue(outcome.output.startsWith("REVOKED ") && outcome.output.contains("(CRL 0x02,"), outcome.output);
        assertEquals(0, recipe("huzhou.pem").exit, "the other certificate is not revoked");
    }

    @Test
    void recipe_refusesACrlThatIsForgedAlteredOrStale() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Demo Alliance GM Root CA", Duration.ofDays(3650));
        X509Certificate node = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();

        // another CA under the same name
        AllianceCa impostor = AllianceCa.init(Suite.GM, "Demo Alliance GM Root CA", Duration.ofDays(3650));
        write(ca, node, node, impostor.crl(Duration.ofDays(7)));
        Outcome forged = recipe("huzhou.pem");
        assertEquals(2, forged.exit, forged.output);
        assertTrue(forged.output.contains("signature does not verify"), forged.output);

        // one bit of the list altered: the thisUpdate's last digit (the TBSCertList's UTCTime, tag 0x17, 13 bytes)
        byte[] der = ca.crl(Duration.ofDays(7)).getEncoded();
        int time = 0;
        while (!(der[time] == 0x17 && der[time + 1] == 13)) {
            time++;
        }
        der[time + 2 + 11] ^= 0x01;
        Files.write(dir.resolve("crl.der"), der);
        Outcome altered = recipe("huzhou.pem");
        assertEquals(2, altered.exit, altered.output);
        assertTrue(altered.output.contains("signature does not verify"), altered.output);

        // a genuine CRL past its nextUpdate
        Clock monthAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(30)), ZoneOffset.UTC);
        AllianceCa old = AllianceCa.init(Suite.GM, "Old GM Root CA", Duration.ofDays(3650), monthAgo);
        write(old, old.issueNode("huzhou", Duration.ofDays(365)).certificate(), node, old.crl(Duration.ofDays(7)));
        Outcome stale = recipe("huzhou.pem");
        assertEquals(2, stale.exit, stale.output);
        assertTrue(stale.output.contains("due for renewal"), stale.output);
    }

    @Test
    void stockOpensslCrl_stillCannotVerifyAGmCrl() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Demo Alliance GM Root CA", Duration.ofDays(3650));
        X509Certificate node = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();
        write(ca, node, node, ca.crl(Duration.ofDays(7)));

        OpensslCli.Result verify = openssl.run("crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout");

        // it says "verify failure" and still exits 0: its exit status is no verdict on a CRL
        assertTrue(verify.stderr().contains("verify failure") && !verify.stderr().contains("verify OK"), "openssl crl -CAfile on a GM"
                + " CRL: exit " + verify.exit() + ", " + verify.stderr().trim() + "; if a newer OpenSSL verifies it, docs/protocol.md §3"
                + " and §8 should say so");
        assertEquals(0, recipe("huzhou.pem").exit, "while the recipe verifies it");
    }

    @Test
    void stockOpensslCrl_verifiesAnIntlCrl() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Demo Alliance INTL Root CA", Duration.ofDays(3650));
        X509Certificate node = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();
        write(ca, node, node, ca.crl(Duration.ofDays(7)));

        OpensslCli.Result verify = openssl.run("crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout");

        assertTrue(verify.exit() == 0 && verify.stderr().contains("verify OK"), verify.stderr());
    }

    private void write(AllianceCa ca, X509Certificate first, X509Certificate second, X509CRL crl) throws Exception {
        PemFiles.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        PemFiles.writeCertificate(dir.resolve(AllianceProfile.nodeId(first) + ".pem"), first);
        PemFiles.writeCertificate(dir.resolve(AllianceProfile.nodeId(second) + ".pem"), second);
        Files.write(dir.resolve("crl.der"), crl.getEncoded()); // as the CRL port serves it: DER
    }

    private record Outcome(int exit, String output) {
    }

    private Outcome recipe(String certificate) throws Exception {
        Process process = new ProcessBuilder(List.of("sh", RECIPE.toAbsolutePath().toString(), "crl.der", "ca.pem", certificate))
                .directory(dir.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the recipe ended");
        return new Outcome(process.exitValue(), output);
    }
}
