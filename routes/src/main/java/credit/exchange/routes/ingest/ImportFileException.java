package credit.exchange.routes.ingest;

import credit.exchange.security.ErrorCode;

/**
 * The file as a whole cannot be read past a point (broken quoting, invalid JSON, unreadable
 * encoding). Rows before {@link #rowNumber()} are kept; the rest of the file is reported.
 */
public final class ImportFileException extends Exception {

    private final ErrorCode code;
    private final int rowNumber;

    public ImportFileException(ErrorCode code, int rowNumber, String message) {
        super(message);
        this.code = code;
        this.rowNumber = rowNumber;
    }

    public ErrorCode code() {
        return code;
    }

    public int rowNumber() {
        return rowNumber;
    }
}
