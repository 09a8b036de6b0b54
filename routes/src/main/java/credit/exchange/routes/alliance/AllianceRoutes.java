package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The alliance's joint work through the API, for the node's operators (operator realm role):
 * {@code POST /api/v1/lists} records a red or black list entry; {@code POST /api/v1/sanctions}
 * issues its joint punishment or incentive notice to every alliance partner; {@code GET
 * /api/v1/sanctions[/{id}]} tracks them; {@code GET /api/v1/sanctions/received} lists the notices
 * partners sent, and {@code POST /api/v1/sanctions/received/{sender}/{id}/response} answers one
 * with the measures applied. {@code GET /api/v1/lists/{id}} shows an entry; {@code POST
 * /api/v1/lists/{id}/lift} lifts it (repaired or withdrawn) and tells every partner its notices went
 * to; entries past their publication end are lifted as EXPIRED on a period. {@code POST
 * /api/v1/recognitions} nominates a trusted enterprise to the alliance (诚信企业互认) with this
 * node's signed statement and {@code GET /api/v1/recognitions/{uscc}} shows where it stands; a
 * black-list entry or an imported black-list record withdraws every recognition of its enterprise,
 * here and at every partner (at once for an entry, within {@code blackListWatch} for an import).
 * {@code POST /api/v1/records/{id}/repair} repairs or withdraws a record (信用修复) and tells every
 * partner it was handed to; {@code GET /api/v1/repairs/{id}} shows their confirmations; records
 * past their publication end are repaired as EXPIRED on a period (route {@code publication-expiry}).
 * {@code POST /api/v1/records/{id}/objection} records a subject's objection (异议处理), flagged at
 * every holder; {@code POST /api/v1/objections/{id}/resolution} rejects or upholds it, and
 * {@code GET /api/v1/objections/{id}} shows it with each holder's answer. {@code POST
 * /api/v1/filings} records a credit service institution's filing and sends it to the partners
 * (信用服务机构备案互认); {@code GET /api/v1/filings/{uscc}} shows the filings known here.
 */
public final class AllianceRoutes extends ApiRouteBuilder {

    private final JointSanctions sanctions;
    private final Recognitions recognitions;
    private final CreditRepairs repairs;
    private final CreditObjections objections;
    private final ServiceFilings filings;
    private final Duration expiryEvery;
    private final Duration blackListWatch;
    private final AllianceNotices notices;
    private final PartnerDirectory partners;
    private final Authenticator authenticator;

    /**
     * @param expiryEvery    how often records and list entries past their publication end are repaired (lifted) as EXPIRED
     * @param blackListWatch how often recognitions of enterprises black-listed here are looked for and withdrawn
     */
    public AllianceRoutes(JointSanctions sanctions, Recognitions recognitions, CreditRepairs repairs, CreditObjections objections,
                          ServiceFilings filings, AllianceNotices notices, PartnerDirectory partners, Authenticator authenticator,
                          Duration expiryEvery, Duration blackListWatch) {
        this.sanctions = sanctions;
        this.recognitions = recognitions;
        this.repairs = repairs;
        this.objections = objections;
        this.filings = filings;
        this.expiryEvery = expiryEvery;
        this.blackListWatch = blackListWatch;
        this.notices = notices;
        this.partners = partners;
        this.authenticator = authenticator;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1").description("Alliance workflows: red and black lists, joint incentives and punishment (联合奖惩),"
                        + " trusted-enterprise recognition, credit repair, objections, credit service institution filings")
                .post("/lists").id("list-entry-record").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the red- or black-list entry recorded, with its id")).to("direct:list-entry-record")
                .get("/lists/{id}").id("list-entry").produces("application/json")
                    .responseMessage(answers(200, "the list entry: subject, list type, authority, document, status"))
                    .to("direct:list-entry")
                .post("/lists/{id}/lift").id("list-entry-lift").consumes("application/json").produces("application/json")
                    .responseMessage(answers(200, "the lifted entry and the lift notice's id with the partners it goes to"))
                    .to("direct:list-entry-lift")
                .post("/sanctions").id("sanction-initiate").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the joint punishment notice's status: each partner's acknowledgement and response"))
                    .to("direct:sanction-initiate")
                .get("/sanctions").id("sanction-list").produces("application/json")
                    .responseMessage(answers(200, "{notices: [{id, subject, createdAt, partners, acknowledged, responded, overdue}]}, latest first"))
                    .to("direct:sanction-list")
                .get("/sanctions/received").id("sanction-received").produces("application/json")
                    .responseMessage(answers(200, "{notices: [...]}: the latest 100 joint punishment notices received from partners"))
                    .to("direct:sanction-received")
                .get("/sanctions/{id}").id("sanction-status").produces("application/json")
                    .responseMessage(answers(200, "the notice's status: each partner's acknowledgement, response and measures applied"))
                    .to("direct:sanction-status")
                .post("/sanctions/received/{sender}/{id}/response").id("sanction-respond").consumes("application/json")
                    .produces("application/json")
                    .responseMessage(answers(201, "the response notice sent to the sender: {id, respondsTo, ...}"))
                    .to("direct:sanction-respond")
                .post("/recognitions").id("recognition-nominate").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the subject's recognition status with this nomination, answers pending"))
                    .to("direct:recognition-nominate")
                .get("/recognitions/{uscc}").id("recognition-status").produces("application/json")
                    .responseMessage(answers(200, "{uscc, status (NONE, IN_FORCE, EXPIRED or WITHDRAWN), nominations with every city's answer}"))
                    .to("direct:recognition-status")
                .post("/records/{id}/repair").id("record-repair").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the repair: its id and the notices to every holder of the record"))
                    .to("direct:record-repair")
                .get("/repairs/{id}").id("repair-status").produces("application/json")
                    .responseMessage(answers(200, "the repair and each holder's confirmation")).to("direct:repair-status")
                .post("/records/{id}/objection").id("record-objection").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the objection: its id and the notices to every holder of the record"))
                    .to("direct:record-objection")
                .post("/objections/{id}/resolution").id("objection-resolution").consumes("application/json").produces("application/json")
                    .responseMessage(answers(200, "the objection resolved (upheld or rejected) and the notices that clear or withdraw the record"))
                    .to("direct:objection-resolution")
                .get("/objections/{id}").id("objection-status").produces("application/json")
                    .responseMessage(answers(200, "the objection and each holder's answer")).to("direct:objection-status")
                .post("/filings").id("filing-record").consumes("application/json").produces("application/json")
                    .responseMessage(answers(201, "the filing recorded and sent to every alliance city")).to("direct:filing-record")
                .get("/filings/{uscc}").id("filing-status").produces("application/json")
                    .responseMessage(answers(200, "{uscc, filings: the institution's filings here and at every city, with their answers}"))
                    .to("direct:filing-status");

