package credit.exchange.routes.conformance;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a conformance run found: one result per case, in the order of their numbers.
 *
 * @param partner the partner node tested
 * @param self the node the runner acted as
 * @param exchangeUri the partner's exchange listener the envelopes went to
 * @param suite the envelope suite of the exchange
 */
public record ConformanceReport(String partner, String self, String exchangeUri, String suite, List<Result> results) {

    /** PASS, FAIL, or SKIP when the case could not be tried (the detail says why). */
    public enum Outcome {
        PASS, FAIL, SKIP
    }

    /** One case's outcome and what was seen. */
    public record Result(int number, String name, Outcome outcome, String detail) {

        static Result of(ConformanceCase c, Outcome outcome, String detail) {
            return new Result(c.number(), c.title(), outcome, detail);
        }

        /** The report's line: {@code   3  PASS  tampered envelope refused (E_DECRYPTION_FAILED, 400)}. */
        public String line() {
            String text = outcome == Outcome.PASS ? name + " (" + detail + ")" : name + ": " + detail;
            return String.format("%3d  %-4s  %s", number, outcome, text);
        }
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** Whether every case passed or was skipped. */
    @JsonProperty("conforms")
    public boolean conforms() {
        return count(Outcome.FAIL) == 0;
    }

    @JsonProperty("summary")
    public String summary() {
        return String.format("%d cases: %d passed, %d failed, %d skipped; %s %s", results.size(), count(Outcome.PASS),
                count(Outcome.FAIL), count(Outcome.SKIP), partner, conforms() ? "conforms" : "does not conform");
    }
}
