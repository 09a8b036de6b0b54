package credit.exchange.routes.mutualquery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.query.Withheld;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The payloads of a query exchange (docs/protocol.md, "Query exchange"), UTF-8 JSON inside the
 * envelope. Readers ignore fields they do not know, so a partner may add some.
 */
public final class QueryMessages {

    /**
     * A partner's question: the records of one legal person.
     *
     * @param uscc the subject's unified social credit code
     * @param requestedBy the end user the requesting node vouches for (for the answering node's audit)
     * @param purpose why it asks, in a few words
     */
    public record QueryRequest(String uscc, String requestedBy, String purpose, String authorisation, List<String> datasets) {

        /** A query relying on no authorisation, for whatever the requester may read. */
        public QueryRequest(String uscc, String requestedBy, String purpose) {
            this(uscc, requestedBy, purpose, null, null);
        }
    }

    /**
     * The answer. {@code status} is {@code ANSWERED} (records holds what the requester may read,
     * possibly none) or {@code DENIED} ({@code code} and {@code message} say why, records is empty).
     * {@code withheld} (optional; absent from answers of nodes before it, and when nothing was
     * withheld) counts, per access decision code, the subject's records the answer does not carry.
     */
    public record QueryAnswer(String status, String code, String message, String uscc, List<CreditRecord> records,
                              boolean truncated, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Withheld> withheld) {

        public static final String ANSWERED = "ANSWERED";
        public static final String DENIED = "DENIED";

        public QueryAnswer {
            withheld = withheld == null ? List.of() : withheld; // an answer of a node before the field
        }

        public QueryAnswer(String status, String code, String message, String uscc, List<CreditRecord> records, boolean truncated) {
            this(status, code, message, uscc, records, truncated, List.of());
        }

        public static QueryAnswer answered(String uscc, List<CreditRecord> records, boolean truncated) {
            return answered(uscc, records, truncated, List.of());
        }

        public static QueryAnswer answered(String uscc, List<CreditRecord> records, boolean truncated, List<Withheld> withheld) {
            return new QueryAnswer(ANSWERED, null, null, uscc, records, truncated, withheld);
        }

        public static QueryAnswer denied(String uscc, ErrorCode code, String message) {
            return new QueryAnswer(DENIED, code.name(), message, uscc, List.of(), false, List.of());
        }
    }

    private static final ObjectReader LENIENT = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private QueryMessages() {
    }

    public static byte[] write(Object payload) {
        return Json.write(payload).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws CodedException E_MALFORMED if the payload is not such JSON */
    public static <T> T read(byte[] payload, Class<T> type) {
        try {
            T value = LENIENT.forType(type).readValue(payload);
            if (value == null) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the payload is empty JSON");
            }
            return value;
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the payload is not a " + type.getSimpleName() + " in JSON");
        }
    }
}
