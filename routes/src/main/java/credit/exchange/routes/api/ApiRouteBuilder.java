package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every HTTP API route family: one declaration of how failures become answers, and of the
 * door check. Every route of the family that consumes from HTTP ({@code platform-http}, the REST
 * DSL, {@code netty-http}) passes the node's {@link Doorkeeper} first; a node that bound none
 * closes every such door. A coded failure answers with its code's HTTP status and a JSON
 * {@link ApiError}; anything else is an internal fault, logged with an incident id that the answer
 * carries instead of a stack trace.
 */
public abstract class ApiRouteBuilder extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouteBuilder.class);

    @Override
    public final void configure() throws Exception {
        onException(CodedException.class).handled(true).process(ApiRouteBuilder::codedAnswer);
        onException(Exception.class).handled(true).process(ApiRouteBuilder::internalAnswer);
        interceptFrom().process(this::door);
        configureApi();
    }

    protected abstract void configureApi() throws Exception;

    /** The door check; a refusal is answered here and ends the route (an intercept's failure would bypass onException). */
    private void door(Exchange exchange) {
        if (!Doorkeeper.isDoor(exchange.getFromEndpoint())) {
            return; // a timer's, a folder's or a queue's route: no caller knocks
        }
        Doorkeeper doorkeeper = getCamelContext().getRegistry().lookupByNameAndType(Doorkeeper.REGISTRY_NAME, Doorkeeper.class);
        try {
            if (doorkeeper == null) {
                throw new CodedException(ErrorCode.E_DOOR_CLOSED, "this node checks no door; every endpoint is closed");
            }
            doorkeeper.process(exchange);
        } catch (CodedException refused) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, refused);
            codedAnswer(exchange);
            exchange.setRouteStop(true);
        }
    }

    /** Sets a JSON body and content type on the answer. */
    public static void answer(Exchange exchange, int status, Object body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setBody(Json.write(body));
    }

    private static void codedAnswer(Exchange exchange) {
        CodedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, CodedException.class);
        String incident = null;
        if (e.code().httpStatus() >= 500) {
            incident = UUID.randomUUID().toString();
            LOG.warn("incident {}: {} {}", incident, e.code(), e.getMessage(), e.getCause());
        }
        if (e.code() == ErrorCode.E_TOKEN_MISSING) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer"); // RFC 6750 §3.1: no error code when none was sent
        } else if (e.code().httpStatus() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + e.code() + "\"");
        }
        answer(exchange, e.code().httpStatus(), ApiError.of(e.code(), e.getMessage(), incident));
    }

    private static void internalAnswer(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String incident = UUID.randomUUID().toString();
        LOG.error("incident {}: unexpected fault", incident, e);
        answer(exchange, 500, ApiError.of(ErrorCode.E_INTERNAL, "unexpected fault; quote the incident id to the operator", incident));
    }
}
