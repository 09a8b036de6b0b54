package credit.exchange.routes.exchange;

import credit.exchange.security.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The sending half of every exchange: seals a request to a partner's configured certificate,
 * posts it to the partner's exchange listener over mutual TLS, and accepts only what proves
 * itself: an answer envelope that opens, is signed by that partner, answers this very message,
 * and comes with the partner's signed receipt of exactly the bytes we sent, which is kept.
 *
 * <p>An exchange is exactly one attempt: every outcome is either an {@link Answered} or a
 * {@link CodedException} within the partner's configured answer timeout: E_TIMEOUT, E_PARTNER_UNREACHABLE, E_BAD_ANSWER,
 * E_CERT_UNTRUSTED (the server is not the partner), or the code the partner refused us with.
 * Each outcome is an {@code exchange.out} audit event (type, both message ids, latency, outcome),
 * durable before the caller learns it. Retrying is the caller's: the delivery engine's
 * ({@code routes/delivery}) for what must reach the partner, the user's for a mutual query.
 */
public final class PartnerClient {

    public static final String RECEIPT_HEADER = "Exchange-Receipt";
    public static final String ENVELOPE_MEDIA_TYPE = "application/pkcs7-mime";

    /** An answer that proved itself, with the partner's verified receipt of our request. */
    public record Answered(OpenedEnvelope answer, Receipt receipt, Duration latency) {
    }

    private final String self;
    private final NodeEnvelopes envelopes;
    private final Function<Partner, SSLContext> tls;
    private final SentExchanges sent;
    private final EnvelopePolicy policy;
    private final AuditWriter audit;
    private final Clock clock;
    private final Map<String, ClientForPartner> clients = new ConcurrentHashMap<>();

    private record ClientForPartner(Partner partner, HttpClient http) {
    }

    /**
     * A partner's answer as it came over the wire, its body read within the size limit: the HTTP
     * status (or the status of the code a SOAP fault carried), the receipt, if any, and the body:
     * the answer envelope, or the JSON coded error.
     */
    public record PartnerResponse(int status, Optional<String> receipt, byte[] body) {
    }

    /**
     * What carries an envelope to a partner and its answer back: by default an HTTP POST to the
     * partner's exchange listener; the SOAP pull binding carries the same envelopes in SOAP. It
     * throws E_PARTNER_UNREACHABLE, E_TIMEOUT or the code of what went wrong.
     */
    @FunctionalInterface
    public interface Carrier {
        PartnerResponse carry(Partner partner, Partner.ExchangeType type, byte[] envelope, Duration timeout);
    }

    /**
     * @param tls the TLS context for calling a partner (see MutualTls.client), or null in dev mode,
     *        where partners' plain http:// endpoints are called without TLS
     * @param audit the audit trail, where every exchange this node starts is an event
     */
    public PartnerClient(String self, NodeEnvelopes envelopes, Function<Partner, SSLContext> tls, SentExchanges sent,
                         EnvelopePolicy policy, AuditWriter audit, Clock clock) {
        this.self = self;
        this.audit = audit;
        this.envelopes = envelopes;
        this.tls = tls;
        this.sent = sent;
        this.policy = policy;
        this.clock = clock;
    }

    /** Sends one request to the partner's exchange listener and returns its proven answer. */
    public Answered exchange(Partner partner, Partner.ExchangeType type, byte[] payload) {
        return exchange(partner, type, payload, listener());
    }

    /** The default carrier: an HTTP POST to the partner's exchange listener. */
    public Carrier listener() {
        return (partner, type, envelope, timeout) -> post(partner, envelope, timeout);
    }

    /** Sends one request by the given carrier and returns its proven answer. */
    public Answered exchange(Partner partner, Partner.ExchangeType type, byte[] payload, Carrier carrier) {
        if (!partner.enabled()) {
            throw new CodedException(ErrorCode.E_UNKNOWN_PARTNER, "partner " + partner.id() + " is disabled in " + partner.source());
        }
        if (!partner.weStart(type)) {
            throw new CodedException(ErrorCode.E_NOT_CONFIGURED, "this node does not send " + type.wireName() + " exchanges to "
                    + partner.id() + ": " + partner.source() + " does not say so (" + Partner.keyFor(type) + ")");
        }
        Instant start = clock.instant();
        ExchangeHeaders headers = new ExchangeHeaders(UUID.randomUUID().toString(), self, partner.id(), type.wireName(),
                null, start);
        byte[] envelope = envelopes.seal(payload, headers, partner.certificate());
        PartnerResponse response;
        Answered answered;
        try {
            response = carrier.carry(partner, type, envelope, partner.answerTimeout());
            answered = proven(partner, headers, envelope, response, start);
        } catch (CodedException e) {
            sent.record(headers, digest(envelope), null, e.code().name());
            audited(partner, type, List.of(headers.messageId()), start, e.code());
            throw e;
        }
        sent.record(headers, digest(envelope), response.receipt().map(PartnerClient::base64).orElse(null), "ANSWERED");
        audited(partner, type, List.of(headers.messageId(), answered.answer().headers().messageId()), start, null);
        return answered;
    }

    /** The exchange's event: ANSWERED, or the failure's code as both outcome and reason. */
    private void audited(Partner partner, Partner.ExchangeType type, List<String> messageIds, Instant start, ErrorCode failure) {
        Instant end = clock.instant();
        AuditEvent.Builder event = AuditEvent.by(AuditEvent.ActorKind.NODE, self, AuditEvent.Action.EXCHANGE_OUT).at(end)
                .partner(partner.id()).messageIds(messageIds).latency(Duration.between(start, end)).detail(type.wireName());
        audit.append(List.of((failure == null ? event.outcome(AuditEvent.Outcome.ANSWERED) : event.outcome(failure).reason(failure)).build()));
    }

