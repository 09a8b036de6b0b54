package credit.exchange.routes.query;

import credit.exchange.routes.model.CreditRecord;
import java.util.List;

/**
 * One page of a local query's answer: the latest version of each matching record the caller may
 * read; then, where the query asks for them, the records other nodes handed this one
 * ({@code received}, each with its source). A page holds at most {@code size} of both together.
 */
public record RecordPage(String query, int page, int size, boolean hasMore, List<CreditRecord> records,
                         List<ReceivedRecord> received) {

    public RecordPage(String query, int page, int size, boolean hasMore, List<CreditRecord> records) {
        this(query, page, size, hasMore, records, List.of());
    }
}
