package credit.exchange.routes.mutualquery;

import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.mutualquery.MergedAnswer.Outcome;
import credit.exchange.routes.mutualquery.MergedAnswer.PartnerResult;
import credit.exchange.routes.mutualquery.MergedAnswer.ReceivedRecord;
import credit.exchange.routes.mutualquery.QueryMessages.QueryAnswer;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.query.RecordDisclosure;
import credit.exchange.routes.query.Withheld;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.List;
import java.util.Map;

/**
 * One partner's part of a mutual query (信用信息互查), the one place a partner's sealed answer
 * becomes its outcome and the records the local caller sees: each record under this node's class
 * for its dataset, decided by the access policy for the caller, with the fields the decision
 * discloses; what the partner and this node withheld, counted per reason. The API's fan-out
 * ({@link MutualQueryRoutes}) and the operator's {@code gatewayctl alliance query} both ask here.
 */
public final class PartnerAnswers {

    /** One partner's result, the records the local caller sees, and the decisions that chose them, by dataset. */
    public record Part(PartnerResult result, List<ReceivedRecord> records,
                       Map<String, Map.Entry<Classification, AccessDecision>> decisions) {
    }

    private final PartnerClient client;
    private final CategoryCatalogue catalogue;
    private final AccessPolicy policy;
    private final Clock clock;

    public PartnerAnswers(PartnerClient client, CategoryCatalogue catalogue, AccessPolicy policy, Clock clock) {
        this.client = client;
        this.catalogue = catalogue;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Asks these partners in parallel, outside a Camel route (the operator's commands), and merges their
     * answers; every access decision that chose the records shown is recorded. Each part ends within
     * its partner's answer timeout: the client enforces it.
     */
    public MergedAnswer askAll(List<Partner> partners, QueryRequest request, Caller caller, AccessEvents events) {
        Instant askedAt = clock.instant();
        List<Part> parts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, partners.size()));
        try {
            List<Future<Part>> futures = new ArrayList<>();
            for (Partner p : partners) {
                futures.add(pool.submit(() -> ask(p, request, caller)));
            }
            for (Future<Part> f : futures) {
                parts.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the mutual query was interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, Map.Entry<Classification, AccessDecision>> decisions = new LinkedHashMap<>();
        List<ReceivedRecord> records = new ArrayList<>();
        for (Part part : parts) {
            decisions.putAll(part.decisions());
            records.addAll(part.records());
        }
        events.recordAll(caller, AccessContext.withoutAuthorisation("U:" + request.uscc(), request.purpose(), clock.instant()), decisions);
        return new MergedAnswer(request.uscc(), askedAt, parts.stream().map(Part::result).toList(), records);
    }

    /** Asks one partner; always a result: a failure is its outcome, never the whole query's. */
    public Part ask(Partner partner, QueryRequest request, Caller caller) {
        try {
            PartnerClient.Answered answered = client.exchange(partner, Partner.ExchangeType.QUERY, QueryMessages.write(request));
            QueryAnswer answer = QueryMessages.read(answered.answer().payload(), QueryAnswer.class);
            String messageId = answered.answer().headers().messageId();
            Instant answeredAt = answered.answer().headers().signingTime();
            long latency = answered.latency().toMillis();
            if (QueryAnswer.DENIED.equals(answer.status())) {
                return new Part(new PartnerResult(partner.id(), Outcome.DENIED, answer.code(), answer.message(),
                        latency, messageId, answeredAt, 0, false), List.of(), Map.of());
            }
            Map<String, Map.Entry<Classification, AccessDecision>> decisions = new HashMap<>();
            List<ReceivedRecord> records = new ArrayList<>();
            Map<ErrorCode, Integer> withheldHere = new EnumMap<>(ErrorCode.class);
            int pastPublicationEnd = 0;
            LocalDate today = RecordStatus.today(clock);
            for (CreditRecord r : answer.records() == null ? List.<CreditRecord>of() : answer.records()) {
                if (RecordStatus.pastPublicationEnd(r.publicationEnd(), today)) {
                    pastPublicationEnd++; // a partner that does not enforce it yet: the record is no longer published
                    continue;
                }
                Classification classification = relayedClass(catalogue, r);
                AccessDecision decision = decisions.computeIfAbsent(String.valueOf(r.category()), dataset -> Map.entry(classification,
                        policy.decideRelayed(caller, classification, dataset))).getValue();
                if (decision instanceof AccessDecision.Allow allow) {
                    records.add(new ReceivedRecord(partner.id(), answeredAt, messageId, true, RecordDisclosure.apply(r, allow.disclosure())));
                } else if (decision instanceof AccessDecision.Deny deny) {
                    withheldHere.merge(deny.code(), 1, Integer::sum);
                }
            }
            List<Withheld> here = new ArrayList<>();
            withheldHere.forEach((code, n) -> here.add(Withheld.of(code, n)));
            if (pastPublicationEnd > 0) {
                here.add(Withheld.of(ErrorCode.E_PUBLICATION_ENDED, pastPublicationEnd));
            }
            List<Withheld> withheld = Withheld.merge(answer.withheld(), here);
            return new Part(new PartnerResult(partner.id(), Outcome.ANSWERED, null, Withheld.describe(withheld),
                    latency, messageId, answeredAt, records.size(), answer.truncated(), withheld), records, decisions);
        } catch (CodedException e) {
            Outcome outcome = e.code() == ErrorCode.E_TIMEOUT ? Outcome.TIMED_OUT : Outcome.FAILED;
            return new Part(new PartnerResult(partner.id(), outcome, e.code().name(), e.getMessage(),
                    null, null, null, 0, false), List.of(), Map.of());
        }
    }


    /**
     * The class a partner's record is shown under here: a dataset this node keeps under this node's
     * class for it, whatever the partner labelled it; an unknown one under the partner's label, or
     * as class C (the strictest) without one.
     */
    static Classification relayedClass(CategoryCatalogue catalogue, CreditRecord r) {
        return catalogue.find(String.valueOf(r.category())).map(RecordCategory::classification)
                .orElse(r.classification() == null ? Classification.C : r.classification());
    }
}
