package credit.exchange.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import credit.exchange.security.transport.MutualTls;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLSocketFactory;

/**
 * A partner node reduced to its exchange client, for load drivers and fault tests: its alliance
 * credentials (the INTL one for mutual TLS), its own clock, and nothing else — no database. An
 * exchange is proven as a partner proves it: the answer opens, answers this message, and comes
 * with the node's receipt of exactly the bytes sent.
 */
public final class SimulatedPartner implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String id;
    private final String target;
    private final Suite suite;
    private final Envelopes envelopes;
    private final NodeCredentials credential;
    /** Kept-alive TLS connections to the listener, one per exchange in flight, each reused by the next exchange. */
    private final Deque<KeepAliveHttp> connections = new ConcurrentLinkedDeque<>();
    private final SSLSocketFactory tls;
    private final URI listener;
    private final X509Certificate targetCertificate;
    private final Clock clock;

    /**
     * @param credentials the partner's credential in each suite; INTL is its TLS certificate
     * @param validator   the alliance's trust (anchors, CRLs) the partner checks the node with
     */
    public SimulatedPartner(String id, Map<Suite, NodeCredentials> credentials, Suite suite, CertificateValidator validator,
                            EnvelopePolicy policy, String target, URI listener, X509Certificate targetCertificate, Clock clock) {
        this.id = id;
        this.target = target;
        this.suite = suite;
        this.credential = credentials.get(suite);
        this.envelopes = new Envelopes(credential, (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING),
                new InMemoryReplayGuard(clock), clock, policy);
        this.tls = MutualTls.client(credentials.get(Suite.INTL), validator, target).getSocketFactory();
        this.listener = listener;
        this.targetCertificate = targetCertificate;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    /** Its envelopes (in the exchange's suite), for measuring their cryptography alone. */
    public Envelopes envelopes() {
        return envelopes;
    }

    public X509Certificate certificate() {
        return credential.certificate();
    }

    /** One exchange; empty when answered and proven, else the code it failed with (the node's refusal, or the partner's). */
    public java.util.Optional<String> exchange(String type, byte[] payload) {
        try {
            answer(type, payload);
            return java.util.Optional.empty();
        } catch (CodedException e) {
            return java.util.Optional.of(e.code().name());
        } catch (Refused e) {
            return java.util.Optional.of(e.code);
        }
    }

    /** The node's proven answer to one exchange. */
    public OpenedEnvelope answer(String type, byte[] payload) {
        ExchangeHeaders request = new ExchangeHeaders(UUID.randomUUID().toString(), id, target, type, null, clock.instant());
        byte[] sealed = envelopes.seal(payload, request, targetCertificate);
        KeepAliveHttp.Answer response = post(sealed);
        if (response.status() != 200) {
            String code;
            String message;
            try {
                JsonNode error = Json.mapper().readTree(response.body());
                code = error.path("code").asText("HTTP " + response.status());
                message = error.path("message").asText("");
            } catch (IOException e) {
                code = "HTTP " + response.status();
                message = "";
            }
            throw new Refused(code, message);
        }
        OpenedEnvelope answer = envelopes.open(response.body());
        Receipt receipt = envelopes.verifyReceipt(Base64.getDecoder().decode(response.header(PartnerClient.RECEIPT_HEADER)
                .orElseThrow(() -> new CodedException(ErrorCode.E_BAD_ANSWER, "no receipt"))), sealed, target);
        PartnerClient.requireAnswerTo(request, target, answer, receipt);
        return answer;
    }

    /** Posts the envelope on a kept-alive connection of the pool (a new one if all are in use); a failed one is closed. */
    private KeepAliveHttp.Answer post(byte[] sealed) {
        KeepAliveHttp connection = connections.pollFirst();
        if (connection == null) {
            connection = new KeepAliveHttp(tls, listener.getHost(), listener.getPort(), (int) TIMEOUT.toMillis());
        }
        try {
            KeepAliveHttp.Answer answer = connection.post(listener.getRawPath().isEmpty() ? "/" : listener.getRawPath(),
                    PartnerClient.ENVELOPE_MEDIA_TYPE, sealed);
            connections.offerFirst(connection);
            return answer;
        } catch (SocketTimeoutException e) {
            connection.close();
            throw new CodedException(ErrorCode.E_TIMEOUT, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            connection.close();
            throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, e.getClass().getSimpleName());
        }
    }

    /** Closes the kept-alive connections not in use: call it once no exchange is in flight. */
    @Override
    public void close() {
        for (KeepAliveHttp c = connections.pollFirst(); c != null; c = connections.pollFirst()) {
            c.close();
        }
    }

    /**
     * Why one exchange failed: the code (the node's refusal, or the partner's own check of the
     * answer) and its message, for a test's report of what went wrong.
     */
    public static String failure(RuntimeException e) {
        if (e instanceof Refused) {
            return e.getMessage();
        }
        return e instanceof CodedException c ? c.code() + ": " + c.getMessage() : e.toString();
    }

    /** The node refused the exchange with this code (its coded error), or answered HTTP without one; its message is code and the node's words. */
    private static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message.isEmpty() ? code : code + ": " + message, null, false, false);
            this.code = code;
        }
    }
}
