package credit.exchange.routes.access;

import credit.exchange.security.audit.AuditEvent;
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
 * Every access decision, allow or deny, as an audit event (action {@code access}): who asked,
 * about which subject (its store key: a pseudonym for a person), which class and dataset, for
 * what purpose, on which authorisation, and the decision with its reason (a deny's code, or the
 * fields shown). A query hands its decisions to the {@link AuditWriter} (group commit), reads while
 * they are chained and committed, and answers only once they are: nothing is answered without its
 * event.
 */
public final class AccessEvents {

    private final AuditWriter writer;

    public AccessEvents(AuditWriter writer) {
        this.writer = writer;
    }

    /** Records the decisions of one query, one event per dataset; returns when they are durable. */
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

    /** As {@link #submit(Caller, AccessContext, Map)}, each event with this detail (a partner's vouched end user). */
    public AuditWriter.Pending submit(Caller caller, AccessContext context,
                                      Map<String, Map.Entry<Classification, AccessDecision>> byDataset, String detail) {
        List<AuditEvent> events = new ArrayList<>(byDataset.size());
        String authorisation = context.authorisation().map(SubjectAuthorisation::id).orElse(null);
        for (var e : byDataset.entrySet()) {
            AccessDecision d = e.getValue().getValue();
            events.add(AuditEvent.by(caller, AuditEvent.Action.ACCESS).at(context.at())
                    .partner(caller.kind() == Caller.Kind.PARTNER ? caller.name() : null).subject(context.subject())
                    .classification(e.getValue().getKey().name()).dataset(e.getKey()).purpose(context.purpose()).authorisation(authorisation)
                    .decision(d.allowed() ? AuditEvent.Decision.ALLOW : AuditEvent.Decision.DENY)
                    .reason(d instanceof AccessDecision.Allow allow ? allow.disclosure().name() : ((AccessDecision.Deny) d).code().name())
                    .detail(detail).build());
        }
        return writer.submit(events);
    }
}
