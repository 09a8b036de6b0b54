package credit.exchange.gateway.federation;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the node's alliance CRLs come from, and the one way they get in: the CRL files of the
 * configuration ({@code gateway.trust.crls}) and the CRL distribution points of the certificates
 * the node knows (its own, its partners'), both handed to the one {@link CertificateValidator},
 * which adopts a CRL only if a trust anchor signed it and it is newer (higher CRL number) than the
 * one held. The CRLs held are also what the node serves at {@code GET /crl/<suite>.crl} (docs/protocol.md §8).
 *
 * <p>A fetch that fails (unreachable, not a CRL, not signed by an anchor) is one log line without
 * a stack trace; the CRL held stays in force and the next round tries again.
 */
public final class CrlDistribution {

    /** Registry name under which the readiness probe finds this. */
    public static final String REGISTRY_NAME = "crlDistribution";
    /** The media type of a DER CRL (RFC 2585). */
    public static final String MEDIA_TYPE = "application/pkix-crl";
    /** A CRL larger than this is refused unread: the alliance's lists are short. */
    static final int MAX_CRL_BYTES = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(CrlDistribution.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final CertificateValidator validator;
    private final List<Path> files;
    private final Clock clock;
    private final HttpClient http;
    /** Where each held CRL came from (a file or a URL), by the anchor that signed it. */
    private final Map<X509Certificate, String> sources = new ConcurrentHashMap<>();

    /**
     * @param validator the node's validator, which holds the CRLs in force
     * @param files the CRL files of the configuration, re-read by {@link #rereadFiles}
     */
    public CrlDistribution(CertificateValidator validator, List<Path> files, Clock clock) {
        this.validator = validator;
        this.files = List.copyOf(files);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Reads the CRL files; a newer CRL takes effect at once. A file that cannot be read is logged and skipped. */
    public void rereadFiles() {
        for (Path f : files) {
            try {
                adopt(PemFiles.readCrl(f), f.toString());
            } catch (IOException | RuntimeException e) {
                LOG.warn("CRL {} cannot be read ({}); the one held stays in force", f, reason(e));
            }
        }
    }

    /**
     * Fetches the CRL of every distribution point the certificates name (each URL once), adopting
     * what verifies and is newer. A point that fails is logged in one line and tried next round.
     */
    public void fetch(Collection<X509Certificate> known) {
        for (URI url : distributionPoints(known)) {
            try {
                adopt(download(url), url.toString());
            } catch (IOException | RuntimeException e) {
                LOG.warn("CRL from {} not fetched ({}); the one held stays in force, tried again next round", url, reason(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether every trust anchor has a CRL that is current now (nextUpdate plus grace not passed). */
    public boolean current() {
        return status().stream().noneMatch(line -> line.startsWith("DOWN"));
    }

    /** The CRL this node serves for a suite: the newest (latest thisUpdate) of the CRLs it holds of that suite's anchors. */
    public Optional<X509CRL> served(Suite suite) {
        return newest(suite).map(CertificateValidator.HeldCrl::crl);
    }

    /** Seconds since the thisUpdate of the CRL served for a suite; NaN when the node holds none (a gauge). */
    public double ageSeconds(Suite suite) {
        return newest(suite).map(h -> (double) Duration.between(h.thisUpdate(), clock.instant()).toSeconds()).orElse(Double.NaN);
    }

    /**
     * Seconds until the CRL served for a suite stops being current (its nextUpdate plus grace), below
     * zero once it has; NaN when the node holds none (a gauge).
     */
    public double secondsCurrent(Suite suite) {
        return newest(suite).map(h -> (double) Duration.between(clock.instant(), h.currentUntil()).toSeconds()).orElse(Double.NaN);
    }

    private Optional<CertificateValidator.HeldCrl> newest(Suite suite) {
        return validator.heldCrls().stream().filter(h -> h.suite() == suite).max(Comparator.comparing(CertificateValidator.HeldCrl::thisUpdate));
    }

    /** The DER of {@link #served}. */
    public Optional<byte[]> servedDer(Suite suite) {
        return served(suite).map(crl -> {
            try {
                return crl.getEncoded();
            } catch (CRLException e) {
                throw new IllegalStateException("a held CRL cannot be encoded", e);
            }
        });
    }

    /**
     * The readiness view, per anchor: {@code "<suite> CRL <number>, thisUpdate …, nextUpdate …, from <source>"},
     * prefixed {@code DOWN} when it is past its nextUpdate plus grace (the anchor's certificates are
     * refused), and a {@code DOWN} line for an anchor without a CRL.
     */
    public List<String> status() {
        Instant now = clock.instant();
        List<String> lines = new ArrayList<>();
        Set<X509Certificate> withCrl = new HashSet<>();
        for (CertificateValidator.HeldCrl h : validator.heldCrls()) {
            withCrl.add(h.anchor());
            boolean stale = now.isAfter(h.currentUntil());
            lines.add((stale ? "DOWN " : "") + h.suite() + " CRL " + h.number() + ", thisUpdate " + h.thisUpdate() + ", nextUpdate "
                    + h.nextUpdate() + (stale ? " (past it and the grace of " + validator.crlGrace().toSeconds() + " s: certificates refused)"
                    : "") + ", from " + sources.getOrDefault(h.anchor(), "the configuration"));
        }
        for (X509Certificate anchor : validator.trustAnchors()) {
            if (!withCrl.contains(anchor)) {
                lines.add("DOWN no CRL of " + anchor.getSubjectX500Principal().getName() + ": its certificates are refused");
            }
        }
        return lines;
    }

    /** The distinct CRL URLs the certificates name, in order. */
    static Set<URI> distributionPoints(Collection<X509Certificate> known) {
        Set<URI> urls = new LinkedHashSet<>();
        for (X509Certificate c : known) {
            try {
                urls.addAll(AllianceProfile.crlUrls(c));
            } catch (RuntimeException e) {
                LOG.warn("the CRL distribution points of certificate {} do not parse; skipped", c.getSerialNumber().toString(16));
            }
        }
        return urls;
    }

    /** Hands a CRL to the validator; if adopted, remembers {@code source} as where it came from. */
    void adopt(X509CRL crl, String source) {
        if (validator.updateCrl(crl)) {
            validator.heldCrls().stream().filter(h -> h.crl().equals(crl)).findFirst().ifPresent(h -> {
                sources.put(h.anchor(), source);
                LOG.info("adopted {} CRL {} (thisUpdate {}, nextUpdate {}) from {}", h.suite(), h.number(), h.thisUpdate(),
                        h.nextUpdate(), source);
            });
        }
    }

    private X509CRL download(URI url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).header("Accept", MEDIA_TYPE).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_CRL_BYTES + 1);
            if (bytes.length > MAX_CRL_BYTES) {
                throw new IOException("more than " + MAX_CRL_BYTES + " bytes");
            }
            return PemFiles.parseCrl(bytes);
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
