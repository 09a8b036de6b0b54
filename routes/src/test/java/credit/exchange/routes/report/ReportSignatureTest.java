package credit.exchange.routes.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.envelope.VerifiedContent;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A report signed by its node's key (Envelopes.signDetached, in the node's suite) reads back and
 * verifies as that node's, with the alliance CA alone; a changed byte anywhere, bytes appended or
 * an incremental update after signing, or no signature at all, are refused. For INTL a PDF
 * reader's own verifier (poppler's pdfsig) accepts the signature.
 */
class ReportSignatureTest {

    private static final Map<Suite, Alliance> ALLIANCES = new EnumMap<>(Suite.class);
    private static final Instant SIGNED_AT = Instant.parse("2026-12-07T07:04:06Z");

    @TempDir
    Path dir;

    /** One test alliance of a suite: its CA, Hangzhou's signer, and a verifier trusting the CA only. */
    record Alliance(Envelopes hangzhou, StatementVerifier verifier) {
        static synchronized Alliance of(Suite suite) {
            return ALLIANCES.computeIfAbsent(suite, s -> {
                AllianceCa ca = AllianceCa.init(s, "Test Alliance " + s + " Root", Duration.ofDays(365),
                        Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
                CertificateValidator validator = new CertificateValidator(List.of(ca.certificate()), List.of(ca.crl(Duration.ofDays(3))),
                        Clock.systemUTC());
                PeerTrust trust = (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
                Envelopes hangzhou = new Envelopes(ca.issueNode("hangzhou", Duration.ofDays(30)), trust,
                        new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC(), EnvelopePolicy.DEFAULT);
                return new Alliance(hangzhou, new StatementVerifier(validator));
            });
        }

        byte[] signedReport() {
            return ReportSignature.sign(ReportPdf.render(SampleReports.threePages(), ReportFont.find(Optional.empty())),
                    hangzhou::signDetached, "杭州市公共信用信息平台 (hangzhou)", "信用报告 " + SampleReports.NUMBER, SIGNED_AT);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void aSignedReport_readsBack_andVerifiesAsItsNodes_withTheAllianceCaAlone(Suite suite) {
        Alliance alliance = Alliance.of(suite);
        byte[] pdf = alliance.signedReport();

        ReportSignature.Signed signed = ReportSignature.read(pdf);
        VerifiedContent verified = alliance.verifier().verifyDetached(signed.cms(), signed.signedContent());

        assertEquals("hangzhou", AllianceProfile.nodeId(verified.signer()));
        assertEquals(suite, Suite.ofKey(verified.signer().getPublicKey()).orElseThrow());
        assertEquals(SampleReports.NUMBER, signed.reportNumber());
        assertEquals("hangzhou", signed.issuingNode());
        assertEquals("https://hangzhou.credit.example/verify/reports/" + SampleReports.NUMBER, signed.verificationUrl());
        assertEquals("杭州市公共信用信息平台 (hangzhou)", signed.signerName());
        assertEquals(SIGNED_AT, signed.signingTime());
        assertEquals(pdf.length - signed.signedContent().length, 2 + 2 * ReportSignature.RESERVED_BYTES,
                "the signed content is the whole file but the /Contents hex string");
        assertTrue(signed.cms().length < ReportSignature.RESERVED_BYTES / 4, "the SignedData with its certificate: " + signed.cms().length);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void aChangedByteInsideTheSignedRange_failsVerification(Suite suite) {
        Alliance alliance = Alliance.of(suite);
        byte[] pdf = alliance.signedReport();
        int stream = indexOf(pdf, "stream\n".getBytes(StandardCharsets.US_ASCII), 0);
        assertTrue(stream > 0 && stream < ReportSignature.read(pdf).signedContent().length / 2, "a page's content, signed");
        pdf[stream + 30] ^= 0x01;

        ReportSignature.Signed signed = ReportSignature.read(pdf);
        CodedException refused = assertThrows(CodedException.class,
                () -> alliance.verifier().verifyDetached(signed.cms(), signed.signedContent()));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused.code());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void aChangedByteInsideTheSignature_failsVerification(Suite suite) {
        Alliance alliance = Alliance.of(suite);
        byte[] pdf = alliance.signedReport();
        ReportSignature.Signed before = ReportSignature.read(pdf);
        int contents = indexOf(pdf, "/Contents <".getBytes(StandardCharsets.US_ASCII), 0) + "/Contents <".length();
        int lastSignatureByte = contents + 2 * (before.cms().length - 4); // inside the signature value, at the SignedData's end
        pdf[lastSignatureByte] = (byte) (pdf[lastSignatureByte] == '0' ? '1' : '0');

        ReportSignature.Signed signed = ReportSignature.read(pdf);
        assertArrayEquals(before.signedContent(), signed.signedContent(), "the signed range is untouched");
        CodedException refused = assertThrows(CodedException.class,
                () -> alliance.verifier().verifyDetached(signed.cms(), signed.signedContent()));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused.code());
    }

    @Test
    void bytesAppended_orAnIncrementalUpdateAfterSigning_areRefusedAsChangedAfterSigning() throws Exception {
        byte[] pdf = Alliance.of(Suite.GM).signedReport();
        byte[] appended = Arrays.copyOf(pdf, pdf.length + 1);
        appended[pdf.length] = '\n';
        assertChangedAfterSigning(appended);

        byte[] updated;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            document.getDocumentInformation().setCustomMetadataValue(ReportPdf.REPORT_NUMBER, "HZ-20261207-999999");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            updated = out.toByteArray();
        }
        assertTrue(updated.length > pdf.length, "an incremental update appends");
        assertChangedAfterSigning(updated);
    }

    @Test
    void anUnsignedReport_aReportSignedTwice_andWhatIsNoPdf_areRefused() {
        byte[] unsigned = ReportPdf.render(SampleReports.threePages(), ReportFont.find(Optional.empty()));
        CodedException none = assertThrows(CodedException.class, () -> ReportSignature.read(unsigned));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, none.code());
        assertEquals("the report carries no signature", none.getMessage());

        Alliance alliance = Alliance.of(Suite.INTL);
        byte[] twice = ReportSignature.sign(alliance.signedReport(), alliance.hangzhou()::signDetached, "x", "y", SIGNED_AT);
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, assertThrows(CodedException.class, () -> ReportSignature.read(twice)).code());

        for (byte[] notAPdf : List.of(new byte[0], "hello".getBytes(StandardCharsets.US_ASCII),
                "%PDF-1.7\n garbage".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(unsigned, unsigned.length / 3))) {
            CodedException refused = assertThrows(CodedException.class, () -> ReportSignature.read(notAPdf));
            assertTrue(refused.code() == ErrorCode.E_MALFORMED || refused.code() == ErrorCode.E_SIGNATURE_INVALID, refused.code() + ": "
                    + refused.getMessage());
        }
        assertEquals(ErrorCode.E_MALFORMED, assertThrows(CodedException.class,
                () -> ReportSignature.read("hello".getBytes(StandardCharsets.US_ASCII))).code());
    }

