package credit.exchange.routes.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import credit.exchange.routes.model.CreditRecord;
import java.util.List;

/**
 * One page of a local query's answer: the latest version of each matching record the caller may
 * read; then, where the query asks for them, the records other nodes handed this one
 * ({@code received}, each with its source; a page holds at most {@code size} of both together);
 * and, for a query about one subject, how many of the subject's records it withheld and why
 * ({@link Withheld}; absent when none). {@code total} is how many records the caller may read for
 * the query, own and received together (共 N 条: the pages number {@code ceil(total / size)}); and the
 * datasets the answer covers: those the caller may read, of those it asked for ({@code datasets}, in name order).
 */
public record RecordPage(String query, int page, int size, long total, boolean hasMore, List<CreditRecord> records,
                         List<ReceivedRecord> received, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Withheld> withheld,
                         List<String> datasets) {

    public RecordPage {
        received = received == null ? List.of() : List.copyOf(received);
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }
}