        from("direct:filing-record").routeId("filing-record").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            answer(e, 201, filings.file(text(b, "uscc"), text(b, "name"), texts(b, "services"), text(b, "authority"), date(b, "filedOn"),
                    date(b, "validUntil"), partners.all(), caller.kind().name(), caller.name()));
        });
        from("direct:filing-status").routeId("filing-status").process(e -> {
            operator(e);
            answer(e, 200, filings.filings(e.getMessage().getHeader("uscc", String.class)));
        });

        from("direct:record-objection").routeId("record-objection").process(e -> {
            Caller caller = operator(e);
            answer(e, 201, objections.object(recordId(e), text(body(e), "basis"), caller.kind().name(), caller.name()));
        });
        from("direct:objection-resolution").routeId("objection-resolution").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            answer(e, 200, objections.resolve(e.getMessage().getHeader("id", String.class), text(b, "outcome"), text(b, "note"),
                    caller.kind().name(), caller.name()));
        });
        from("direct:objection-status").routeId("objection-status").process(e -> {
            operator(e);
            answer(e, 200, objections.status(e.getMessage().getHeader("id", String.class)));
        });

        from("direct:record-repair").routeId("record-repair").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            answer(e, 201, repairs.repair(recordId(e), text(b, "reason"), text(b, "basis"), caller.kind().name(), caller.name()));
        });
        from("direct:repair-status").routeId("repair-status").process(e -> {
            operator(e);
            answer(e, 200, repairs.status(e.getMessage().getHeader("id", String.class)));
        });
        from("timer:publication-expiry?period=" + expiryEvery.toMillis() + "&delay=" + expiryEvery.toMillis()).routeId("publication-expiry")
                .process(e -> {
                    try {
                        repairs.expire(1000);
                    } catch (CodedException failure) {
                        log.warn("records past their publication end not withdrawn this round: {}", failure.getMessage());
                    }
                    try {
                        sanctions.expire(1000);
                    } catch (CodedException failure) {
                        log.warn("list entries past their publication end not lifted this round: {}", failure.getMessage());
                    }
                });
        from("timer:black-list-watch?period=" + blackListWatch.toMillis() + "&delay=" + blackListWatch.toMillis()).routeId("black-list-watch")
                .process(e -> {
                    try {
                        recognitions.withdrawBlackListed(partners.all(), "SYSTEM", "black-list-watch");
                    } catch (CodedException failure) {
                        log.warn("recognitions of black-listed enterprises not withdrawn this round: {}", failure.getMessage());
                    }
                });

        from("direct:recognition-nominate").routeId("recognition-nominate").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            AllianceNotices.Notice n = recognitions.nominate(text(b, "uscc"), text(b, "partyName"), text(b, "basis"), date(b, "validUntil"),
                    partners.all(), caller.kind().name(), caller.name());
            answer(e, 201, recognitions.status(n.subject()));
        });
        from("direct:recognition-status").routeId("recognition-status").process(e -> {
            operator(e);
            answer(e, 200, recognitions.status(e.getMessage().getHeader("uscc", String.class)));
        });

        from("direct:list-entry-record").routeId("list-entry-record").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            JointSanctions.Severity severity = choice(b, "severity", JointSanctions.Severity.class);
            JointSanctions.ListEntry entry = sanctions.record(text(b, "listType"), text(b, "uscc"), text(b, "partyName"),
                    text(b, "legalBasis"), text(b, "authority"), text(b, "documentNumber"), date(b, "listedOn"),
                    Optional.ofNullable(date(b, "publicationEnd")), severity, caller.name());
            if (entry.listType().equals("BLACK")) {
                recognitions.withdrawBlackListed(partners.all(), caller.kind().name(), caller.name());
            }
            answer(e, 201, entry);
        });
        from("direct:list-entry").routeId("list-entry").process(e -> {
            operator(e);
            String id = e.getMessage().getHeader("id", String.class);
            answer(e, 200, sanctions.entry(id).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no list entry " + id)));
        });
        from("direct:list-entry-lift").routeId("list-entry-lift").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            JointSanctions.Lifted how = choice(b, "status", JointSanctions.Lifted.class);
            if (how == JointSanctions.Lifted.EXPIRED) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "status is REPAIRED or WITHDRAWN (entries expire by themselves)");
            }
            String id = e.getMessage().getHeader("id", String.class);
            Optional<AllianceNotices.Notice> lift = sanctions.lift(id, how, text(b, "basis"), caller.kind().name(), caller.name());
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("entry", sanctions.entry(id).orElseThrow());
            lift.ifPresent(n -> out.put("lift", Map.of("noticeId", n.id(), "to", notices.deliveries(n.id()).stream()
                    .map(AllianceNotices.Delivery::partner).toList())));
            answer(e, 200, out);
        });
        from("direct:sanction-initiate").routeId("sanction-initiate").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            Duration within;
            try {
                within = Duration.parse(b.path("respondWithin").asText("P7D"));
            } catch (DateTimeParseException bad) {
                throw new CodedException(ErrorCode.E_DATE_INVALID, "respondWithin is an ISO-8601 duration, e.g. P7D");
            }
            AllianceNotices.Notice n = sanctions.initiate(text(b, "entryId"), texts(b, "measures"), within, partners.all(),
                    caller.kind().name(), caller.name());
            answer(e, 201, sanctions.status(n.id()));
        });
        from("direct:sanction-list").routeId("sanction-list").process(e -> {
            operator(e);
            List<Map<String, Object>> out = new ArrayList<>();
            for (AllianceNotices.Notice n : notices.ofKind(JointSanctions.NOTICE, Optional.empty(), 100)) {
                JointSanctions.Status s = sanctions.status(n.id());
                out.add(Map.of("id", n.id(), "subject", n.subject(), "createdAt", n.createdAt(), "partners", s.partners().size(),
                        "acknowledged", s.acknowledged(), "responded", s.responded(), "overdue", s.overdue()));
            }
            answer(e, 200, Map.of("notices", out));
        });
        from("direct:sanction-status").routeId("sanction-status").process(e -> {
            operator(e);
            answer(e, 200, sanctions.status(e.getMessage().getHeader("id", String.class)));
        });
        from("direct:sanction-received").routeId("sanction-received").process(e -> {
            operator(e);
            answer(e, 200, Map.of("notices", sanctions.receivedNotices(100)));
        });
        from("direct:sanction-respond").routeId("sanction-respond").process(e -> {
            Caller caller = operator(e);
            JsonNode b = body(e);
            AllianceNotices.Notice n = sanctions.respond(e.getMessage().getHeader("sender", String.class),
                    e.getMessage().getHeader("id", String.class), texts(b, "measuresApplied"), caller.kind().name(), caller.name());
            answer(e, 201, Map.of("id", n.id(), "respondsTo", n.body().path("respondsTo").asText(),
                    "to", e.getMessage().getHeader("sender", String.class)));
        });
    }

    /** The operator directing the work: its door admits no one else (DoorPolicy). */
    private Caller operator(Exchange exchange) {
        return authenticator.caller(exchange);
    }

    private static long recordId(Exchange exchange) {
        try {
            return Long.parseLong(exchange.getMessage().getHeader("id", String.class));
        } catch (NumberFormatException bad) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a record id is a number");
        }
    }

    private static JsonNode body(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the body must be a JSON object; it is empty");
        }
        try {
            JsonNode b = Json.mapper().readTree(text);
            if (b == null || !b.isObject()) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the body must be a JSON object");
            }
            return b;
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the body must be a JSON object");
        }
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> texts(JsonNode b, String field) {
        List<String> out = new ArrayList<>();
        b.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    /** The field's value among the enum's constants (any case); E_FIELD_INVALID naming them otherwise. */
    private static <E extends Enum<E>> E choice(JsonNode b, String field, Class<E> type) {
        String value = b.path(field).asText("").toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new CodedException(ErrorCode.E_FIELD_INVALID, field + " is one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    private static LocalDate date(JsonNode b, String field) {
        String v = text(b, field);
        try {
            return v == null ? null : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, field + " is a date, e.g. 2026-11-27");
        }
    }
}
