package credit.exchange.gateway.infra;

import credit.exchange.routes.api.ApiError;
import credit.exchange.routes.api.Json;
import credit.exchange.security.ErrorCode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API port's answers to what its HTTP server refuses by itself, before any route runs: no
 * route for the path (404), a method the route does not take (405), an {@code Accept} it cannot
 * answer (406), a {@code Content-Type} it does not take (415), and the rest of the 4xx and 5xx
 * statuses Vert.x makes. Each is the documented JSON error form ({@link ApiError}) with a stable
 * code, like every refusal a route makes (ApiRouteBuilder); none is an HTML page or an empty body.
 * The exchange and SOAP ports speak their own protocols and are not touched.
 */
public final class ServerRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRefusals.class);

    private ServerRefusals() {
    }

    /** Answers every error status of this router (and of the routers mounted in it) in the JSON error form. */
    public static void install(Router router) {
        for (int status = 400; status < 600; status++) {
            int code = status;
            router.errorHandler(code, context -> answer(context, code));
        }
    }

    /** The stable code of a status the server makes itself. */
    static ErrorCode codeOf(int status) {
        return switch (status) {
            case 404 -> ErrorCode.E_NOT_FOUND;
            case 405 -> ErrorCode.E_METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.E_NOT_ACCEPTABLE;
            case 413, 414, 431 -> ErrorCode.E_TOO_LARGE;
            case 415 -> ErrorCode.E_UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorCode.E_TOKEN_MISSING;
            case 403 -> ErrorCode.E_DOOR_CLOSED;
            case 429 -> ErrorCode.E_RATE_LIMITED;
            case 503 -> ErrorCode.E_UNAVAILABLE;
            case 504 -> ErrorCode.E_TIMEOUT;
            default -> status < 500 ? ErrorCode.E_MALFORMED : ErrorCode.E_INTERNAL;
        };
    }

    private static void answer(RoutingContext context, int status) {
        HttpServerResponse response = context.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return; // a route answered already; nothing can be added
        }
        ErrorCode code = codeOf(status);
        String incident = null;
        String message;
        if (status >= 500) {
            incident = UUID.randomUUID().toString();
            // an unexpected fault: its details go to the log under the incident id, never to the caller
            LOG.error("incident {}: HTTP {} on {} {}", incident, status, context.request().method(), context.request().path(),
                    context.failure());
            message = "the node could not answer; quote the incident id to the operator";
        } else {
            message = switch (code) {
                case E_NOT_FOUND -> "no endpoint at " + printable(context.request().path()) + " (GET /openapi.json lists them)";
                case E_METHOD_NOT_ALLOWED -> context.request().method() + " is not taken at " + printable(context.request().path());
                case E_NOT_ACCEPTABLE -> "this endpoint answers application/json; the request's Accept header excludes it";
                case E_UNSUPPORTED_MEDIA_TYPE -> "this endpoint does not take a body of type "
                        + printable(context.request().getHeader("Content-Type")) + " (GET /openapi.json names the types it takes)";
                default -> "the HTTP server refused the request (HTTP " + status + ")";
            };
        }
        String body = Json.write(ApiError.of(code, message, incident));
        response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }

    /** A value of the request as the answer names it: at most 200 characters, no control characters. */
    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
