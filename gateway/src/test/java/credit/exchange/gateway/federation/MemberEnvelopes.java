package credit.exchange.gateway.federation;

import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.transport.MutualTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** An alliance member's envelopes and exchange listener as a test drives them: sealing as the member, posting as its TLS identity. */
final class MemberEnvelopes {

    private MemberEnvelopes() {
    }

    /** The envelope layer of {@code node}, with a replay memory of its own. */
    static NodeEnvelopes of(DemoAlliance alliance, String node) throws Exception {
        return NodeIdentity.load(alliance.config(DemoAlliance.member(node)), Clock.systemUTC()).orElseThrow()
                .envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
    }

    /** Posts {@code envelope} as node {@code as} (its TLS certificate) to {@code to}'s exchange listener. */
    static HttpResponse<byte[]> post(DemoAlliance alliance, String as, String to, byte[] envelope) throws Exception {
        NodeIdentity identity = NodeIdentity.load(alliance.config(DemoAlliance.member(as)), Clock.systemUTC()).orElseThrow();
        HttpClient client = HttpClient.newBuilder()
                .sslContext(MutualTls.client(identity.tlsCredential().orElseThrow(), identity.validator(), to))
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(alliance.exchangeUrl(DemoAlliance.member(to))))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", PartnerClient.ENVELOPE_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
