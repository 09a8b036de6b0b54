package credit.exchange.routes.api;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Which message headers become headers of an HTTP answer: only those the node itself sets, by
 * name ({@link #ANSWERED}). The HTTP consumers hand a request's query parameters and headers over
 * as message headers; without this filter they came back as answer headers, so that
 * {@code ?Set-Cookie=…} or {@code ?Access-Control-Allow-Origin=*} set them, and an error answer
 * echoed the request's {@code Authorization}. Inbound, headers named like Camel's own are dropped,
 * so that a request cannot steer a route (as Camel's HTTP components do).
 */
public final class AnswerHeaders extends DefaultHeaderFilterStrategy {

    /** Registry name under which the node binds the filter for its HTTP endpoints. */
    public static final String REGISTRY_NAME = "answerHeaders";

    /** Every header an answer of this node may carry, lower case. */
    static final Set<String> ANSWERED = Set.of(
            Exchange.CONTENT_TYPE.toLowerCase(Locale.ROOT), "content-disposition", "cache-control", "location", "www-authenticate",
            "retry-after", "content-security-policy", "referrer-policy", "x-content-type-options", "x-frame-options",
            "exchange-receipt", "x-report-number");

    public AnswerHeaders() {
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setLowerCase(true);
    }

    /** Outbound: true (filtered out) for every header the node does not answer with. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return headerName == null || !ANSWERED.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
