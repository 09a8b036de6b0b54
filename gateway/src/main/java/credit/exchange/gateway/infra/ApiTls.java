package credit.exchange.gateway.infra;

import credit.exchange.security.pki.NodeCredentials;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;

/**
 * HTTPS for the node's API and console ({@code gateway.http.tls=true}): Camel's HTTP server
 * answers with the node's own TLS credential (its INTL key and certificate), handed over as an
 * in-memory key store so the key never touches a key store file. TLS 1.3 and 1.2 (browsers and
 * department systems), no client certificate: people and platforms prove themselves with bearer
 * tokens.
 */
public final class ApiTls {

    private ApiTls() {
    }

    public static SSLContextParameters of(NodeCredentials credential) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getEncoder().encodeToString(random); // protects the in-memory entry only
            store.setKeyEntry("node", credential.privateKey(), password.toCharArray(),
                    credential.certificateChain().toArray(new X509Certificate[0]));
            KeyStoreParameters keyStore = new KeyStoreParameters() {
                @Override
                public KeyStore createKeyStore() {
                    return store;
                }
            };
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(keyStore);
            keys.setKeyPassword(password);
            SSLContextParameters parameters = new SSLContextParameters();
            parameters.setKeyManagers(keys);
            SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
            protocols.getSecureSocketProtocol().add("TLSv1.3");
            protocols.getSecureSocketProtocol().add("TLSv1.2");
            parameters.setSecureSocketProtocols(protocols);
            return parameters;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the node's TLS credential cannot serve the API: " + e.getMessage(), e);
        }
    }
}
