package credit.exchange.routes.report;

/** STUB until the PDF work lands. */
public final class ReportPdf {
    public static byte[] render(CreditReport report, ReportFont font) {
        return ("%PDF-1.7 stub " + report.number()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
