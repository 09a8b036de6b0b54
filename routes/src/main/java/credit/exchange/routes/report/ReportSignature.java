package credit.exchange.routes.report;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import java.util.function.Function;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;

/**
 * The issuing node's signature of a credit report's PDF, and reading it back. One PDF signature,
 * PAdES Basic (ETSI TS 102 778-2): Filter {@code Adobe.PPKLite}, SubFilter {@code adbe.pkcs7.detached},
 * its {@code /Contents} the CMS detached SignedData (in the node's suite) of the bytes its ByteRange
 * names: the whole file but the {@code /Contents} value itself. A reader finds the issuer, the
 * report number and where to verify it in the document information (docs/protocol.md, "Credit reports").
 */
public final class ReportSignature {

    /** Room kept for the SignedData: a node's GM or INTL signature with its certificate takes 1–3 KB. */
    static final int RESERVED_BYTES = 16 * 1024;

    private ReportSignature() {
    }

    /**
     * A report's signature as the PDF carries it, not yet verified: verify {@code cms} over
     * {@code signedContent} (e.g. {@code StatementVerifier.verifyDetached(cms, signedContent)}).
     *
     * @param signedContent the bytes the ByteRange covers, concatenated
     * @param cms the DER SignedData, without the padding of its reserved room
     * @param signerName the signature's /Name
     * @param signingTime the signature's /M, null when it has none (the SignedData's signing time is the one to rely on)
     */
    public record Signed(byte[] signedContent, byte[] cms, String reportNumber, String issuingNode, String verificationUrl,
                         String signerName, Instant signingTime) {
    }

    /**
     * Adds one signature to an unsigned report, saved incrementally: {@code detachedSigner} gets the
     * ByteRange's bytes and returns the DER CMS detached SignedData over them (in production
     * {@code Envelopes::signDetached}).
     */
    public static byte[] sign(byte[] unsignedPdf, Function<byte[], byte[]> detachedSigner, String signerName, String reason,
                              Instant signingTime) {
        try (PDDocument document = Loader.loadPDF(unsignedPdf); SignatureOptions options = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            signature.setName(signerName);
            signature.setReason(reason);
            GregorianCalendar time = new GregorianCalendar(TimeZone.getTimeZone(ReportPdf.CHINA));
            time.setTimeInMillis(signingTime.toEpochMilli());
            signature.setSignDate(time);
            options.setPreferredSignatureSize(RESERVED_BYTES);
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream(unsignedPdf.length + 2 * RESERVED_BYTES + 4096);
            ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
            byte[] cms = detachedSigner.apply(external.getContent().readAllBytes());
            if (cms.length > RESERVED_BYTES) {
                throw new CodedException(ErrorCode.E_INTERNAL, "the report's signature takes " + cms.length + " bytes, more than the "
                        + RESERVED_BYTES + " kept for it");
            }
            external.setSignature(cms);
            return out.toByteArray();
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the report could not be signed", e);
        }
    }

    /**
     * Reads a signed report's one signature and what the verifier needs, refusing what is not a PDF
     * ({@code E_MALFORMED}), a PDF with no signature or more than one, and one changed after it was
     * signed: bytes appended or an incremental update, which the ByteRange then does not cover
     * ({@code E_SIGNATURE_INVALID}). Throws nothing but {@link CodedException}.
     */
    public static Signed read(byte[] pdf) {
        if (pdf == null || pdf.length < 8 || !new String(pdf, 0, 5, StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the report is not a PDF");
        }
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<PDSignature> signatures = document.getSignatureDictionaries();
            if (signatures.isEmpty()) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report carries no signature");
            }
            if (signatures.size() > 1) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report carries " + signatures.size()
                        + " signatures; an issued report carries its node's one");
            }
            PDSignature signature = signatures.get(0);
            if (!PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName().equals(signature.getSubFilter())) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature is of SubFilter " + signature.getSubFilter()
                        + ", not adbe.pkcs7.detached");
            }
            int[] range = signature.getByteRange();
            byte[] cms = contents(pdf, range, signature.getContents());
            byte[] signedContent = new byte[range[1] + range[3]];
            System.arraycopy(pdf, 0, signedContent, 0, range[1]);
            System.arraycopy(pdf, range[2], signedContent, range[1], range[3]);
            PDDocumentInformation info = document.getDocumentInformation();
            Calendar time = signature.getSignDate();
            return new Signed(signedContent, cms, required(info, ReportPdf.REPORT_NUMBER), required(info, ReportPdf.ISSUING_NODE),
                    required(info, ReportPdf.VERIFICATION_URL), signature.getName() == null ? "" : signature.getName(),
                    time == null ? null : time.toInstant());
        } catch (CodedException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the report is not a readable PDF");
        }
    }

    /**
     * The SignedData in the ByteRange's hole, which must be the signature's /Contents: the range
     * starts at the file's first byte, leaves out exactly one hex string, and ends at its last byte.
     */
    private static byte[] contents(byte[] pdf, int[] range, byte[] parsed) {
        if (range == null || range.length != 4 || range[0] != 0 || range[1] <= 0 || range[3] < 0 || range[2] <= range[1] + 1
                || (long) range[2] + range[3] > pdf.length || pdf[range[1]] != '<' || pdf[range[2] - 1] != '>') {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature covers no well-formed byte range");
        }
        if ((long) range[2] + range[3] != pdf.length) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report was changed after it was signed");
        }
        byte[] hole = hex(pdf, range[1] + 1, range[2] - 1);
        if (parsed == null || !Arrays.equals(hole, parsed)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's byte range does not leave out its signature's contents");
        }
        return der(hole);
    }

    private static byte[] hex(byte[] pdf, int from, int to) {
        if ((to - from) % 2 != 0) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature contents are not a hex string");
        }
        byte[] out = new byte[(to - from) / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(pdf[from + 2 * i], 16);
            int low = Character.digit(pdf[from + 2 * i + 1], 16);
            if (high < 0 || low < 0) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature contents are not a hex string");
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }

    /** The DER SignedData at the start of the reserved room: its length from its own header, the rest zeros. */
    static byte[] der(byte[] room) {
        if (room.length < 2 || room[0] != 0x30) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature contents are not a DER SignedData");
        }
        int first = room[1] & 0xFF;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int count = first & 0x7F;
            if (count == 0 || count > 4 || room.length < 2 + count) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature contents have no definite DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | (room[2 + i] & 0xFF);
            }
            header = 2 + count;
        }
        long total = header + length;
        if (total > room.length) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature is longer than its contents");
        }
        for (int i = (int) total; i < room.length; i++) {
            if (room[i] != 0) {
                throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report's signature contents hold more than one DER value");
            }
        }
        return Arrays.copyOf(room, (int) total);
    }

    private static String required(PDDocumentInformation info, String key) {
        String value = info.getCustomMetadataValue(key);
        if (value == null || value.isBlank()) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the PDF is not an alliance credit report: its document information has no "
                    + key);
        }
        return value;
    }
}
