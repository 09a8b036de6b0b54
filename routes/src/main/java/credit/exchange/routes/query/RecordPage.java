package credit.exchange.routes.query;

import credit.exchange.routes.model.CreditRecord;
import java.util.List;

/** One page of a local query's answer: the latest version of each matching record the caller may read. */
public record RecordPage(String query, int page, int size, boolean hasMore, List<CreditRecord> records) {
}
