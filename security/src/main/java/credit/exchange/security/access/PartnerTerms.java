package credit.exchange.security.access;

import credit.exchange.security.Suite;
import java.util.Set;

/**
 * What this node agreed with a partner, as far as admitting its envelopes goes: whether it is
 * enabled, the suite its envelopes must be in, and the exchange types it may start. The routes
 * module's partner configuration supplies it.
 */
public record PartnerTerms(String nodeId, boolean enabled, Suite suite, Set<String> mayStart) {

    public PartnerTerms {
        mayStart = Set.copyOf(mayStart);
    }
}
