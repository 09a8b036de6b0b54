package credit.exchange.routes.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditTrail;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.mutualquery.MergedAnswer;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.query.RecordQuery;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Issues alliance credit reports (信用报告): the subject's records the caller may read — this node's
 * and, on request, the alliance partners' answers to a mutual query — as a PDF signed by this node,
 * or as JSON; registered under a report number with the node's signed statement of the report's
 * digest, which the public verification endpoint answers; and every report issued an audit event
 * naming the caller, the purpose and the classes shown. The access decisions are the local query's
 * and the mutual query's own: a report shows nothing the records API would not.
 */
public final class CreditReports {

    /** A report's two forms. */
    public enum Format {
        PDF("application/pdf"), JSON("application/json");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /**
     * @param nodeName the issuing node's name, as the report prints it
     * @param publicUrl where anyone reaches this node's API: the report's verification link is under it
     * @param font the CJK font file reports embed; empty: found among the usual system fonts
     */
    public record Settings(String node, String nodeName, String publicUrl, Optional<Path> font) {
    }

    /** A report asked for: a USCC or a resident ID number (never both), why, on which authorisation, with the alliance or not. */
    public record Request(String uscc, String residentId, LocalQueryService.Basis basis, String authorisationId, boolean alliance,
                          Format format) {
    }

    /** A report issued: its number, its bytes as answered, and its content. */
    public record Issued(String number, Format format, byte[] bytes, CreditReport report) {
    }

    /** The alliance partners' answers to a mutual query, for the caller: the node's mutual query route, or the operator's. */
    public interface Alliance {
        MergedAnswer ask(Caller caller, QueryRequest request);
    }

    /** The most records of this node one report holds; a subject with more is refused (E_EXPORT_TOO_LARGE), never cut short. */
    static final int MAX_RECORDS = 2_000;
    private static final int MAX_PURPOSE = 200;

    private final Settings settings;
    private final Database database;
    private final LocalQueryService local;
    private final ReportContents contents;
    private final Optional<Alliance> alliance;
    private final Function<String, JsonNode> recognitions;
    private final Envelopes signer;
    private final ReportRegister register;
    private final Clock clock;
    private volatile ReportFont font;

    /**
     * @param partnerNames a partner's node id → its name as readers are told it
     * @param recognitions a USCC → the enterprise's mutual recognition status (Recognitions#status)
     * @param signer this node's signing envelopes (its suite for audit checkpoints)
     */
    public CreditReports(Settings settings, Database database, LocalQueryService local, CategoryCatalogue catalogue,
                         UnaryOperator<String> partnerNames,
                         Optional<Alliance> alliance, Function<String, JsonNode> recognitions, Envelopes signer, Clock clock) {
        this.settings = settings;
        this.database = database;
        this.local = local;
        this.contents = new ReportContents(catalogue, partnerNames);
        this.alliance = alliance;
        this.recognitions = recognitions;
        this.signer = signer;
        this.register = new ReportRegister(database);
        this.clock = clock;
    }

    public ReportRegister register() {
        return register;
    }

