package credit.exchange.routes.mutualquery;

import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.routes.exchange.ExchangeMetrics;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.RateLimiter;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.mutualquery.MergedAnswer.Outcome;
import credit.exchange.routes.mutualquery.MergedAnswer.PartnerResult;
import credit.exchange.routes.mutualquery.MergedAnswer.ReceivedRecord;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.rest.RestParamType;

/**
 * Outbound and mutual queries (信用信息互查). {@code direct:partner-query} asks one partner;
 * {@code direct:mutual-query} fans a question out to several partners in parallel and merges the
 * answers, saying for each partner whether it answered, denied, failed or timed out, and why.
 * Each partner's part ends within its configured answer timeout (the client enforces it); the
 * split's own timeout is a backstop a little beyond the longest of them.
 *
 * <p>Local API: {@code GET /api/v1/alliance/subjects/{uscc}/records?partners=all|huzhou,jiaxing},
 * with the query's purpose, the subject's authorisation (its id at the partners, granted to this
 * node) and the datasets asked for. The partners decide what this node may read; the access
 * policy then decides which of the answered records the local caller sees
 * ({@link AccessPolicy#decideRelayed}), and each decision is recorded.
 */
public final class MutualQueryRoutes extends ApiRouteBuilder {

    /** What the mutual-query route takes: the question, the partners to ask, and the local caller the answers are for. */
    public record MutualQuestion(QueryRequest request, List<Partner> partners, Caller caller) {
    }

    private record PartnerQuestion(QueryRequest request, Partner partner, Caller caller) {
    }

    private static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(2);
    private static final Duration MAX_ANSWER_TIMEOUT = Duration.ofMinutes(5);

    private final PartnerDirectory partners;
    private final PartnerClient client;
    private final Authenticator authenticator;
    private final AccessPolicy policy;
    private final AccessEvents events;
    private final CategoryCatalogue catalogue;
    private final RateLimiter userLimits;
    private final Partner.RateLimit perUser;
    private final Clock clock;
    private final PartnerAnswers answers;
    private volatile ExchangeMetrics metrics;
    private volatile ProducerTemplate producer;

    public MutualQueryRoutes(PartnerDirectory partners, PartnerClient client, Authenticator authenticator, AccessPolicy policy,
                             AccessEvents events, CategoryCatalogue catalogue, Partner.RateLimit perUser, Clock clock) {
        this.userLimits = new RateLimiter(clock);
        this.perUser = perUser;
        this.catalogue = catalogue;
        this.partners = partners;
        this.client = client;
        this.authenticator = authenticator;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
        this.answers = new PartnerAnswers(client, catalogue, policy, clock);
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/alliance").description("Queries to alliance partners (信用信息互查)")
                .get("/subjects/{uscc}/records").id("alliance-subject-records")
                    .description("Asks the partners in parallel for a legal person's records; merges the answers with provenance")
                    .produces("application/json")
                    .param().name("uscc").type(RestParamType.path).description("unified social credit code").endParam()
                    .param().name("partners").type(RestParamType.query).required(false).defaultValue("all")
                        .description("'all' (every enabled partner we send queries to) or partner ids separated by commas").endParam()
                    .param().name("purpose").type(RestParamType.query).required(false).description("why the subject's records are read").endParam()
                    .param().name("authorisation").type(RestParamType.query).required(false)
                        .description("id of the subject's authorisation, granted to this node, registered at the partners (class B)").endParam()
                    .param().name("datasets").type(RestParamType.query).required(false)
                        .description("comma-separated datasets asked for; a partner denies the query if one is not readable").endParam()
                    .responseMessage(answers(200, "the merged answer: each partner's outcome and the records it sent, each with its provenance"))
                    .to("direct:alliance-subject-records");

        from("direct:alliance-subject-records").routeId("alliance-subject-records")
                .process(this::question)
                .to("direct:mutual-query")
                .process(e -> answer(e, 200, e.getMessage().getBody()));

        from("direct:mutual-query").routeId("mutual-query")
                .process(e -> e.setProperty("askedAt", clock.instant()))
                .process(e -> {
                    MutualQuestion q = e.getMessage().getBody(MutualQuestion.class);
                    e.setProperty("question", q);
                    e.getMessage().setBody(q.partners().stream().map(p -> new PartnerQuestion(q.request(), p, q.caller())).toList());
                })
                .split(body(), new CollectResults()).parallelProcessing().timeout(backstopMillis())
                    .to("direct:partner-query")
                .end()
                .process(this::merge);

        from("direct:partner-query").routeId("partner-query")
                .process(e -> e.getMessage().setBody(ask(e.getMessage().getBody(PartnerQuestion.class))));
    }

