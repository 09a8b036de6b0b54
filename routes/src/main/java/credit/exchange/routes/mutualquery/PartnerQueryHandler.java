package credit.exchange.routes.mutualquery;

import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.mutualquery.QueryMessages.QueryAnswer;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.query.Recorded;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a partner's query from this node's store, with what the partner's configuration
 * grants it (the access policy decides, per dataset). A question it may not ask, or cannot be
 * read, is answered DENIED with the reason's code: a denial is an answer.
 */
public final class PartnerQueryHandler implements ExchangeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerQueryHandler.class);

    private final LocalQueryService queries;
    private final SubjectAuthorisations authorisations;

    public PartnerQueryHandler(LocalQueryService queries, SubjectAuthorisations authorisations) {
        this.queries = queries;
        this.authorisations = authorisations;
    }

    /**
     * The query's basis: its purpose, the authorisation it names (registered at this node; an id
     * registered nowhere here is no authorisation), the datasets it asks for, and the end user the
     * partner vouches for, whom this node's access events name.
     */
    private LocalQueryService.Basis basis(QueryRequest question) {
        return new LocalQueryService.Basis(question.purpose(), authorisations.named(question.authorisation()),
                question.datasets() == null ? Set.of() : Set.copyOf(question.datasets()), question.requestedBy());
    }

    @Override
    public byte[] answer(Partner partner, OpenedEnvelope request) {
        Answer answer = answerUnawaited(partner, request);
        answer.events().await();
        return answer.payload();
    }

    /** The answer with the query's access event on its way to the trail (a refusal's is durable already). */
    @Override
    public Answer answerUnawaited(Partner partner, OpenedEnvelope request) {
        QueryRequest question;
        try {
            question = QueryMessages.read(request.payload(), QueryRequest.class);
        } catch (CodedException e) {
            return written(QueryAnswer.denied(null, e.code(), e.getMessage()));
        }
        Caller caller = Caller.partner(partner.id(), partner.mayQuery().orElse(PartnerGrant.none()));
        if (queries.readableDatasets(caller).isEmpty()) {
            return written(QueryAnswer.denied(question.uscc(), ErrorCode.E_NOT_GRANTED,
                    "partner " + partner.id() + " is granted no dataset of this node"));
        }
        try {
            Recorded<RecordPage> read = queries.byUsccRecorded(caller, question.uscc(), basis(question), 0,
                    LocalQueryService.MAX_PAGE_SIZE);
            RecordPage page = read.unawaited();
            // each answer is an audit event already; at query rates an INFO line apiece costs the node a tenth of its throughput
            LOG.debug("query {} from {}: {} records", request.headers().messageId(), partner.id(), page.records().size());
            // what the partner may not read is counted per reason, so that its user learns why an answer holds fewer records
            return new Answer(QueryMessages.write(QueryAnswer.answered(question.uscc(), page.records(), page.hasMore(), page.withheld())),
                    read.event());
        } catch (CodedException e) {
            if (e.code().httpStatus() >= 500) {
                throw e; // the store is down: no answer, so that the partner may retry the same envelope
            }
            return written(QueryAnswer.denied(question.uscc(), e.code(), e.getMessage()));
        }
    }

    private static Answer written(QueryAnswer answer) {
        return new Answer(QueryMessages.write(answer), AuditWriter.Pending.NONE);
    }
}