    /** Issues the report: gathers, renders, signs, registers and audits it; the answer leaves only once it is registered. */
    public Issued issue(Caller caller, Request request) {
        String purpose = request.basis().purpose();
        if (purpose == null || purpose.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a credit report needs its purpose (查询用途), e.g. purpose=tender review");
        }
        if (purpose.length() > MAX_PURPOSE || purpose.chars().anyMatch(Character::isISOControl)) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a report's purpose is one line of at most " + MAX_PURPOSE + " characters");
        }
        boolean person = request.residentId() != null;
        if (person && request.alliance()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the mutual query asks partners about legal persons only:"
                    + " a person's report covers this node's records (alliance=false)");
        }
        RecordQuery query = person ? RecordQuery.residentId(request.residentId(), request.basis())
                : RecordQuery.uscc(request.uscc(), request.basis());
        // every record the caller may read here, under one set of access decisions; more than a report holds is refused, not cut
        RecordPage records = local.all(caller, query, MAX_RECORDS);
        String uscc = person ? null : request.uscc().strip().toUpperCase(Locale.ROOT);
        String subjectKey = local.subjectKey(caller, query).orElseThrow();
        Optional<MergedAnswer> answers = Optional.empty();
        if (request.alliance()) {
            Alliance partners = alliance.orElseThrow(() -> new CodedException(ErrorCode.E_UNAVAILABLE,
                    "this node asks no alliance partner: issue the report with alliance=false"));
            answers = Optional.of(partners.ask(caller, new QueryRequest(uscc, caller.name(), purpose, request.authorisationId(), null)));
        }
        Instant now = clock.instant();
        String number;
        try (Connection c = database.connection()) {
            number = ReportRegister.nextNumber(c, settings.node(), LocalDate.ofInstant(now, RecordStatus.PUBLICATION_ZONE));
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the report register does not answer; retry later", e);
        }
        CreditReport report = contents.build(new ReportContents.Heading(number, settings.node(), nameZh(settings.nodeName()), now, purpose,
                caller.name(), verificationUrl(number)), new ReportContents.Subject(uscc,
                person ? ResidentIdNumber.mask(request.residentId().strip().toUpperCase(Locale.ROOT)) : null), records, answers,
                uscc == null ? Optional.empty() : Optional.ofNullable(recognitions.apply(uscc)));
        byte[] bytes = request.format() == Format.PDF ? signedPdf(report) : json(report);
        ReportStatement statement = new ReportStatement(number, settings.node(), now, request.format().name(), signer.digestAlgorithm(),
                signer.digest(bytes));
        byte[] signedStatement = signer.signStatement(ExchangeAttributes.CREDIT_REPORT_STATEMENT, statement.text());
        ReportRegister.Registered registered = new ReportRegister.Registered(number, now, subjectKey, caller.kind().name(),
                caller.name(), purpose, report.classesShown(), request.alliance(), request.format().name(), signedStatement);
        try {
            database.inTransaction(c -> {
                ReportRegister.record(c, registered, statement);
                AuditTrail.pending(c, AuditEvent.by(caller, AuditEvent.Action.REPORT).at(now).subject(subjectKey).purpose(purpose)
                        .outcome(AuditEvent.Outcome.ISSUED).detail(detail(report, request)).build());
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the report could not be registered; retry later", e);
        }
        return new Issued(number, request.format(), bytes, report);
    }

    /**
     * A node's name as a report prints it: the Chinese name a partner file or {@code gateway.node.name}
     * gives in brackets ("Huzhou public credit platform (湖州市公共信用信息平台)"), else the name as given.
     */
    public static String nameZh(String name) {
        if (name == null) {
            return "";
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[(（]([^()（）]*\\p{IsHan}[^()（）]*)[)）]").matcher(name);
        return m.find() ? m.group(1).strip() : name.strip();
    }

    /** The verification link of a report number: the public endpoint that answers the node's signed statement. */
    public String verificationUrl(String number) {
        return settings.publicUrl().replaceAll("/+$", "") + "/api/v1/reports/" + number + "/verification";
    }

    private byte[] signedPdf(CreditReport report) {
        ReportFont f = font;
        if (f == null) {
            f = font = ReportFont.find(settings.font());
        }
        return ReportSignature.sign(ReportPdf.render(report, f), signer::signDetached, settings.node(),
                "信用报告 " + report.number(), report.issuedAt());
    }

    private static byte[] json(CreditReport report) {
        try {
            return Json.mapper().writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the audit event says of the report: its number and form, the classes shown, the partners asked and how they ended. */
    private static String detail(CreditReport report, Request request) {
        String partners = report.partners().stream().map(p -> p.node() + " " + p.outcome()).collect(Collectors.joining(", "));
        int entries = report.sections().stream().mapToInt(s -> s.code().equals("basic") ? 0 : s.entries().size()).sum();
        return "report " + report.number() + " (" + request.format() + "); classes shown " + (report.classesShown().isEmpty() ? "none"
                : report.classesShown()) + "; " + entries + " entries" + (request.alliance() ? "; alliance: " + partners : "");
    }
}
