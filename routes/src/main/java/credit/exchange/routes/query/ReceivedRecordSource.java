package credit.exchange.routes.query;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * The records other nodes handed this one, as local queries include them. The flow that receives
 * them keeps them (push: received_delivery); a query reads them through this, in the datasets the
 * access policy lets the caller read, and filters their fields as for its own records.
 */
public interface ReceivedRecordSource {

    /** A node that receives nothing. */
    ReceivedRecordSource NONE = new ReceivedRecordSource() {
        @Override
        public List<ReceivedRecord> byUscc(Connection c, String uscc, Set<String> datasets, long offset, int limit) {
            return List.of();
        }

        @Override
        public long count(Connection c, String uscc, Set<String> datasets) {
            return 0;
        }
    };

    /**
     * The latest version of each received record of a legal person in these datasets that is
     * still served (not withdrawn, repaired or past its publication end), newest decision first,
     * as the sender sent it (with the sender's classification label). Read on the query's own
     * connection: a query holding one while it waited for a second could starve the pool.
     */
    List<ReceivedRecord> byUscc(Connection c, String uscc, Set<String> datasets, long offset, int limit);

    /** How many {@link #byUscc} answers in all, for a query's total. */
    long count(Connection c, String uscc, Set<String> datasets);
}