    @Test
    void theDerLength_framesTheSignedData_inItsZeroPaddedRoom() {
        byte[] room = new byte[300];
        room[0] = 0x30;
        room[1] = (byte) 0x81;
        room[2] = (byte) 200;
        Arrays.fill(room, 3, 203, (byte) 7);
        assertEquals(203, ReportSignature.der(room).length);
        room[250] = 1;
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, assertThrows(CodedException.class, () -> ReportSignature.der(room)).code());
        byte[] indefinite = {0x30, (byte) 0x80, 0, 0};
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, assertThrows(CodedException.class, () -> ReportSignature.der(indefinite)).code());
    }

    @Test
    void anIntlSignature_isValidForAPdfReadersVerifier_popplersPdfsig() throws Exception {
        Path pdf = Files.write(Files.createDirectories(Path.of("target", "report")).resolve("credit-report-signed-intl.pdf"),
                Alliance.of(Suite.INTL).signedReport()).toAbsolutePath();

        // -nocert: the alliance CA is unknown to NSS, so its certificate is not trusted; the signature itself is asserted
        Poppler.Result result = Poppler.run(dir, "pdfsig", "-nocert", pdf.toString());

        assertTrue(result.out().contains("Signature Validation: Signature is Valid."), result.out() + result.err());
        assertTrue(result.out().contains("adbe.pkcs7.detached"), result.out());
        assertTrue(result.out().contains("Total document signed"), "the signature covers the whole document: " + result.out());
    }

    private static void assertChangedAfterSigning(byte[] pdf) {
        CodedException refused = assertThrows(CodedException.class, () -> ReportSignature.read(pdf));
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused.code());
        assertEquals("the report was changed after it was signed", refused.getMessage());
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
