package credit.exchange.routes.push;

import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;

/**
 * What this node received from one partner, for its operators ({@code received-from}): every
 * delivery held, newest first, with the envelope it came in and this node's signed receipt of
 * it, a page at a time with the total. A partner neither configured nor ever heard from is
 * answered {@code E_NOT_FOUND}.
 */
public final class ReceivedRoutes extends ApiRouteBuilder {

    private static final int DEFAULT_SIZE = 50;

    private final ReceivedDeliveries received;
    private final PartnerDirectory partners;

    public ReceivedRoutes(ReceivedDeliveries received, PartnerDirectory partners) {
        this.received = received;
        this.partners = partners;
    }

    @Override
    protected void configureApi() {
        rest("/api/v1/received").description("Deliveries other nodes handed this one (the province's pulls, the nation's double publicity)")
                .get("/{partner}").id("received-from")
                    .description("What one partner handed this node, newest first: each delivery with its record, the envelope it"
                            + " came in and this node's signed receipt of that envelope; paginated, with the total")
                    .produces("application/json")
                    .param().name("partner").type(RestParamType.path).description("the sending partner's node id").endParam()
                    .param().name("category").type(RestParamType.query).required(false).description("only this dataset").endParam()
                    .param().name("page").type(RestParamType.query).dataType("integer").defaultValue("0").endParam()
                    .param().name("size").type(RestParamType.query).dataType("integer").defaultValue("50")
                        .description("deliveries per page, 1 to 500").endParam()
                    .responseMessage(answers(200, "a page of deliveries: partner, page, size, total, deliveries"))
                    .to("direct:received-from");

        from("direct:received-from").routeId("received-from").process(this::list);
    }

    private void list(Exchange exchange) {
        var in = exchange.getMessage();
        String partner = in.getHeader("partner", "", String.class).strip();
        if (partners.find(partner).isEmpty() && !received.holdsFrom(partner)) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no partner '" + abbreviate(partner)
                    + "' is configured here, and nothing was received from it");
        }
        String category = in.getHeader("category", String.class);
        answer(exchange, 200, received.from(partner, Optional.ofNullable(category).map(String::strip).filter(c -> !c.isEmpty()),
                number(in.getHeader("page", String.class), 0, "page"), number(in.getHeader("size", String.class), DEFAULT_SIZE, "size")));
    }

    private static int number(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, name + " must be a whole number");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
