package credit.exchange.routes.query;

import credit.exchange.routes.audit.AuditWriter;

/**
 * An answer and the access event it was read under, still on its way to the audit trail: whoever passes the answer on
 * awaits the event first ({@link #answer}). A caller with an event of its own to write (an exchange) submits that one,
 * then awaits both, so that it waits for one commit instead of two.
 */
public record Recorded<T>(T unawaited, AuditWriter.Pending event) {

    /** The answer, once its access event is durable; E_UNAVAILABLE if it cannot be written. */
    public T answer() {
        event.await();
        return unawaited;
    }
}
