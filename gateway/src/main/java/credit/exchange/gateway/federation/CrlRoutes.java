package credit.exchange.gateway.federation;

import credit.exchange.routes.api.AnswerHeaders;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * CRL distribution (docs/protocol.md §8): the node serves the alliance CRL it holds, per suite, at
 * {@code GET /crl/intl.crl} and {@code GET /crl/gm.crl} (DER, {@value CrlDistribution#MEDIA_TYPE})
 * on its CRL port, plain HTTP like RFC 5280's distribution points: a CRL is signed by the CA and
 * needs no channel security, and a fetch over mutual TLS would need the very revocation status it
 * renews. On a schedule it fetches the CRLs its own and its partners' certificates point to; the
 * gauges {@code gateway_crl_age_seconds} and {@code gateway_crl_current_seconds} (per suite) show
 * how old the CRL held is and how long it stays current.
 */
final class CrlRoutes extends ApiRouteBuilder {

    /** The path prefix of the served CRLs. */
    static final String PATH = "/crl";

    private final CrlDistribution crls;
    private final String listenerUri;
    private final long refreshMillis;
    private final Supplier<Collection<X509Certificate>> known;

    /**
     * @param listenerUri the CRL port's consumer endpoint, or null when the node serves no CRL (port 0)
     * @param known the certificates whose distribution points are fetched: the node's own and its partners'
     */
    CrlRoutes(CrlDistribution crls, String listenerUri, long refreshMillis, Supplier<Collection<X509Certificate>> known) {
        this.crls = crls;
        this.listenerUri = listenerUri;
        this.refreshMillis = refreshMillis;
        this.known = known;
    }

    /** The listener URI of the CRL port, a netty-http consumer with the exchange listener's time limits. */
    static String listener(String host, int port) {
        return "netty-http:http://" + host + ":" + port + PATH + "?matchOnUriPrefix=true&decoders=#" + ListenerGuard.CRL_NAME
                + "&headerFilterStrategy=#" + AnswerHeaders.REGISTRY_NAME;
    }

    @Override
    protected void configureApi() {
        if (listenerUri != null) {
            from(listenerUri).routeId("crl-distribution")
                    .process(this::serve);
        }
        from("timer:crl-refresh?period=" + refreshMillis + "&delay=" + refreshMillis).routeId("crl-refresh")
                .process(e -> crls.fetch(known.get()));
        from("timer:crl-gauges?repeatCount=1").routeId("crl-gauges")
                .process(e -> registerGauges());
    }

    /** Per suite, the age of the CRL held and how long it stays current, for the metrics scrape. */
    private void registerGauges() {
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        for (Suite suite : Suite.values()) {
            Gauge.builder("gateway.crl.age.seconds", crls, c -> c.ageSeconds(suite))
                    .description("seconds since the thisUpdate of the alliance CRL this node holds (NaN: none)")
                    .tag("suite", suite.name()).register(registry);
            Gauge.builder("gateway.crl.current.seconds", crls, c -> c.secondsCurrent(suite))
                    .description("seconds until that CRL's nextUpdate plus grace; below 0 the CA's certificates are refused (NaN: none)")
                    .tag("suite", suite.name()).register(registry);
        }
    }

    private void serve(Exchange exchange) {
        var in = exchange.getMessage();
        if (!"GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            throw new CodedException(ErrorCode.E_METHOD_NOT_ALLOWED, "the CRL port takes GET " + PATH + "/intl.crl or " + PATH + "/gm.crl");
        }
        String uri = in.getHeader(Exchange.HTTP_URI, "", String.class);
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Suite suite = null;
        for (Suite s : Suite.values()) {
            if (path.equals(PATH + "/" + s.name().toLowerCase(Locale.ROOT) + ".crl")) {
                suite = s;
            }
        }
        if (suite == null) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no CRL here; the CRLs are " + PATH + "/intl.crl and " + PATH + "/gm.crl");
        }
        Suite asked = suite;
        byte[] der = crls.servedDer(suite).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND,
                "this node holds no CRL of an alliance CA of suite " + asked));
        exchange.getMessage().removeHeaders("*"); // nothing of the request is echoed
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CrlDistribution.MEDIA_TYPE);
        exchange.getMessage().setBody(der);
    }
}
