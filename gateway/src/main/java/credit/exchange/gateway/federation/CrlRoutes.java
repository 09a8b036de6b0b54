package credit.exchange.gateway.federation;

import credit.exchange.routes.api.AnswerHeaders;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
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
 * renews. On a schedule it fetches the CRLs its own and its partners' certificates point to.
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

    /** The listener URI of the CRL port, a netty-http consumer guarded like the exchange listener. */
    static String listener(String host, int port) {
        return "netty-http:http://" + host + ":" + port + PATH + "?matchOnUriPrefix=true&decoders=#" + ListenerGuard.NAME
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
