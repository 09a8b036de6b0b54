package credit.exchange.gateway;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.identity.ProtectionKeys;
import credit.exchange.security.pki.Passphrases;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's personal-ID keys as its configuration asks: the key file ({@code
 * gateway.keys.personal-id}) encrypted under the node's key passphrase ({@code
 * gateway.credentials.passphrase}, the one its private keys are encrypted under) when that
 * passphrase is available, a plain file encrypted on first use with it. Without one, a
 * development node keeps the plain, owner-only file and says so in a warning; the production
 * profile refuses to start.
 */
public final class PersonalIdKeys {

    private static final Logger LOG = LoggerFactory.getLogger(PersonalIdKeys.class);

    private PersonalIdKeys() {
    }

    public static ProtectionKeys load(NodeConfig config) throws IOException {
        char[] passphrase = passphrase(config);
        try {
            if (passphrase == null) {
                if ("production".equals(config.get("gateway.profile"))) {
                    throw new IllegalArgumentException("the production profile keeps the personal-ID key file encrypted: give the"
                            + " node's key passphrase (gateway.credentials.passphrase, env:NAME or file:PATH)");
                }
                LOG.warn("no key passphrase (gateway.credentials.passphrase): the personal-ID key file {} is kept unencrypted,"
                        + " owner-only; the production profile refuses this", config.personalIdKeyFile());
            }
            ProtectionKeys keys = ProtectionKeys.loadOrCreate(config.personalIdKeyFile(), passphrase);
            if (passphrase != null && ProtectionKeys.form(config.personalIdKeyFile()) == ProtectionKeys.Form.PLAIN) {
                LOG.warn("the personal-ID key file {} is unencrypted and could not be encrypted in place (read-only?): encrypt"
                        + " a writable copy (docs/operations.md, \"Data directory\") and put it in its place",
                        config.personalIdKeyFile());
            }
            if (!ProtectionKeys.isOwnerOnly(config.personalIdKeyFile())) {
                LOG.warn("the personal-ID key file {} is readable by others than the node's user", config.personalIdKeyFile());
            }
            return keys;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** The configured passphrase, or null when none is configured or its source is unset or empty. */
    private static char[] passphrase(NodeConfig config) {
        String source = config.get("gateway.credentials.passphrase");
        if (source == null || source.isBlank()) {
            return null;
        }
        try {
            return Passphrases.from(source);
        } catch (CodedException e) {
            if (e.code() == ErrorCode.E_FIELD_MISSING) {
                return null;
            }
            throw e; // named but unusable (pass:, an unreadable file): a mistake to report, not to work around
        }
    }
}
