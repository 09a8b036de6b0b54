package credit.exchange.routes.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import credit.exchange.routes.model.CreditRecord;
import java.util.List;

/**
 * One page of a local query's answer: the latest version of each matching record the caller may
 * read; and, for a query about one subject, how many of the subject's records it withheld and why
 * ({@link Withheld}; absent when none).
 */
public record RecordPage(String query, int page, int size, boolean hasMore, List<CreditRecord> records,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Withheld> withheld) {

    public RecordPage {
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
    }

    public RecordPage(String query, int page, int size, boolean hasMore, List<CreditRecord> records) {
        this(query, page, size, hasMore, records, List.of());
    }
}
