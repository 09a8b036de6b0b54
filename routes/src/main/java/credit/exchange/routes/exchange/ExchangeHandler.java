package credit.exchange.routes.exchange;

import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.envelope.OpenedEnvelope;

/**
 * Answers one type of exchange a partner starts (a query, later notices and recognitions): the
 * flow's logic behind the exchange listener. The request is authentic, fresh, addressed to us
 * and from an enabled partner allowed to start this exchange; the handler decides what it may
 * see. Its payload agrees with the type's schema ({@link PayloadSchemas}, docs/schemas/). A
 * denial is an answer (its payload says so), not an exception.
 */
@FunctionalInterface
public interface ExchangeHandler {

    /** The answer's UTF-8 JSON payload; the audit events written to make it are durable when it returns. */
    byte[] answer(Partner partner, OpenedEnvelope request);

    /** An answer's payload and the audit events written to make it, still on their way to the trail. */
    record Answer(byte[] payload, AuditWriter.Pending events) {
    }

    /**
     * As {@link #answer}, returning before the events written to make the answer are durable: the listener
     * submits the exchange's own event, then awaits both before the answer leaves, so that an exchange waits
     * for one group commit instead of one after the other. By default, {@link #answer}'s events already durable.
     */
    default Answer answerUnawaited(Partner partner, OpenedEnvelope request) {
        return new Answer(answer(partner, request), AuditWriter.Pending.NONE);
    }

    /**
     * This node's signed receipt of the request, made once the answer is: for a flow that keeps
     * it with what it received. A failure here leaves the request unanswered (its sender sends it again).
     */
    default void receipted(Partner partner, OpenedEnvelope request, byte[] receipt) {
    }
}