    private PartnerResponse post(Partner partner, byte[] envelope, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(partner.exchangeUri())
                .timeout(timeout)
                .header("Content-Type", ENVELOPE_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
                .build();
        try {
            HttpResponse<InputStream> response = client(partner).send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(policy.maxBytes() + 1);
                if (bytes.length > policy.maxBytes()) {
                    throw new CodedException(ErrorCode.E_BAD_ANSWER, "partner " + partner.id() + " answered more than "
                            + policy.maxBytes() + " bytes");
                }
                return new PartnerResponse(response.statusCode(), response.headers().firstValue(RECEIPT_HEADER), bytes);
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "partner " + partner.id() + " at " + partner.endpoint()
                    + " does not accept connections", e);
        } catch (HttpTimeoutException e) {
            throw new CodedException(ErrorCode.E_TIMEOUT, "partner " + partner.id() + " did not answer within "
                    + partner.answerTimeout().toMillis() + " ms");
        } catch (SSLException e) {
            String reason = String.valueOf(e.getMessage());
            throw reason.contains(ErrorCode.E_CERT_UNTRUSTED.name()) || reason.contains(ErrorCode.E_CERT_REVOKED.name())
                    || reason.contains(ErrorCode.E_CERT_EXPIRED.name())
                    ? new CodedException(ErrorCode.E_CERT_UNTRUSTED, "partner " + partner.id()
                            + "'s TLS certificate is refused: " + reason, e)
                    : new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "the TLS handshake with partner " + partner.id()
                            + " failed: " + reason, e);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof SSLException ssl ? ssl : e;
            throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "the exchange with partner " + partner.id()
                    + " failed: " + cause.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodedException(ErrorCode.E_TIMEOUT, "the exchange with partner " + partner.id() + " was interrupted");
        }
    }

    /** The answer, if it proves itself: the partner's sealed answer to this message, with its receipt of our bytes. */
    private Answered proven(Partner partner, ExchangeHeaders request, byte[] envelope, PartnerResponse response,
                            Instant start) {
        if (response.status() != 200) {
            throw refusal(partner, response);
        }
        String receiptHeader = response.receipt().orElseThrow(() -> new CodedException(
                ErrorCode.E_BAD_ANSWER, "partner " + partner.id() + " answered without a receipt"));
        OpenedEnvelope answer;
        Receipt receipt;
        try {
            answer = envelopes.open(response.body());
            receipt = envelopes.suite(partner.suite()).verifyReceipt(base64(receiptHeader), envelope);
        } catch (CodedException e) {
            throw new CodedException(ErrorCode.E_BAD_ANSWER, "partner " + partner.id() + "'s answer is refused: "
                    + e.code() + ": " + e.getMessage(), e);
        }
        requireAnswerTo(request, partner.id(), answer, receipt);
        return new Answered(answer, receipt, Duration.between(start, clock.instant()));
    }

    /**
     * What makes an opened answer and a verified receipt the partner's reply to this request: the
     * answer is the partner's, correlated to the request and of its answer type, and the receipt is
     * the partner's for this message id. Any other pair is {@code E_BAD_ANSWER}.
     */
    public static void requireAnswerTo(ExchangeHeaders request, String partner, OpenedEnvelope answer, Receipt receipt) {
        ExchangeHeaders h = answer.headers();
        if (!h.sender().equals(partner) || !request.messageId().equals(h.correlationId())
                || !(request.exchangeType() + "-answer").equals(h.exchangeType())
                || !receipt.messageId().equals(request.messageId()) || !receipt.receiver().equals(partner)) {
            throw new CodedException(ErrorCode.E_BAD_ANSWER, "partner " + partner
                    + " answered with an envelope that is not its answer to message " + request.messageId());
        }
    }

    /** A partner's coded refusal (its JSON error), or E_BAD_ANSWER if it is not one. */
    private static CodedException refusal(Partner partner, PartnerResponse response) {
        try {
            JsonNode error = Json.mapper().readTree(new String(response.body(), StandardCharsets.UTF_8));
            ErrorCode code = ErrorCode.valueOf(error.path("code").asText());
            return new CodedException(code, "partner " + partner.id() + " refused: " + error.path("message").asText());
        } catch (IOException | IllegalArgumentException e) {
            return new CodedException(ErrorCode.E_BAD_ANSWER, "partner " + partner.id() + " answered HTTP "
                    + response.status() + " without a coded error");
        }
    }

    private HttpClient client(Partner partner) {
        ClientForPartner current = clients.get(partner.id());
        if (current == null || !current.partner().equals(partner)) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(partner.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (partner.endpoint().getScheme().equals("https")) {
                if (tls == null) {
                    throw new CodedException(ErrorCode.E_UNAVAILABLE, "this node has no TLS credential to call " + partner.endpoint());
                }
                builder.sslContext(tls.apply(partner));
            } else if (tls != null) {
                throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "partner " + partner.id()
                        + " has a plain http endpoint; only a node in dev mode calls one");
            }
            current = new ClientForPartner(partner, builder.build());
            clients.put(partner.id(), current);
        }
        return current.http();
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_BAD_ANSWER, "the receipt header is not base64");
        }
    }

    private byte[] digest(byte[] envelope) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(envelope);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
