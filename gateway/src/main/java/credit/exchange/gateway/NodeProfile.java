package credit.exchange.gateway;

import credit.exchange.security.CodedException;
import credit.exchange.security.pki.Passphrases;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The profile a node runs in ({@code gateway.profile}): {@code development} or {@code production},
 * spelled exactly so — any other value refuses to start, since a misspelt production profile must
 * not quietly run as a development node. A production node refuses every setting that is only fit
 * for a developer's machine, each refusal naming its key.
 */
public enum NodeProfile {
    DEVELOPMENT, PRODUCTION;

    /** The configured profile; IllegalArgumentException for any value but the two. */
    public static NodeProfile of(NodeConfig config) {
        String value = config.get("gateway.profile");
        return switch (value) {
            case "development" -> DEVELOPMENT;
            case "production" -> PRODUCTION;
            default -> throw new IllegalArgumentException("gateway.profile is '" + value + "'; it is development or production");
        };
    }

    /** Refuses to start (IllegalArgumentException naming each setting) a configuration this profile does not run. */
    public static NodeProfile check(NodeConfig config) {
        NodeProfile profile = of(config);
        if (profile == PRODUCTION) {
            List<String> refused = productionRefusals(config);
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("the production profile refuses to start: " + String.join("; ", refused));
            }
        }
        return profile;
    }

    static List<String> productionRefusals(NodeConfig config) {
        List<String> refused = new ArrayList<>();
        if (config.get("gateway.auth.issuer").isEmpty()) {
            refused.add("gateway.auth.issuer is empty: the development issuer signs tokens without passwords; name the realm");
        }
        if (!config.get("gateway.exchange.dev-mode").equalsIgnoreCase("false")) {
            refused.add("gateway.exchange.dev-mode=" + config.get("gateway.exchange.dev-mode")
                    + ": partner exchanges would be served over plain HTTP without client certificates; set it to false");
        }
        String host = config.get("gateway.http.host");
        if (!config.get("gateway.http.tls").equalsIgnoreCase("true") && !loopback(host)) {
            refused.add("gateway.http.host=" + host + " serves the API and the console in plain HTTP on a network; set"
                    + " gateway.http.tls=true (the node's TLS certificate) or keep gateway.http.host on 127.0.0.1 behind a TLS proxy");
        }
        String source = config.get("gateway.credentials.passphrase");
        if (!config.get("gateway.credentials.intl.key").isEmpty() || !config.get("gateway.credentials.gm.key").isEmpty()) {
            char[] passphrase = null;
            try {
                passphrase = Passphrases.from(source);
                Passphrases.requireStrong(passphrase, "gateway.credentials.passphrase (" + source + ")");
            } catch (CodedException e) {
                refused.add(e.getMessage());
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
        return refused;
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