    /** The partners of the request: all enabled partners we query, or the named ones. */
    private void question(Exchange exchange) {
        String uscc = exchange.getMessage().getHeader("uscc", "", String.class).strip().toUpperCase(Locale.ROOT);
        IdentifierCheck check = Uscc.check(uscc);
        if (!check.valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "USCC " + check.reason());
        }
        List<Partner> asked = partnersToAsk(exchange.getMessage().getHeader("partners", "all", String.class).strip());
        Caller caller = authenticator.caller(exchange);
        // each asked partner counts this node's queries against its limit: one user may not spend it for all
        userLimits.acquire(caller.kind() + ":" + caller.name(), perUser, caller.name());
        String purpose = text(exchange, "purpose");
        String authorisation = text(exchange, "authorisation");
        String datasets = text(exchange, "datasets");
        List<String> askedDatasets = datasets == null ? null
                : Arrays.stream(datasets.split(",")).map(String::strip).filter(d -> !d.isEmpty()).distinct().toList();
        exchange.getMessage().setBody(new MutualQuestion(new QueryRequest(uscc, caller.name(),
                purpose == null ? "mutual query" : purpose, authorisation, askedDatasets), asked, caller));
    }

    /**
     * A mutual query for a caller of this node outside the API (the credit report's alliance part):
     * every enabled partner this node queries, through the same route, limits and access decisions.
     */
    public MergedAnswer ask(Caller caller, QueryRequest request) {
        List<Partner> asked = partnersToAsk("all");
        userLimits.acquire(caller.kind() + ":" + caller.name(), perUser, caller.name());
        ProducerTemplate template = producer;
        if (template == null) {
            template = producer = getCamelContext().createProducerTemplate();
        }
        try {
            return template.requestBody("direct:mutual-query", new MutualQuestion(request, asked, caller), MergedAnswer.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof CodedException coded) {
                throw coded;
            }
            throw e;
        }
    }

    /** All enabled partners this node queries ({@code all} or empty), or the named ones. */
    private List<Partner> partnersToAsk(String named) {
        List<Partner> asked = new ArrayList<>();
        if (named.isEmpty() || named.equals("all")) {
            partners.all().stream()
                    .filter(p -> p.enabled() && p.weSend().contains(Partner.ExchangeType.QUERY))
                    .sorted(Comparator.comparing(Partner::id))
                    .forEach(asked::add);
        } else {
            Set<String> ids = new LinkedHashSet<>(Arrays.asList(named.split("\\s*,\\s*")));
            for (String id : ids) {
                asked.add(partners.find(id).orElseThrow(() -> new CodedException(ErrorCode.E_UNKNOWN_PARTNER,
                        "no partner '" + id + "' is configured")));
            }
        }
        if (asked.isEmpty()) {
            throw new CodedException(ErrorCode.E_UNKNOWN_PARTNER, "no enabled partner to ask");
        }
        return asked;
    }

    private static String text(Exchange exchange, String header) {
        String v = exchange.getMessage().getHeader(header, String.class);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** One partner's part, with its metrics. */
    private PartnerAnswers.Part ask(PartnerQuestion q) {
        long start = System.nanoTime();
        PartnerAnswers.Part r = answers.ask(q.partner(), q.request(), q.caller());
        ExchangeMetrics m = metrics;
        if (m == null) {
            m = metrics = ExchangeMetrics.of(getCamelContext());
        }
        m.record(q.partner().id(), ExchangeMetrics.Direction.OUTBOUND,
                r.result().code() == null ? ExchangeMetrics.ANSWERED : r.result().code(), Duration.ofNanos(System.nanoTime() - start));
        return r;
    }


    /** Collects each partner's result; a partner missing when the backstop fires is reported as timed out. */
    private static final class CollectResults implements AggregationStrategy {
        @Override
        @SuppressWarnings("unchecked")
        public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
            Exchange target = oldExchange == null ? newExchange : oldExchange;
            List<PartnerAnswers.Part> results = target.getProperty("results", List.class);
            if (results == null) {
                results = new ArrayList<>();
                target.setProperty("results", results);
            }
            PartnerAnswers.Part r = newExchange.getMessage().getBody(PartnerAnswers.Part.class);
            if (r != null) {
                synchronized (results) {
                    results.add(r);
                }
            }
            return target;
        }
    }

    @SuppressWarnings("unchecked")
    private void merge(Exchange exchange) {
        MutualQuestion question = exchange.getProperty("question", MutualQuestion.class);
        List<PartnerAnswers.Part> results = exchange.getProperty("results", List.class);
        List<PartnerResult> byPartner = new ArrayList<>();
        List<ReceivedRecord> records = new ArrayList<>();
        Map<String, Map.Entry<Classification, AccessDecision>> decisions = new HashMap<>();
        for (Partner p : question.partners()) {
            PartnerAnswers.Part r = results == null ? null : results.stream()
                    .filter(x -> x.result().node().equals(p.id())).findFirst().orElse(null);
            if (r == null) {
                byPartner.add(new PartnerResult(p.id(), Outcome.TIMED_OUT, ErrorCode.E_TIMEOUT.name(),
                        "no answer within " + p.answerTimeout().toMillis() + " ms", null, null, null, 0, false));
            } else {
                byPartner.add(r.result());
                records.addAll(r.records());
                decisions.putAll(r.decisions());
            }
        }
        events.recordAll(question.caller(), AccessContext.withoutAuthorisation("U:" + question.request().uscc(),
                question.request().purpose(), clock.instant()), decisions);
        exchange.getMessage().setBody(new MergedAnswer(question.request().uscc(), exchange.getProperty("askedAt", Instant.class),
                byPartner, records));
    }

    /** The longest answer timeout a partner configuration may set (the schema's maximum), plus a margin. */
    private static long backstopMillis() {
        return MAX_ANSWER_TIMEOUT.plus(BACKSTOP_MARGIN).toMillis();
    }
}
