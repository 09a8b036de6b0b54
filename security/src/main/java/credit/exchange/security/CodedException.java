package credit.exchange.security;

/**
 * A failure that carries its stable {@link ErrorCode} and a message a person can act on. The
 * message never contains a key or a personal identifier, so it may be shown to the caller.
 */
public class CodedException extends RuntimeException {

    private final ErrorCode code;

    public CodedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CodedException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
