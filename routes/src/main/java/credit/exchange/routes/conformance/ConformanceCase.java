package credit.exchange.routes.conformance;

/**
 * The protocol's conformance cases (docs/protocol.md, "Conformance"), each with the number and the name a
 * report gives it. The numbers are stable: a new case gets the next number, none is reused.
 */
public enum ConformanceCase {
    QUERY_ANSWERED(1, "query answered"),
    RECEIPTS_VERIFY(2, "receipts verify"),
    TAMPERED_REFUSED(3, "tampered envelope refused"),
    STALE_REFUSED(4, "stale envelope refused"),
    RESEND_GETS_KEPT_ANSWER(5, "exact resend gets the kept answer"),
    REUSED_ID_REFUSED(6, "new envelope under an answered message id refused"),
    MISADDRESSED_REFUSED(7, "misaddressed envelope refused"),
    PULL_ANSWERED(8, "pull answered"),
    ACKNOWLEDGEMENT_ACCEPTED(9, "acknowledgement accepted"),
    UNKNOWN_ACKNOWLEDGEMENT_REFUSED(10, "acknowledgement of an unknown message refused"),
    REFUSALS_CODED(11, "refusals carry the coded JSON error");

    private final int number;
    private final String title;

    ConformanceCase(int number, String title) {
        this.number = number;
        this.title = title;
    }

    public int number() {
        return number;
    }

    /** The case's name in a report. */
    public String title() {
        return title;
    }
}
