package credit.exchange.routes.mutualquery;

import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.exchange.ExchangeMetrics;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.mutualquery.MergedAnswer.Outcome;
import credit.exchange.routes.mutualquery.MergedAnswer.PartnerResult;
import credit.exchange.routes.mutualquery.MergedAnswer.ReceivedRecord;
import credit.exchange.routes.mutualquery.QueryMessages.QueryAnswer;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;

/**
 * Outbound and mutual queries (信用信息互查). {@code direct:partner-query} asks one partner;
 * {@code direct:mutual-query} fans a question out to several partners in parallel and merges the
 * answers, saying for each partner whether it answered, denied, failed or timed out, and why.
 * Each partner's part ends within its configured answer timeout (the client enforces it); the
 * split's own timeout is a backstop a little beyond the longest of them.
 *
 * <p>Local API: {@code GET /api/v1/alliance/subjects/{uscc}/records?partners=all|huzhou,jiaxing}.
 */
public final class MutualQueryRoutes extends ApiRouteBuilder {

    /** What the mutual-query route takes: the question and the partners to ask. */
    public record MutualQuestion(QueryRequest request, List<Partner> partners) {
    }

    private record PartnerQuestion(QueryRequest request, Partner partner) {
    }

    private static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(2);
    private static final Duration MAX_ANSWER_TIMEOUT = Duration.ofMinutes(5);

    private final PartnerDirectory partners;
    private final PartnerClient client;
    private final Clock clock;
    private volatile ExchangeMetrics metrics;

    public MutualQueryRoutes(PartnerDirectory partners, PartnerClient client, Clock clock) {
        this.partners = partners;
        this.client = client;
        this.clock = clock;
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
                    e.getMessage().setBody(q.partners().stream().map(p -> new PartnerQuestion(q.request(), p)).toList());
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
        String named = exchange.getMessage().getHeader("partners", "all", String.class).strip();
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
        exchange.getMessage().setBody(new MutualQuestion(new QueryRequest(uscc, "anonymous", "mutual query"), asked));
    }

    /** One partner's part, with its metrics. */
    private PartnerResultWithRecords ask(PartnerQuestion q) {
        long start = System.nanoTime();
        PartnerResultWithRecords r = askOnce(q);
        ExchangeMetrics m = metrics;
        if (m == null) {
            m = metrics = ExchangeMetrics.of(getCamelContext());
        }
        m.record(q.partner().id(), ExchangeMetrics.Direction.OUTBOUND,
                r.result().code() == null ? ExchangeMetrics.ANSWERED : r.result().code(), Duration.ofNanos(System.nanoTime() - start));
        return r;
    }

    /** One partner's part, always a result: failures become its outcome, never the whole query's. */
    private PartnerResultWithRecords askOnce(PartnerQuestion q) {
        Partner partner = q.partner();
        try {
            PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.QUERY, QueryMessages.write(q.request()));
            QueryAnswer answer = QueryMessages.read(answered.answer().payload(), QueryAnswer.class);
            String messageId = answered.answer().headers().messageId();
            Instant answeredAt = answered.answer().headers().signingTime();
            long latency = answered.latency().toMillis();
            if (QueryAnswer.DENIED.equals(answer.status())) {
                return new PartnerResultWithRecords(new PartnerResult(partner.id(), Outcome.DENIED, answer.code(), answer.message(),
                        latency, messageId, answeredAt, 0, false), List.of());
            }
            List<ReceivedRecord> records = answer.records() == null ? List.of() : answer.records().stream()
                    .map(r -> new ReceivedRecord(partner.id(), answeredAt, messageId, true, r)).toList();
            return new PartnerResultWithRecords(new PartnerResult(partner.id(), Outcome.ANSWERED, null, null, latency, messageId,
                    answeredAt, records.size(), answer.truncated()), records);
        } catch (CodedException e) {
            Outcome outcome = e.code() == ErrorCode.E_TIMEOUT ? Outcome.TIMED_OUT : Outcome.FAILED;
            return new PartnerResultWithRecords(new PartnerResult(partner.id(), outcome, e.code().name(), e.getMessage(),
                    null, null, null, 0, false), List.of());
        }
    }

    private record PartnerResultWithRecords(PartnerResult result, List<ReceivedRecord> records) {
    }

    /** Collects each partner's result; a partner missing when the backstop fires is reported as timed out. */
    private static final class CollectResults implements AggregationStrategy {
        @Override
        @SuppressWarnings("unchecked")
        public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
            Exchange target = oldExchange == null ? newExchange : oldExchange;
            List<PartnerResultWithRecords> results = target.getProperty("results", List.class);
            if (results == null) {
                results = new ArrayList<>();
                target.setProperty("results", results);
            }
            PartnerResultWithRecords r = newExchange.getMessage().getBody(PartnerResultWithRecords.class);
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
        List<PartnerResultWithRecords> results = exchange.getProperty("results", List.class);
        List<PartnerResult> byPartner = new ArrayList<>();
        List<ReceivedRecord> records = new ArrayList<>();
        for (Partner p : question.partners()) {
            PartnerResultWithRecords r = results == null ? null : results.stream()
                    .filter(x -> x.result().node().equals(p.id())).findFirst().orElse(null);
            if (r == null) {
                byPartner.add(new PartnerResult(p.id(), Outcome.TIMED_OUT, ErrorCode.E_TIMEOUT.name(),
                        "no answer within " + p.answerTimeout().toMillis() + " ms", null, null, null, 0, false));
            } else {
                byPartner.add(r.result());
                records.addAll(r.records());
            }
        }
        exchange.getMessage().setBody(new MergedAnswer(question.request().uscc(), exchange.getProperty("askedAt", Instant.class),
                byPartner, records));
    }

    /** The longest answer timeout a partner configuration may set (the schema's maximum), plus a margin. */
    private static long backstopMillis() {
        return MAX_ANSWER_TIMEOUT.plus(BACKSTOP_MARGIN).toMillis();
    }
}
