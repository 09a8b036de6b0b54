package credit.exchange.security.envelope;

import java.time.Duration;

/**
 * Limits applied when opening an envelope.
 *
 * @param freshness how far the signing time may lie from our clock, either way (default ±300 s);
 *                  message ids are remembered for twice this
 * @param maxBytes  the largest envelope accepted (default 16 MiB)
 */
public record EnvelopePolicy(Duration freshness, int maxBytes) {

    public static final EnvelopePolicy DEFAULT = new EnvelopePolicy(Duration.ofSeconds(300), 16 * 1024 * 1024);
}
