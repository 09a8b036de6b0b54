package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.DoorPolicy;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
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
        documentRefusals();
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

    /**
     * What an operation answers, for the REST DSL's {@code .responseMessage(…)} in the OpenAPI contract.
     * (Camel's own {@code responseMessage(int, String)} builds the message and drops it.)
     */
    protected static ResponseMessageDefinition answers(int status, String meaning) {
        return new ResponseMessageDefinition().code(status).message(meaning);
    }

    /**
     * The refusals this family's REST operations answer, in the OpenAPI contract beside the success
     * each operation declares: every one in the form of {@link ApiError}, with the statuses the door
     * check and the failure handling above give — 401 for a token that is not valid (or missing where
     * the door needs one), 403 where the door admits only some callers or what they may read, 400
     * where the request carries input, 404 where the path names a thing that may not exist, 500 for
     * an internal fault. Their media type is the operation's {@code produces}, so an operation
     * answering anything but JSON names JSON there too.
     */
    private void documentRefusals() {
        for (RestDefinition rest : getRestCollection().getRests()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = Objects.toString(rest.getPath(), "") + Objects.toString(verb.getPath(), "");
                Optional<DoorPolicy.Admits> admits = DoorPolicy.door(verb.getId()).map(DoorPolicy.Door::admits);
                boolean open = admits.filter(a -> a == DoorPolicy.Admits.ANYONE).isPresent();
                boolean input = path.contains("{") || verb.getParams() != null && !verb.getParams().isEmpty() || verb.getConsumes() != null
                        || !verb.asVerb().equals("get") && !verb.asVerb().equals("delete");
                if (input) {
                    refusal(verb, 400, "the request is not what the operation takes (E_MALFORMED, E_FIELD_MISSING, E_FIELD_INVALID,"
                            + " E_IDENTIFIER_INVALID, E_DATE_INVALID, E_UNKNOWN_TYPE)");
                }
                refusal(verb, 401, open ? "a bearer token was presented and is not valid (E_TOKEN_*)"
                        : "no bearer token (E_TOKEN_MISSING) or one that is not valid (E_TOKEN_*); WWW-Authenticate says which");
                if (!open) {
                    refusal(verb, 403, admits.map(a -> a == DoorPolicy.Admits.PUBLIC_READ
                            ? "the caller may not read what it asked for (E_NOT_GRANTED, E_AUTHORIZATION_*, E_SHARING_AGREEMENT_REQUIRED)"
                            : "E_ROLE_REQUIRED: this needs " + a.needs() + "; or the operation's own rule refuses the caller")
                            .orElse("the operation has no access rule on this node (E_DOOR_CLOSED)"));
                }
                // a thing the path names may not exist; a subject's code is a key whose answer may be empty, never 404
                String named = path.contains("{") ? path.substring(path.indexOf('{') + 1, path.indexOf('}')) : "uscc";
                if (!named.equals("uscc")) {
                    refusal(verb, 404, "no such " + named + " (E_NOT_FOUND)");
                }
                refusal(verb, 500, "an unexpected fault (E_INTERNAL); the answer's incident id is logged with the cause");
            }
        }
    }

    private static void refusal(VerbDefinition verb, int status, String meaning) {
        if (verb.getResponseMsgs() == null) {
            verb.setResponseMsgs(new ArrayList<>());
        }
        if (verb.getResponseMsgs().stream().noneMatch(m -> m.getCode().equals(Integer.toString(status)))) {
            verb.getResponseMsgs().add(new ResponseMessageDefinition(verb).code(status).message(meaning).responseModel(ApiError.class));
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
