package credit.exchange.routes.report;

import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.VerifiedContent;
import credit.exchange.security.pki.AllianceProfile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a credit report PDF as anyone holding it can (docs/protocol.md, "Credit reports"): its PDF
 * signature covers the whole file but the signature itself, verifies under the alliance CA, and is
 * the key of the node the report names as its issuer; then, where the issuer's register can be
 * asked, that the node issued a report of this number and that its signed statement carries this
 * file's digest. Every refusal is a {@link CodedException}: E_MALFORMED, E_SIGNATURE_INVALID,
 * E_CERT_*, E_REPORT_UNKNOWN.
 */
public final class ReportVerification {

    /**
     * A report that verified.
     *
     * @param registered the issuer's statement of the report, when its register was asked; empty when it was not
     */
    public record Verified(String number, String node, X509Certificate signer, Optional<ReportStatement> registered) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ReportVerification() {
    }

    /**
     * The issuer's register as anyone reaches it: the report's verification link (its public endpoint),
     * answering the signed statement of a report it issued, or E_REPORT_UNKNOWN (empty) for a number it never issued.
     */
    public static Optional<byte[]> askLink(String verificationUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(verificationUrl)).timeout(Duration.ofSeconds(20))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the issuer's register at " + verificationUrl + " answered HTTP "
                        + r.statusCode());
            }
            return Optional.of(Base64.getDecoder().decode(Json.mapper().readTree(r.body()).path("statement").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the issuer's register at " + verificationUrl + " cannot be asked: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "interrupted while asking " + verificationUrl);
        }
    }

    /**
     * @param register the issuer's signed statement of a report number (its verification endpoint, or its database on
     *        the issuer's host); {@code null} not to ask it (offline)
     */
    public static Verified verify(byte[] pdf, StatementVerifier trust, Function<String, Optional<byte[]>> register) {
        ReportSignature.Signed signed = ReportSignature.read(pdf);
        VerifiedContent content = trust.verifyDetached(signed.cms(), signed.signedContent());
        String signer = AllianceProfile.nodeId(content.signer());
        String issuer = signed.issuingNode();
        if (issuer == null || !issuer.equals(signer)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the report names " + issuer + " as its issuer but is signed with "
                    + signer + "'s key");
        }
        String number = signed.reportNumber();
        if (number == null || !number.startsWith(issuer + "-")) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the report carries no report number of " + issuer);
        }
        if (register == null) {
            return new Verified(number, issuer, content.signer(), Optional.empty());
        }
        byte[] statement = register.apply(number).orElseThrow(() -> new CodedException(ErrorCode.E_REPORT_UNKNOWN,
                issuer + " issued no credit report numbered " + number));
        VerifiedContent stated = trust.verify(statement, ExchangeAttributes.CREDIT_REPORT_STATEMENT);
        if (!issuer.equals(AllianceProfile.nodeId(stated.signer()))) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the register's statement is not signed by " + issuer);
        }
        ReportStatement s = ReportStatement.parse(stated.payload());
        if (!s.number().equals(number) || !s.node().equals(issuer)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the register answered a statement of another report");
        }
        if (!s.covers(pdf)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "this file is not report " + number + " as " + issuer
                    + " issued it: its digest differs from the one " + issuer + " registered");
        }
        return new Verified(number, issuer, content.signer(), Optional.of(s));
    }
}
