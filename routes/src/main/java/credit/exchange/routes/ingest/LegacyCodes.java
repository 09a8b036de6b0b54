package credit.exchange.routes.ingest;

import java.util.Optional;

/** The identifier mapping as the validator sees it: legacy code (upper case, no hyphen) to USCC. */
public interface LegacyCodes {

    record Mapping(String legacyCode, String kind, String uscc, boolean legacyCheckFailed) {
    }

    Optional<Mapping> find(String code);

    LegacyCodes NONE = code -> Optional.empty();
}
