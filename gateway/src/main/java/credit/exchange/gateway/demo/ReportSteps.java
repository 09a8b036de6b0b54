package credit.exchange.gateway.demo;

import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.routes.report.ReportVerification;
import credit.exchange.security.CodedException;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.PemFiles;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's credit report (信用报告): Hangzhou issues a bid officer the alliance report of the demo's
 * enterprise, as a PDF signed by Hangzhou, which is then checked as a partner city would check it:
 * with the alliance CA certificates and Hangzhou's public verification link.
 */
final class ReportSteps {

    private final DemoAlliance alliance;
    private final DemoNarration narration;
    private final PrintStream out;
    /** Where the report was written, for the exploration hints; null until issued. */
    private Path issued;

    ReportSteps(DemoAlliance alliance, DemoNarration narration, PrintStream out) {
        this.alliance = alliance;
        this.narration = narration;
        this.out = out;
    }

    void showCreditReport(String uscc) throws Exception {
        narration.step("10. A bid officer at Hangzhou takes the alliance credit report (信用报告) of " + uscc
                + ": Hangzhou's records and every partner's answer, each with its source, in a PDF Hangzhou signs");
        Member hangzhou = DemoAlliance.member("hangzhou");
        String api = alliance.apiUrl(hangzhou);
        HttpResponse<byte[]> answer = DemoHttp.LOCAL.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/reports/" + uscc
                        + "?alliance=true&purpose=" + URLEncoder.encode("招投标审查 (tender review)", StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/pdf")
                .header("Authorization", DemoHttp.signedIn(api, "bid-officer", "reader-public")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String number = answer.headers().firstValue("X-Report-Number").orElse("");
        narration.expect(answer.statusCode() == 200 && !number.isEmpty(), "Hangzhou issued report " + number + " (HTTP "
                + answer.statusCode() + ")");
        if (answer.statusCode() != 200) {
            out.println("   " + new String(answer.body(), StandardCharsets.UTF_8));
            return;
        }
        Path file = alliance.root().resolve("reports").resolve("credit-report-" + number + ".pdf");
        Files.createDirectories(file.getParent());
        Files.write(file, answer.body());
        issued = file;
        out.printf("   report %s: %s (%d KB, PDF in Chinese, signed by hangzhou)%n", number, DemoNarration.shown(file),
                answer.body().length / 1024);
        List<X509Certificate> anchors = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        for (String suite : List.of("gm", "intl")) {
            anchors.addAll(PemFiles.readCertificates(alliance.root().resolve("pki/" + suite + "-ca/ca.cert.pem")));
            crls.add(PemFiles.readCrl(alliance.root().resolve("pki/" + suite + "-ca/crl.pem")));
        }
        try {
            ReportVerification.Verified v = ReportVerification.verify(answer.body(), new StatementVerifier(
                    new CertificateValidator(anchors, crls, Clock.systemUTC())), n -> ReportVerification.askLink(
                    api + "/api/v1/reports/" + n + "/verification"));
            out.println("   checked as a partner would: the signature under the alliance CA and its CRL, Hangzhou's register at its"
                    + " verification link");
            narration.expect(v.registered().isPresent() && v.node().equals("hangzhou"),
                    "the report verifies: signed by Hangzhou over the whole file, registered under its number with the same digest");
        } catch (CodedException refused) {
            narration.expect(false, "the report verifies (" + refused.code() + ": " + refused.getMessage() + ")");
        }
    }

    /** The report the demo issued, for the exploration hints. */
    Path issued() {
        return issued;
    }
}
