package credit.exchange.routes.access;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.security.Classification;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.SubjectAuthorisation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every query's access decisions, allow or deny, as one audit event (action {@code access}): who
 * asked, about which subject (its store key: a pseudonym for a person), for what purpose, on which
 * authorisation, and for each dataset asked its class, the decision and its reason (a deny's code,
 * or the disclosure shown), each inside the event's hash. A query hands its event to the
 * {@link AuditWriter} (group commit), reads while it is chained and committed, and answers only
 * once it is: nothing is answered without its event.
 */
public final class AccessEvents {

    private final AuditWriter writer;

    public AccessEvents(AuditWriter writer) {
        this.writer = writer;
    }

    /** Records the decisions of one query, one event for all its datasets; returns when it is durable. */
    public void recordAll(Caller caller, AccessContext context, Map<String, Map.Entry<Classification, AccessDecision>> byDataset) {
        submit(caller, context, byDataset).await();
    }

    /**
     * Hands the decisions to the audit writer and returns at once, so that the query reads while
     * they are committed; it must {@link AuditWriter.Pending#await} before it answers.
     */
    public AuditWriter.Pending submit(Caller caller, AccessContext context,
                                      Map<String, Map.Entry<Classification, AccessDecision>> byDataset) {
        return submit(caller, context, byDataset, null);
    }

    /** As {@link #submit(Caller, AccessContext, Map)}, the event with this detail (a partner's vouched end user). */
    public AuditWriter.Pending submit(Caller caller, AccessContext context,
                                      Map<String, Map.Entry<Classification, AccessDecision>> byDataset, String detail) {
        if (byDataset.isEmpty()) {
            return writer.submit(List.of());
        }
        List<AuditRecord.DatasetDecision> decisions = new ArrayList<>(byDataset.size());
        for (var e : byDataset.entrySet()) {
            AccessDecision d = e.getValue().getValue();
            decisions.add(new AuditRecord.DatasetDecision(e.getKey(), e.getValue().getKey().name(),
                    d.allowed() ? AuditEvent.Decision.ALLOW.name() : AuditEvent.Decision.DENY.name(),
                    d instanceof AccessDecision.Allow allow ? allow.disclosure().name() : ((AccessDecision.Deny) d).code().name()));
        }
        String authorisation = context.authorisation().map(SubjectAuthorisation::id).orElse(null);
        return writer.submit(List.of(AuditEvent.by(caller, AuditEvent.Action.ACCESS).at(context.at())
                .partner(caller.kind() == Caller.Kind.PARTNER ? caller.name() : null).subject(context.subject())
                .purpose(context.purpose()).authorisation(authorisation).decisions(decisions).detail(detail).build()));
    }
}
