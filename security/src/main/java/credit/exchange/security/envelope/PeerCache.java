package credit.exchange.security.envelope;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What is derived once per peer certificate and reused for every message (parsed keys,
 * verifiers). Only certificates of alliance nodes reach it, so the membership bounds it; a hard
 * cap bounds it regardless, by starting afresh.
 */
final class PeerCache<V> {

    static final int MAX_ENTRIES = 4096;

    private final Map<X509Certificate, V> values = new ConcurrentHashMap<>();

    V get(X509Certificate certificate, Supplier<V> derive) {
        V value = values.get(certificate);
        if (value == null) {
            value = derive.get();
            if (values.size() >= MAX_ENTRIES) {
                values.clear();
            }
            values.put(certificate, value);
        }
        return value;
    }
}
