package credit.exchange.routes.query;

import java.util.List;
import java.util.Set;

/**
 * The records other nodes handed this one, as local queries include them. The flow that receives
 * them keeps them (push: received_delivery); a query reads them through this, in the datasets the
 * access policy lets the caller read, and filters their fields as for its own records.
 */
public interface ReceivedRecordSource {

    /** A node that receives nothing. */
    ReceivedRecordSource NONE = (uscc, datasets, offset, limit) -> List.of();

    /**
     * The latest version of each received record of a legal person in these datasets that is
     * still served (not withdrawn, repaired or past its publication end), newest decision first,
     * as the sender sent it (with the sender's classification label).
     */
    List<ReceivedRecord> byUscc(String uscc, Set<String> datasets, long offset, int limit);
}
