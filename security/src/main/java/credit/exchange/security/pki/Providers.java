package credit.exchange.security.pki;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance of this process. Every trust primitive asks for its
 * algorithms by this instance, never by the JDK default: SM2/SM3/SM4 exist only here, and the
 * JDK's own ECDSA is several times slower than BouncyCastle's on these machines.
 */
public final class Providers {

    private static final Provider BC = install();

    private Providers() {
    }

    /** The BouncyCastle provider, registered with {@link Security} on first use. */
    public static Provider bc() {
        return BC;
    }

    private static Provider install() {
        synchronized (Security.class) {
            Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            if (registered != null) {
                return registered;
            }
            Provider provider = new BouncyCastleProvider();
            Security.addProvider(provider);
            return provider;
        }
    }
}
