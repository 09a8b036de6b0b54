package credit.exchange.routes.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.auth.DevIssuer;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.envelope.Envelopes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.RestParamType;

/**
 * The security officers' console (审计控制台) at {@code /console} and the API it reads, under
 * {@code /api/v1/audit}; beside it, the records view (信用记录查询, {@code /console/records.html}) for
 * people who read records, which signs in the same way and calls the records API with its reader's
 * token. Both pages are in Chinese by default (English selectable), every label from one message
 * catalogue ({@code console/messages.js}). The console is a static page that signs its officer in at the realm
 * (authorisation code with PKCE, client {@code officer-console}; the development issuer on a node
 * without a realm) and calls the API with the officer's bearer token. Every API call needs the
 * auditor role (its doors in {@link credit.exchange.security.access.DoorPolicy}); anyone else is
 * refused at the door, sees nothing, and the refusal is an audit event. The console's sign-in (a session it opens) and
 * every bundle or CSV file it exports are audit events too.
 *
 * <p>Searches: a time range and any of partner, subject (a USCC or resident ID number, turned into
 * its store key here, so that a person's number is never searched for or kept in the clear),
 * action and decision; every value is a bound parameter, and the page renders values as text.
 */
public final class ConsoleRoutes extends ApiRouteBuilder {

    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** The one time zone the console shows and reads times in, named on the page (China has kept +08:00 all year since 1991). */
    static final String ZONE = "Asia/Shanghai";
    static final String ZONE_OFFSET = "+08:00";
    private static final Set<String> DECISIONS = Set.of("ALLOW", "DENY");
    /**
     * The console's files: name → content type. Nothing else under /console is served. Two pages, the
     * audit console (index.html) and the records view (records.html), share the message catalogue
     * (messages.js), the sign-in (session.js) and the style sheet.
     */
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("index.html", "text/html; charset=utf-8"),
            Map.entry("records.html", "text/html; charset=utf-8"),
            Map.entry("messages.js", "text/javascript; charset=utf-8"),
            Map.entry("session.js", "text/javascript; charset=utf-8"),
            Map.entry("console.js", "text/javascript; charset=utf-8"),
            Map.entry("records.js", "text/javascript; charset=utf-8"),
            Map.entry("partners.js", "text/javascript; charset=utf-8"),
            Map.entry("console.css", "text/css; charset=utf-8"),
            Map.entry("partners.css", "text/css; charset=utf-8"));

    /**
     * Where the console signs officers in, what an evidence export needs, and how long a checkpoint
     * may wait for a partner's countersignature before the console shows that partner as behind.
     */
    public record Settings(String node, String issuer, String clientId, Optional<Envelopes> checkpointSigner, int chainBatch,
                           String crlsPem, Duration countersignGrace) {
    }

    private final Settings settings;
    private final Authenticator authenticator;
    private final AuditStore store;
    private final AuditWriter writer;
    private final AuditSearch search;
    private final ChainMonitor monitor;
    private final UnaryOperator<String> subjectKeys;
    private final AuditExport exports;

    /** @param subjectKeys a USCC or resident ID number → its store key (E_IDENTIFIER_INVALID for anything else) */
    public ConsoleRoutes(Settings settings, Authenticator authenticator, AuditStore store, AuditWriter writer,
                         AuditSearch search, ChainMonitor monitor, UnaryOperator<String> subjectKeys) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.store = store;
        this.writer = writer;
        this.search = search;
        this.monitor = monitor;
        this.subjectKeys = subjectKeys;
        this.exports = new AuditExport(search, writer, settings.node());
    }

    @Override
    protected void configureApi() {
        from("platform-http:/console?matchOnUriPrefix=true&httpMethodRestrict=GET").routeId("console-page").process(this::page);

        rest("/api/v1/audit").description("The audit trail, for security officers (auditor role)")
                .post("/sessions").id("audit-session").produces("application/json")
                    .description("Opens a console session: checks the auditor role and records the sign-in")
                    .responseMessage(answers(200, "{user, node}")).to("direct:audit-session")
                .get("/events").id("audit-events").produces("application/json,text/csv")
                    .description("Chained events by time range, partner, subject, action and decision, newest first; with format=csv,"
                            + " every one of them as a CSV file")
                    .param(search("from", "ISO-8601 instant; default: 24 hours before 'to'")).param(search("to", "ISO-8601 instant; default: now"))
                    .param(search("partner", "a partner's node id")).param(search("subject", "a subject's code (USCC or resident ID)"))
                    .param(search("action", "e.g. query, import, door")).param(search("decision", "ALLOW or DENY"))
                    .param(search("before", "the nextBefore of the previous page")).param(search("limit", "events per page, default 100"))
                    .param(search("format", "json (default) or csv"))
                    .responseMessage(answers(200, "{events: [...], nextBefore, total}: one page of events, and how many match in all;"
                            + " with format=csv (or Accept: text/csv first): every matching event, at most " + AuditExport.MAX_ROWS
                            + " (more: 400 E_EXPORT_TOO_LARGE), as a CSV attachment (UTF-8 with BOM, CRLF, Chinese headers, times in"
                            + " Asia/Shanghai; a cell starting with = + - @, tab or CR is prefixed with an apostrophe), an export event"))
                    .to("direct:audit-events")
                .get("/events/{seq}").id("audit-event").produces("application/json")
                    .description("One event with its hashes and the checkpoint that covers it")
                    .responseMessage(answers(200, "the event, its hashes and the checkpoint covering it")).to("direct:audit-event")
                .get("/status").id("audit-status").produces("application/json")
                    .description("The chain's head and its last full verification")
                    .responseMessage(answers(200, "{node, headSeq, headHash, intact, firstBreak, verifiedAt, checkpoints, countersignedBy, ...}"))
                    .to("direct:audit-status")
                .post("/verification").id("audit-verification").produces("application/json")
                    .description("Verifies the whole chain now")
                    .responseMessage(answers(200, "the chain's status after a full verification, as GET /status answers it"))
                    .to("direct:audit-verification")
                .get("/charts").id("audit-charts").produces("application/json")
                    .description("Queries per partner per hour, denials by reason")
                    .param(search("from", "ISO-8601 instant")).param(search("to", "ISO-8601 instant"))
                    .responseMessage(answers(200, "the charts' series for the time range")).to("direct:audit-charts")
                // a ZIP, or a refusal in JSON (ApiError)
                .get("/bundle").id("audit-bundle").produces("application/zip,application/json")
                    .description("The current search as an evidence bundle")
                    .param(search("from", "ISO-8601 instant")).param(search("to", "ISO-8601 instant"))
                    .param(search("partner", "a partner's node id")).param(search("subject", "a subject's code"))
                    .param(search("action", "an action")).param(search("decision", "ALLOW or DENY"))
                    .responseMessage(answers(200, "a ZIP evidence bundle: the events, their checkpoints and what verifies them offline"))
                    .to("direct:audit-bundle");

        from("direct:audit-session").routeId("audit-session").process(e -> {
            Caller caller = officer(e);
            writer.append(List.of(AuditEvent.by(caller, AuditEvent.Action.LOGIN).decision(AuditEvent.Decision.ALLOW).reason("AUDITOR")
                    .detail("officer console").build()));
            answer(e, 200, Map.of("user", caller.name(), "node", settings.node()));
        });
        from("direct:audit-events").routeId("audit-events").process(e -> {
            Caller caller = officer(e);
            if (CsvExport.asked(text(e, "format"), e.getMessage().getHeader("Accept", String.class))) {
                AuditExport.Exported file = exports.export(caller, criteria(e));
                CsvExport.answer(e, file.filename(), file.csv());
                return;
            }
            Optional<Long> before = Optional.ofNullable(text(e, "before")).map(v -> number(v, "before"));
            String limit = text(e, "limit");
            AuditSearch.Criteria criteria = criteria(e);
            AuditSearch.Page page = search.search(criteria, before, limit == null ? 100 : (int) number(limit, "limit"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("events", page.events().stream().map(ConsoleRoutes::listed).toList());
            body.put("nextBefore", page.nextBefore());
            body.put("total", search.count(criteria));
            answer(e, 200, body);
        });
        from("direct:audit-event").routeId("audit-event").process(e -> {
            officer(e);
            answer(e, 200, search.event(number(text(e, "seq"), "seq")));
        });
        from("direct:audit-status").routeId("audit-status").process(e -> {
            officer(e);
            answer(e, 200, status(monitor.latest()));
        });
        from("direct:audit-verification").routeId("audit-verification").process(e -> {
            officer(e);
            answer(e, 200, status(monitor.verifyNow()));
        });
        from("direct:audit-charts").routeId("audit-charts").process(e -> {
            officer(e);
            AuditSearch.Criteria c = criteria(e);
            answer(e, 200, search.charts(c.from(), c.to()));
        });
        from("direct:audit-bundle").routeId("audit-bundle").process(this::bundle);
    }

    /** The security officer reading the trail: its doors admit the auditor role only, and audit every refusal (DoorPolicy). */
    private Caller officer(Exchange exchange) {
        return authenticator.caller(exchange);
    }

    /** An event as the console's table lists it: its fields, and the exchange type of an exchange's event. */
    private static Map<String, Object> listed(AuditRecord event) {
        Map<String, Object> fields = Json.mapper().convertValue(event, new TypeReference<LinkedHashMap<String, Object>>() { });
        String type = AuditSearch.exchangeType(event);
        if (type != null) {
            fields.put("exchangeType", type);
        }
        return fields;
    }

    private void bundle(Exchange exchange) throws IOException {
        Caller caller = officer(exchange);
        AuditSearch.Criteria c = criteria(exchange);
        Path file = Files.createTempFile("evidence-", ".zip");
        try {
            EvidenceBundle.Exported exported = new AuditRetention(store).exportEvidence(settings.checkpointSigner(), settings.chainBatch(), c.from(), c.to(),
                    new EvidenceBundle.Filter(c.action(), c.partner(), null, c.subjectKey(), c.decision()), settings.crlsPem(),
                    AuditEvent.ActorKind.of(caller.kind()), caller.name(), file);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/zip");
            exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"audit-" + settings.node() + "-"
                    + exported.firstSeq() + "-" + exported.lastSeq() + ".zip\"");
            exchange.getMessage().setHeader("Cache-Control", "no-store");
            exchange.getMessage().setBody(Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** An optional query parameter of the trail's search, for the API contract. */
    private static ParamDefinition search(String name, String meaning) {
        return new ParamDefinition().name(name).type(RestParamType.query).required(false).description(meaning);
    }

    private AuditSearch.Criteria criteria(Exchange exchange) {
        Instant to = Optional.ofNullable(text(exchange, "to")).map(v -> instant(v, "to")).orElseGet(() -> Instant.now().plusSeconds(60));
        Instant from = Optional.ofNullable(text(exchange, "from")).map(v -> instant(v, "from")).orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the search's 'from' must be before its 'to'");
        }
        String decision = Optional.ofNullable(text(exchange, "decision")).map(d -> d.toUpperCase(Locale.ROOT)).orElse(null);
        if (decision != null && !DECISIONS.contains(decision)) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a decision is ALLOW or DENY");
        }
        String subject = text(exchange, "subject");
        return new AuditSearch.Criteria(from, to, text(exchange, "partner"), subject == null ? null : subjectKeys.apply(subject),
                text(exchange, "action"), decision);
    }

    private Map<String, Object> status(ChainMonitor.Status status) {
        AuditVerifier.Verification v = status.verification();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", settings.node());
        v.head().ifPresent(h -> {
            body.put("algorithm", h.algorithm());
            body.put("headSeq", h.seq());
            body.put("headHash", HexFormat.of().formatHex(h.hash()));
        });
        body.put("pending", v.pending());
        body.put("verifiedAt", status.verifiedAt());
        body.put("tookMillis", status.took().toMillis());
        body.put("intact", v.intact());
        // the events recomputed are those of the head read in the same snapshot (AuditVerifier.verify): fromSeq–headSeq
        body.put("verifiedEvents", v.result().verified());
        body.put("verifiedThroughSeq", v.result().lastGoodSeq());
        v.result().firstBreak().ifPresent(b -> body.put("firstBreak", Map.of("seq", b.seq(), "kind", b.kind().name(),
                "explanation", b.explanation())));
        body.put("checkpointProblems", v.checkpointProblems());
        body.put("checkpointsVerified", v.checkpoints());
        if (v.lastCheckpoint() > 0) {
            search.event(v.lastCheckpoint()).checkpoint().ifPresent(k -> body.put("lastVerifiedCheckpoint", k));
        }
        body.put("countersignedBy", v.countersignedBy());
        body.put("countersigning", search.countersigning(Instant.now(), settings.countersignGrace()));
        body.put("fromSeq", v.fromSeq());
        List<AuditRetention.Purge> purges = new AuditRetention(store).purges();
        if (!purges.isEmpty()) {
            AuditRetention.Purge last = purges.get(purges.size() - 1);
            body.put("purged", Map.of("throughSeq", last.throughSeq(), "archive", last.archive(), "archiveSha256", last.archiveSha256(),
                    "purgedAt", last.purgedAt()));
        }
        return body;
    }

    /** The page's files; {@code /console/config.json} tells it where to sign in. */
    private void page(Exchange exchange) {
        String path = URI.create(exchange.getMessage().getHeader(Exchange.HTTP_URI, "/console", String.class)).getPath();
        if (path.equals("/console")) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            exchange.getMessage().setHeader("Location", "/console/");
            exchange.getMessage().setBody("");
            return;
        }
        String name = path.startsWith("/console/") ? path.substring("/console/".length()) : "";
        name = name.isEmpty() ? "index.html" : name;
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' " + origin(settings.issuer())
                + "; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self' " + origin(settings.issuer()));
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        if (name.equals("config.json")) {
            answer(exchange, 200, Map.of("node", settings.node(), "issuer", issuerAsReached(exchange), "clientId", settings.clientId(),
                    "zone", ZONE, "zoneOffset", ZONE_OFFSET));
            return;
        }
        String type = FILES.get(name);
        if (type == null) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "the console has no file " + name);
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the build");
            }
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
            exchange.getMessage().setBody(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The issuer as the browser reaches it: a realm's URL as configured; the node's own development
     * issuer at the origin the console was loaded from (127.0.0.1 or localhost, a name or an
     * address), so that the sign-in form, its redirect and the token call stay on one origin.
     */
    private String issuerAsReached(Exchange exchange) {
        URI issuer = URI.create(settings.issuer());
        if (!DevIssuer.PATH.equals(issuer.getPath())) {
            return settings.issuer();
        }
        URI page = URI.create(exchange.getMessage().getHeader(Exchange.HTTP_URL, settings.issuer(), String.class));
        return page.getScheme() + "://" + page.getAuthority() + DevIssuer.PATH;
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getAuthority();
    }

    private static String text(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static long number(String value, String field) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "'" + field + "' must be a whole number");
        }
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "'" + field + "' must be an ISO-8601 instant, e.g. 2026-11-27T08:00:00Z");
        }
    }
}
