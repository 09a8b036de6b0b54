package credit.exchange.routes.report;

import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;

/**
 * The credit report API (信用报告): {@code GET /api/v1/reports/{uscc}} issues a legal person's report,
 * {@code POST /api/v1/reports/by-person} a natural person's (the resident ID number in the body only,
 * never in a URL), each as a signed PDF or as JSON by the request's {@code Accept} (or
 * {@code format=pdf|json}); {@code GET /api/v1/reports/{number}/verification} answers anyone the
 * issuing node's signed statement of a report's digest, which its QR code leads to. Doors in
 * DoorPolicy: issuing needs a reader role; verification is open.
 */
public final class ReportRoutes extends ApiRouteBuilder {

    /** Body of a person's report. */
    public record PersonReport(String residentId, String purpose, String authorisation, String format) {
    }

    private final CreditReports reports;
    private final Authenticator authenticator;
    private final SubjectAuthorisations authorisations;

    public ReportRoutes(CreditReports reports, Authenticator authenticator, SubjectAuthorisations authorisations) {
        this.reports = reports;
        this.authenticator = authenticator;
        this.authorisations = authorisations;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/reports").description("Alliance credit reports (信用报告): issued, signed, verifiable by anyone")
                .get("/{uscc}").id("report-issue").produces("application/pdf,application/json")
                    .description("Issues a legal person's credit report: this node's records the caller may read and, with alliance=true,"
                            + " the alliance partners' answers, each labelled with its source; a PDF signed by this node, or JSON")
                    .param().name("uscc").type(RestParamType.path).description("unified social credit code").endParam()
                    .param().name("purpose").type(RestParamType.query).required(true).description("why the report is asked for (查询用途)").endParam()
                    .param().name("authorisation").type(RestParamType.query).required(false)
                        .description("id of the subject's authorisation a class B read relies on").endParam()
                    .param().name("alliance").type(RestParamType.query).required(false).dataType("boolean").defaultValue("false")
                        .description("also ask every enabled alliance partner (the mutual query)").endParam()
                    .param().name("format").type(RestParamType.query).required(false)
                        .description("pdf or json; default by Accept, PDF for anything else").endParam()
                    .responseMessage(answers(200, "the report: application/pdf (signed), or application/json (the report's content);"
                            + " header X-Report-Number"))
                    .to("direct:report-issue")
                .post("/by-person").id("report-issue-by-person").consumes("application/json").produces("application/pdf,application/json")
                    .description("Issues a natural person's credit report from this node's records; the resident ID number travels in the body")
                    .responseMessage(answers(200, "the report, as for a legal person"))
                    .to("direct:report-issue-by-person")
                .get("/{number}/verification").id("report-verification").produces("application/json")
                    .description("The issuing node's signed statement of a report it issued: number, time, format and the digest of its bytes")
                    .param().name("number").type(RestParamType.path).description("the report number printed on the report").endParam()
                    .responseMessage(answers(200, "{number, node, issuedAt, format, digestAlgorithm, digest, statement: base64 CMS}"))
                    .to("direct:report-verification");

        from("direct:report-issue").routeId("report-issue").process(e -> {
            Caller caller = authenticator.caller(e);
            var in = e.getMessage();
            String purpose = in.getHeader("purpose", String.class);
            String authorisation = in.getHeader("authorisation", String.class);
            issue(e, new CreditReports.Request(in.getHeader("uscc", String.class), null, basis(purpose, authorisation), blank(authorisation),
                    Boolean.parseBoolean(in.getHeader("alliance", "false", String.class).strip()),
                    format(in.getHeader("format", String.class), in.getHeader("Accept", String.class))), caller);
        });
        from("direct:report-issue-by-person").routeId("report-issue-by-person").process(e -> {
            Caller caller = authenticator.caller(e);
            PersonReport body;
            try {
                body = Json.mapper().readValue(e.getMessage().getBody(String.class), PersonReport.class);
            } catch (IOException | IllegalArgumentException ex) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the body must be JSON like {\"residentId\": \"...\", \"purpose\": \"...\"}");
            }
            if (body == null || body.residentId() == null || body.residentId().isBlank()) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "residentId missing");
            }
            issue(e, new CreditReports.Request(null, body.residentId(), basis(body.purpose(), body.authorisation()),
                    blank(body.authorisation()), false, format(body.format(), e.getMessage().getHeader("Accept", String.class))), caller);
        });
        from("direct:report-verification").routeId("report-verification").process(e -> {
            String number = e.getMessage().getHeader("number", String.class);
            ReportRegister.Registered r = reports.register().find(number).orElseThrow(() -> new CodedException(ErrorCode.E_REPORT_UNKNOWN,
                    "this node issued no credit report numbered '" + number + "'"));
            answer(e, 200, verification(r));
        });
    }

    /** What the verification endpoint answers of a registered report: its statement, in its fields and signed. */
    static Map<String, Object> verification(ReportRegister.Registered r) {
        ReportStatement s = ReportStatement.parse(signedText(r.statement()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("number", s.number());
        body.put("node", s.node());
        body.put("issuedAt", s.issuedAt().toString());
        body.put("format", s.format());
        body.put("digestAlgorithm", s.digestAlgorithm());
        body.put("digest", java.util.HexFormat.of().formatHex(s.digest()));
        body.put("statement", Base64.getEncoder().encodeToString(r.statement()));
        return body;
    }

    /** The statement text a signed statement carries (the node's own, read back from its register). */
    private static byte[] signedText(byte[] signed) {
        try {
            Object content = new org.bouncycastle.cms.CMSSignedData(signed).getSignedContent().getContent();
            return (byte[]) content;
        } catch (org.bouncycastle.cms.CMSException e) {
            throw new IllegalStateException("the register holds an unreadable statement", e);
        }
    }

    private void issue(Exchange exchange, CreditReports.Request request, Caller caller) {
        CreditReports.Issued issued = reports.issue(caller, request);
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, issued.format() == CreditReports.Format.PDF ? "application/pdf"
                : "application/json; charset=utf-8");
        out.setHeader("Content-Disposition", (issued.format() == CreditReports.Format.PDF ? "attachment" : "inline")
                + "; filename=\"credit-report-" + issued.number() + "." + issued.format().name().toLowerCase(Locale.ROOT) + "\"");
        out.setHeader("X-Report-Number", issued.number());
        out.setHeader("Cache-Control", "no-store");
        out.setBody(issued.bytes());
    }

    private LocalQueryService.Basis basis(String purpose, String authorisationId) {
        return new LocalQueryService.Basis(purpose == null ? null : purpose.strip(), authorisations.named(blank(authorisationId)), Set.of());
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** PDF unless asked for JSON: by {@code format}, else by the first of PDF and JSON the Accept header names. */
    static CreditReports.Format format(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "pdf" -> CreditReports.Format.PDF;
                case "json" -> CreditReports.Format.JSON;
                default -> throw new CodedException(ErrorCode.E_FIELD_INVALID, "format is pdf or json");
            };
        }
        String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        int json = a.indexOf("application/json");
        int pdf = a.indexOf("application/pdf");
        return json >= 0 && (pdf < 0 || json < pdf) ? CreditReports.Format.JSON : CreditReports.Format.PDF;
    }
}
