package credit.exchange.routes.ingest;

import credit.exchange.security.ErrorCode;

/**
 * Why a row was rejected: the row, the column as the file names it ("-" for the whole row),
 * a stable code and a reason a department clerk can act on. Never carries a personal identifier.
 */
public record Defect(int rowNumber, String field, ErrorCode code, String reason) {
}
