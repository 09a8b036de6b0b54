package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.cert.X509Extension;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AllianceCaTest {

    private static final char[] PASSPHRASE = "ca passphrase 联盟".toCharArray();
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @ParameterizedTest
    @EnumSource(Suite.class)
    void init_rootCertificate_isASelfSignedCaOfItsSuite(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Credit City Alliance Root", Duration.ofDays(3650), clock);
        X509Certificate root = ca.certificate();

        root.verify(root.getPublicKey(), Providers.bc());
        assertEquals(suite.signatureAlgorithmOid(), root.getSigAlgOID());
        assertEquals(suite, Suite.ofKey(root.getPublicKey()).orElseThrow());
        assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal());
        assertEquals("CN=Credit City Alliance Root,O=Credit City Alliance", root.getSubjectX500Principal().getName());
        assertEquals(0, root.getBasicConstraints(), "CA:true with path length 0: the hierarchy is flat");
        assertTrue(root.getCriticalExtensionOIDs().containsAll(Set.of(BASIC_CONSTRAINTS, KEY_USAGE)));
        boolean[] keyUsage = root.getKeyUsage();
        assertTrue(keyUsage[5] && keyUsage[6], "keyCertSign and cRLSign");
        assertFalse(keyUsage[0], "no digitalSignature");
        assertTrue(subjectKeyIdentifier(root).length > 0);
        assertEquals(NOW.minus(AllianceCa.BACKDATE), root.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(3650)), root.getNotAfter().toInstant());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void issueNode_certificate_followsTheNodeProfile(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650), clock);

        NodeCredentials node = ca.issueNode("huzhou", Duration.ofDays(365), List.of("localhost"));
        X509Certificate cert = node.certificate();

        cert.verify(ca.certificate().getPublicKey(), Providers.bc());
        assertEquals(suite.signatureAlgorithmOid(), cert.getSigAlgOID());
        assertEquals("CN=huzhou,O=Credit City Alliance", cert.getSubjectX500Principal().getName());
        assertEquals("huzhou", node.nodeId());
        assertEquals(suite, node.suite());
        assertEquals(-1, cert.getBasicConstraints(), "CA:false");
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(Set.of(BASIC_CONSTRAINTS, KEY_USAGE)));
        boolean[] keyUsage = cert.getKeyUsage();
        assertTrue(keyUsage[0], "digitalSignature");
        assertEquals(suite == Suite.GM, keyUsage[2], "keyEncipherment for GM");
        assertEquals(suite == Suite.INTL, keyUsage[4], "keyAgreement for INTL");
        assertFalse(keyUsage[5], "no keyCertSign");
        assertEquals(List.of("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "huzhou"), List.of(2, "localhost")), List.copyOf(cert.getSubjectAlternativeNames()));
        assertArrayEquals(subjectKeyIdentifier(ca.certificate()), authorityKeyIdentifier(cert));
        assertTrue(subjectKeyIdentifier(cert).length > 0);
        assertEquals(List.of(ca.certificate()), node.caChain());
        assertEquals(NOW.plus(Duration.ofDays(365)), cert.getNotAfter().toInstant());
    }

    @Test
    void issueNode_withoutHostNames_namesTheLoopbackByNameAndByAddress() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock);

        for (X509Certificate cert : List.of(ca.issueNode("huzhou", Duration.ofDays(365)).certificate(),
                ca.issueNode("huzhou", Duration.ofDays(365), List.of()).certificate())) {
            assertEquals(List.of(List.of(2, "huzhou"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                    List.copyOf(cert.getSubjectAlternativeNames()));
        }
    }

    @Test
    void issueNode_hostNamesGiven_replaceTheLoopback_andAnAddressIsAnIpAddressName() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock);

        X509Certificate cert = ca.issueNode("huzhou", Duration.ofDays(365), List.of("gateway.huzhou.example", "10.0.0.5", "::1"))
                .certificate();

        assertEquals(List.of(List.of(2, "huzhou"), List.of(2, "gateway.huzhou.example"), List.of(7, "10.0.0.5"),
                List.of(7, "0:0:0:0:0:0:0:1")), List.copyOf(cert.getSubjectAlternativeNames()));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.issueNode("huzhou", Duration.ofDays(365), List.of("Not A Host")));
    }

    @Test
    void issueNode_serials_areRandomPositiveAndAtMost128Bits() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock);
        Set<BigInteger> serials = new HashSet<>();
        int wide = 0;
        for (int i = 0; i < 40; i++) {
            BigInteger serial = ca.issueNode("node" + i, Duration.ofDays(1)).certificate().getSerialNumber();
            assertTrue(serial.signum() > 0 && serial.bitLength() <= 128, serial.toString(16));
            wide += serial.bitLength() > 120 ? 1 : 0;
            serials.add(serial);
        }
        assertEquals(40, serials.size());
        assertTrue(wide > 30, "serials use the full 128 bits");
        assertEquals(40, ca.issued().size());
    }

    @Test
    void issueNode_keyOfTheOtherSuite_isE_SUITE_MISMATCH() {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(3650), clock);

        assertCode(ErrorCode.E_SUITE_MISMATCH,
                () -> ca.issueNode("huzhou", Suite.INTL.generateKeyPair().getPublic(), Duration.ofDays(1), List.of()));
    }

    @Test
    void issueNode_validityBeyondTheCa_isE_FIELD_INVALID() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(30), clock);

        assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.issueNode("huzhou", Duration.ofDays(31)));
    }

    @Test
    void issueNode_byAnExpiredCa_isE_CERT_EXPIRED() throws Exception {
        AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(30), clock).save(dir, PASSPHRASE);
        AllianceCa later = AllianceCa.load(dir, PASSPHRASE, Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC));

        assertCode(ErrorCode.E_CERT_EXPIRED, () -> later.issueNode("huzhou", Duration.ofDays(1)));
    }

    @Test
    void issueNode_nodeIdOrDnsNameThatIsNoDnsName_isE_FIELD_INVALID() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(30), clock);

        for (String bad : List.of("", "Huzhou", "hu zhou", "-huzhou", "huzhou-", "hu_zhou", "湖州", "a..b", "x".repeat(64))) {
            assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.issueNode(bad, Duration.ofDays(1)));
        }
        assertCode(ErrorCode.E_FIELD_INVALID, () -> ca.issueNode("huzhou", Duration.ofDays(1), List.of("*.example")));
        assertEquals("gw1.huzhou", ca.issueNode("gw1.huzhou", Duration.ofDays(1)).nodeId());
    }

    @Test
    void revoke_serialThisCaNeverIssued_isE_NOT_FOUND() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(30), clock);

        assertCode(ErrorCode.E_NOT_FOUND, () -> ca.revoke(BigInteger.TEN, RevocationReason.KEY_COMPROMISE));
        assertCode(ErrorCode.E_NOT_FOUND, () -> ca.revoke(ca.certificate().getSerialNumber(), RevocationReason.CA_COMPROMISE));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void crl_isSignedByTheCa_listsRevocationsWithReasons_andNumbersIncrease(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650), clock);
        BigInteger compromised = ca.issueNode("jiaxing", Duration.ofDays(30)).certificate().getSerialNumber();
        BigInteger unspecified = ca.issueNode("shaoxing", Duration.ofDays(30)).certificate().getSerialNumber();
        BigInteger good = ca.issueNode("huzhou", Duration.ofDays(30)).certificate().getSerialNumber();
        X509CRL empty = ca.crl(Duration.ofDays(7));
        ca.revoke(compromised, RevocationReason.KEY_COMPROMISE);
        ca.revoke(unspecified, RevocationReason.UNSPECIFIED);
        ca.revoke(compromised, RevocationReason.SUPERSEDED); // a second revocation keeps the first

        X509CRL crl = ca.crl(Duration.ofDays(7));

        crl.verify(ca.certificate().getPublicKey(), Providers.bc());
        assertEquals(suite.signatureAlgorithmOid(), crl.getSigAlgOID());
        assertEquals(2, crl.getVersion());
        assertEquals(NOW, crl.getThisUpdate().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(7)), crl.getNextUpdate().toInstant());
        assertEquals(BigInteger.ONE, crlNumber(empty));
        assertEquals(BigInteger.TWO, crlNumber(crl));
        assertArrayEquals(subjectKeyIdentifier(ca.certificate()), authorityKeyIdentifier(crl));
        assertNull(empty.getRevokedCertificates());
        assertEquals(2, crl.getRevokedCertificates().size());
        assertEquals(CRLReason.keyCompromise, reasonCode(crl.getRevokedCertificate(compromised)));
        assertNull(crl.getRevokedCertificate(unspecified).getExtensionValue(Extension.reasonCode.getId()),
                "RFC 5280: no reason code when the reason is unspecified");
        assertNull(crl.getRevokedCertificate(good));
        assertEquals(crl, ca.latestCrl().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void saveAndLoad_roundTrip_keepsKeyCertificateIssuedRevokedAndCrlNumbering(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Root", Duration.ofDays(3650), clock);
        BigInteger revokedSerial = ca.issueNode("jiaxing", Duration.ofDays(30)).certificate().getSerialNumber();
        ca.issueNode("huzhou", Duration.ofDays(30));
        ca.revoke(revokedSerial, RevocationReason.AFFILIATION_CHANGED);
        X509CRL crl = ca.crl(Duration.ofDays(7));

        ca.save(dir, PASSPHRASE);
        AllianceCa loaded = AllianceCa.load(dir, PASSPHRASE, clock);

        assertEquals(suite, loaded.suite());
        assertEquals(ca.certificate(), loaded.certificate());
        assertEquals(ca.issued(), loaded.issued());
        assertEquals(ca.revoked(), loaded.revoked());
        assertTrue(loaded.isRevoked(revokedSerial));
        assertEquals(crl, loaded.latestCrl().orElseThrow());
        // the loaded CA signs with the same key, and its CRL numbering continues
        loaded.issueNode("shaoxing", Duration.ofDays(30)).certificate().verify(ca.certificate().getPublicKey(), Providers.bc());
        assertEquals(BigInteger.valueOf(2), crlNumber(loaded.crl(Duration.ofDays(7))));
        for (String name : List.of("ca.key.pem", "ca.cert.pem", "issued.txt", "revoked.txt", "crlnumber", "crl.pem")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
    }

    @Test
    void save_caKeyFile_isEncryptedAndOwnerReadWriteOnly() throws Exception {
        AllianceCa ca = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(3650), clock);

        ca.save(dir, PASSPHRASE);

        Path key = dir.resolve("ca.key.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    }

    @Test
    void load_wrongPassphrase_isE_MALFORMED() throws Exception {
        AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock).save(dir, PASSPHRASE);

        assertCode(ErrorCode.E_MALFORMED, () -> AllianceCa.load(dir, "not it".toCharArray()));
    }

    @Test
    void load_keyOfAnotherCa_isE_MALFORMED() throws Exception {
        AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock).save(dir, PASSPHRASE);
        Path other = dir.resolve("other");
        AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock).save(other, PASSPHRASE);
        Files.copy(other.resolve("ca.key.pem"), dir.resolve("ca.key.pem"), StandardCopyOption.REPLACE_EXISTING);

        assertCode(ErrorCode.E_MALFORMED, () -> AllianceCa.load(dir, PASSPHRASE));
    }

    @Test
    void load_damagedStateFile_isE_MALFORMED() throws Exception {
        AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock).save(dir, PASSPHRASE);
        Files.writeString(dir.resolve("revoked.txt"), "zz-not-hex\t2026-01-01T00:00:00Z\tKEY_COMPROMISE\n");

        assertCode(ErrorCode.E_MALFORMED, () -> AllianceCa.load(dir, PASSPHRASE));
    }

    @Test
    void toString_showsNoKey() {
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Root", Duration.ofDays(3650), clock);
        String text = ca.toString();

        assertTrue(text.contains("redacted"), text);
        assertFalse(text.contains(((ECPrivateKey) ca.privateKey()).getS().toString(16)));
    }

    @Test
    void init_emptyOrOverlongName_orNonPositiveValidity_isE_FIELD_INVALID() {
        assertCode(ErrorCode.E_FIELD_INVALID, () -> AllianceCa.init(Suite.GM, " ", Duration.ofDays(1)));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> AllianceCa.init(Suite.GM, "x".repeat(65), Duration.ofDays(1)));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> AllianceCa.init(Suite.GM, "Root", Duration.ZERO));
        assertNotEquals(null, AllianceCa.init(Suite.GM, "信用城市联盟根证书", Duration.ofDays(1)));
    }

    static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(octets(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
                .getKeyIdentifier();
    }

    static byte[] authorityKeyIdentifier(X509Extension holder) {
        return AuthorityKeyIdentifier.getInstance(octets(holder.getExtensionValue(Extension.authorityKeyIdentifier.getId())))
                .getKeyIdentifierOctets();
    }

    static BigInteger crlNumber(X509CRL crl) {
        return ASN1Integer.getInstance(octets(crl.getExtensionValue(Extension.cRLNumber.getId()))).getValue();
    }

    private static int reasonCode(X509CRLEntry entry) {
        return CRLReason.getInstance(octets(entry.getExtensionValue(Extension.reasonCode.getId()))).getValue().intValue();
    }

    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }
}
