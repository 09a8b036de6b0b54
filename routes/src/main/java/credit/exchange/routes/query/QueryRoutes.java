package credit.exchange.routes.query;

import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;

/**
 * The local query API. Resident ID numbers come in a POST body, never in a URL, so that they
 * stay out of access logs and browser histories. The caller is who the bearer token speaks for,
 * or the anonymous public without one ({@link Authenticator}).
 */
public final class QueryRoutes extends ApiRouteBuilder {

    /** Body of a query by resident ID number. */
    public record PersonQuery(String residentId, Integer page, Integer size, String purpose, String authorisation, String datasets,
                              String format) {
    }

    private static final int DEFAULT_SIZE = 50;
    private static final String CSV = "every record the caller may read for the query, at most "
            + RecordExport.MAX_ROWS + " (more: 400 E_EXPORT_TOO_LARGE, narrow the query), as a CSV attachment (UTF-8 with BOM, CRLF;"
            + " Chinese headers; a cell starting with = + - @, tab or CR is prefixed with an apostrophe)";
    private final LocalQueryService service;
    private final RecordExport exports;
    private final Authenticator authenticator;
    private final SubjectAuthorisations authorisations;

    public QueryRoutes(LocalQueryService service, RecordExport exports, Authenticator authenticator, SubjectAuthorisations authorisations) {
        this.service = service;
        this.exports = exports;
        this.authenticator = authenticator;
        this.authorisations = authorisations;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/records").description("Local queries on this node's credit records")
                .get().id("local-query").description("Latest version of each record of a subject, by USCC or by name prefix; by USCC,"
                            + " also the records partners handed this node (received, each with its source: partner, message id, receipt)")
                    .produces("application/json,text/csv")
                    .param().name("uscc").type(RestParamType.query).required(false).description("unified social credit code").endParam()
                    .param().name("name").type(RestParamType.query).required(false).description("subject name prefix, two characters or more").endParam()
                    .param().name("datasets").type(RestParamType.query).required(false)
                        .description("comma-separated datasets asked for; each must be readable, or 403 with its code and no data").endParam()
                    .param().name("purpose").type(RestParamType.query).required(false).description("why the subject's records are read").endParam()
                    .param().name("authorisation").type(RestParamType.query).required(false)
                        .description("id of the subject's authorisation a class B read relies on").endParam()
                    .param().name("page").type(RestParamType.query).required(false).dataType("integer").defaultValue("0").endParam()
                    .param().name("size").type(RestParamType.query).required(false).dataType("integer").defaultValue("50").endParam()
                    .param().name("format").type(RestParamType.query).required(false).description("json (default) or csv").endParam()
                    .responseMessage(answers(200, "{query, page, size, total, hasMore, records: the latest version of each record, with the"
                            + " fields the caller may read; received; withheld}; total: the records the caller may read for the query, own and"
                            + " received (pages: ceil(total / size)); with format=csv (or Accept: text/csv first): " + CSV))
                    .to("direct:local-query")
                .post("/by-person").id("local-query-by-person")
                    .description("Records of a natural person; the resident ID number travels in the body only")
                    .consumes("application/json").produces("application/json,text/csv")
                    .responseMessage(answers(200, "{query, page, size, total, hasMore, records}: the person's records the caller may read;"
                            + " with \"format\": \"csv\" in the body (or Accept: text/csv first): " + CSV))
                    .to("direct:local-query-by-person");

        from("direct:local-query").routeId("local-query").process(this::byUsccOrName);
        from("direct:local-query-by-person").routeId("local-query-by-person").process(this::byPerson);
    }

    private void byUsccOrName(Exchange exchange) {
        var in = exchange.getMessage();
        String uscc = in.getHeader("uscc", String.class);
        String name = in.getHeader("name", String.class);
        boolean csv = CsvExport.asked(in.getHeader("format", String.class), in.getHeader("Accept", String.class));
        int page = intParam(in.getHeader("page", String.class), 0, "page");
        int size = intParam(in.getHeader("size", String.class), DEFAULT_SIZE, "size");
        RecordQuery query;
        if (uscc != null && !uscc.isBlank()) {
            query = RecordQuery.uscc(uscc, basis(in.getHeader("purpose", String.class), in.getHeader("authorisation", String.class),
                    in.getHeader("datasets", String.class)));
        } else if (name != null && !name.isBlank()) {
            query = RecordQuery.namePrefix(name);
        } else {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "give uscc or name; resident ID queries use POST /api/v1/records/by-person");
        }
        answer(exchange, query, csv, page, size);
    }

    private void byPerson(Exchange exchange) {
        PersonQuery query;
        try {
            query = Json.mapper().readValue(exchange.getMessage().getBody(String.class), PersonQuery.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the body must be JSON like {\"residentId\": \"...\", \"page\": 0, \"size\": 50}");
        }
        if (query == null || query.residentId() == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "residentId missing");
        }
        boolean csv = CsvExport.asked(query.format(), exchange.getMessage().getHeader("Accept", String.class));
        answer(exchange, RecordQuery.residentId(query.residentId(), basis(query.purpose(), query.authorisation(), query.datasets())), csv,
                query.page() == null ? 0 : query.page(), query.size() == null ? DEFAULT_SIZE : query.size());
    }

    /** A page as JSON, or, asked for CSV, the whole answer as a file (pages walked on the server; page and size do not apply). */
    private void answer(Exchange exchange, RecordQuery query, boolean csv, int page, int size) {
        Caller caller = authenticator.caller(exchange);
        if (csv) {
            RecordExport.Exported file = exports.export(caller, query);
            CsvExport.answer(exchange, file.filename(), file.csv());
        } else {
            answer(exchange, 200, service.page(caller, query, page, size));
        }
    }

    /**
     * What a query says about itself: purpose, the authorisation named, datasets asked for. An id
     * registered nowhere here is no authorisation: the decision point answers as for none
     * (E_AUTHORIZATION_REQUIRED to a class B reader, its usual code to anyone else).
     */
    private LocalQueryService.Basis basis(String purpose, String authorisationId, String datasets) {
        Set<String> asked = new LinkedHashSet<>();
        if (datasets != null) {
            for (String d : datasets.split(",")) {
                if (!d.isBlank()) {
                    asked.add(d.strip());
                }
            }
        }
        return new LocalQueryService.Basis(purpose == null ? null : purpose.strip(), authorisations.named(authorisationId), asked);
    }

    static int intParam(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, name + " must be a whole number");
        }
    }
}
