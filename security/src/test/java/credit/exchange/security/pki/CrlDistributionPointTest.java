package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Node certificates name where their CA's CRL is published (RFC 5280 §4.2.1.13, docs/protocol.md
 * §8): the CA's distribution point, or the one given at issue; stock OpenSSL reads it; the
 * validator still trusts them; and it reports the CRLs it holds.
 */
class CrlDistributionPointTest {

    private static final char[] PASSPHRASE = "ca passphrase of the test".toCharArray();
    private static final URI GM_URL = URI.create("http://ca-node.example.org:8081/crl/gm.crl");
    private static final URI INTL_URL = URI.create("http://ca-node.example.org:8081/crl/intl.crl");
    private static final URI MIRROR = URI.create("http://10.0.0.5:8081/crl/intl.crl");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void issueNode_withCrlUrls_namesThemAsOneNonCriticalDistributionPoint(Suite suite) {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650));

        X509Certificate cert = ca.issueNode("huzhou", Duration.ofDays(365), List.of(), List.of(INTL_URL, MIRROR)).certificate();

        assertEquals(List.of(INTL_URL, MIRROR), AllianceProfile.crlUrls(cert));
        assertTrue(cert.getNonCriticalExtensionOIDs().contains(Extension.cRLDistributionPoints.getId()));
        assertFalse(cert.getCriticalExtensionOIDs().contains(Extension.cRLDistributionPoints.getId()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void certificateWithADistributionPoint_isTrustedByTheValidator(Suite suite) {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650));
        ca.publishCrlAt(List.of(GM_URL));
        X509Certificate cert = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();
        CertificateValidator validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(7))),
                java.time.Clock.systemUTC());

        validator.validate(cert, suite, Usage.SIGNING);
    }

    @Test
    void theCasDistributionPoint_isTheDefault_survivesSaveAndLoad_andAGivenOneReplacesIt() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(3650));
        ca.publishCrlAt(List.of(GM_URL));
        ca.crl(Duration.ofDays(7));
        ca.save(dir, PASSPHRASE);
        assertTrue(Files.readString(dir.resolve("crl-urls.txt"), StandardCharsets.UTF_8).contains(GM_URL + "\n"));

        AllianceCa loaded = AllianceCa.load(dir, PASSPHRASE);

        assertEquals(List.of(GM_URL), loaded.crlUrls());
        assertEquals(List.of(GM_URL), AllianceProfile.crlUrls(loaded.issueNode("huzhou", Duration.ofDays(30)).certificate()));
        assertEquals(List.of(MIRROR), AllianceProfile.crlUrls(
                loaded.issueNode("jiaxing", Duration.ofDays(30), List.of(), List.of(MIRROR)).certificate()));
        X509Certificate without = loaded.issueNode("shaoxing", Duration.ofDays(30), List.of(), List.of()).certificate();
        assertNull(without.getExtensionValue(Extension.cRLDistributionPoints.getId()), "an empty list: no distribution point");
        assertEquals(List.of(), AllianceProfile.crlUrls(without));
    }

    @Test
    void aCrlUrlThatIsNoPlainAbsoluteHttpUrl_isE_FIELD_INVALID() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650));
        for (String bad : List.of("https://ca-node.example.org/crl/intl.crl", "ldap://ca-node.example.org/cn=crl", "/crl/intl.crl",
                "http://ca-node.example.org/crl/intl.crl?x=1", "http://user@ca-node.example.org/crl/intl.crl", "http:///crl/intl.crl")) {
            assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.publishCrlAt(List.of(URI.create(bad))));
            assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.issueNode("huzhou", Duration.ofDays(30), List.of(), List.of(URI.create(bad))));
        }
        assertEquals(List.of(), ca.crlUrls());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void stockOpenssl_readsTheDistributionPoint(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650));
        Path cert = dir.resolve("node.pem");
        PemFiles.writeCertificate(cert, ca.issueNode("huzhou", Duration.ofDays(30), List.of(), List.of(GM_URL)).certificate());
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "x509", "-in", cert.toString(), "-noout", "-ext", "crlDistributionPoints")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            // stock OpenSSL reading it is the point: its absence fails, it is not skipped
            throw new AssertionError("openssl is a test prerequisite and is not on the PATH: apt-get install openssl"
                    + " (.ci/run installs it)", e);
        }
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), out);
        assertTrue(out.contains("X509v3 CRL Distribution Points") && out.contains("URI:" + GM_URL), out);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void heldCrls_reportTheNewestCrlPerAnchor_withItsDatesAndGrace(Suite suite) {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650));
        X509CRL first = ca.crl(Duration.ofDays(7));
        CertificateValidator validator = new CertificateValidator(List.of(ca.certificate()), List.of(first), java.time.Clock.systemUTC(),
                Duration.ofHours(1));
        X509CRL second = ca.crl(Duration.ofDays(7));

        assertTrue(validator.updateCrl(second));
        assertFalse(validator.updateCrl(first), "an older CRL is not adopted");

        CertificateValidator.HeldCrl held = validator.heldCrls().get(0);
        assertEquals(1, validator.heldCrls().size());
        assertEquals(suite, held.suite());
        assertEquals(second, held.crl());
        assertEquals(java.math.BigInteger.TWO, held.number());
        assertEquals(second.getThisUpdate().toInstant(), held.thisUpdate());
        Instant nextUpdate = second.getNextUpdate().toInstant();
        assertEquals(nextUpdate, held.nextUpdate());
        assertEquals(nextUpdate.plus(Duration.ofHours(1)), held.currentUntil());
    }
}
