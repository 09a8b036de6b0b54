package credit.exchange.routes.mutualquery;

import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.query.Withheld;
import java.time.Instant;
import java.util.List;

/**
 * The answer of a mutual query (信用信息互查): for every partner asked, whether it answered,
 * denied, failed or timed out and why; and every record received, with its provenance.
 */
public record MergedAnswer(String uscc, Instant askedAt, List<PartnerResult> partners, List<ReceivedRecord> records) {

    /** How one partner's part ended. */
    public enum Outcome { ANSWERED, DENIED, FAILED, TIMED_OUT }

    /**
     * @param code the error code of a denial or failure (the partner's, or ours for what it sent)
     * @param message why it was denied or failed; for an answer that withheld records, which and why
     * @param answerMessageId the message id of the partner's answer envelope
     * @param answeredAt the signing time of the answer
     * @param withheld the subject's records not shown, counted per reason: those the partner withheld
     *        from this node (its access decisions, as its signed answer counts them), those this node
     *        withheld from its caller, and those past their publication end
     */
    public record PartnerResult(String node, Outcome outcome, String code, String message, Long latencyMs,
                                String answerMessageId, Instant answeredAt, int records, boolean truncated,
                                List<Withheld> withheld) {

        public PartnerResult {
            withheld = withheld == null ? List.of() : List.copyOf(withheld);
        }

        public PartnerResult(String node, Outcome outcome, String code, String message, Long latencyMs,
                             String answerMessageId, Instant answeredAt, int records, boolean truncated) {
            this(node, outcome, code, message, latencyMs, answerMessageId, answeredAt, records, truncated, List.of());
        }
    }

    /**
     * A record as a partner sent it. {@code signatureVerified} is true for every record here:
     * an answer whose envelope did not verify contributes none.
     */
    public record ReceivedRecord(String node, Instant answeredAt, String answerMessageId, boolean signatureVerified,
                                 CreditRecord record) {
    }
}
