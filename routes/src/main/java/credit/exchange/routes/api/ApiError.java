package credit.exchange.routes.api;

import credit.exchange.security.ErrorCode;

/** The body of every error answer of the HTTP API: the stable code, what it means, and what happened. */
public record ApiError(String code, String meaning, String message, String incident) {

    public static ApiError of(ErrorCode code, String message, String incident) {
        return new ApiError(code.name(), code.meaning(), message, incident);
    }
}
