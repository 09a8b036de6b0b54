package credit.exchange.routes.report;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** STUB until the PDF work lands. */
public final class ReportSignature {
    public record Signed(byte[] signedContent, byte[] cms, String reportNumber, String issuingNode, String verificationUrl) {
    }

    public static byte[] sign(byte[] pdf, Function<byte[], byte[]> signer, String name, String reason, Instant at) {
        return pdf;
    }

    public static Signed read(byte[] pdf) {
        throw new UnsupportedOperationException();
    }
}
