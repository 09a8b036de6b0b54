package credit.exchange.routes.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One conformance run's envelopes to the partner: sealed with the node's keys, each posted once
 * without retries, every one kept with what came back, and answers opened and checked to be the
 * partner's answer to what was sent. The cases of {@link ConformanceRunner} judge them.
 */
final class ConformanceSession {

    /** One envelope sent and what came back: the partner's response, or the code of why none came. */
    record Sent(String what, ExchangeHeaders headers, byte[] envelope, PartnerClient.PartnerResponse response,
                        CodedException failure) {
    }

    private final String self;
    private final Partner partner;
    private final NodeEnvelopes envelopes;
    private final PartnerClient.Carrier carrier;
    private final Duration timeout;
    private final String uscc;
    private final String requestedBy;
    /** Every envelope sent, in order. */
    private final List<Sent> sent = new ArrayList<>();

    ConformanceSession(String self, Partner partner, NodeEnvelopes envelopes, PartnerClient.Carrier carrier, Duration timeout,
                       String uscc, String requestedBy) {
        this.self = self;
        this.partner = partner;
        this.envelopes = envelopes;
        this.carrier = carrier;
        this.timeout = timeout;
        this.uscc = uscc;
        this.requestedBy = requestedBy;
    }

    /** The message ids of every envelope sent, in order. */
    List<String> sentMessageIds() {
        return sent.stream().map(s -> s.headers().messageId()).distinct().toList();
    }

    /** The code of a refusal's JSON error, if it is one. */
    static Optional<ErrorCode> code(Sent s) {
        if (s.response() == null || s.response().status() == 200) {
            return Optional.empty();
        }
        try {
            JsonNode error = Json.mapper().readTree(new String(s.response().body(), StandardCharsets.UTF_8));
            return Optional.of(ErrorCode.valueOf(error.path("code").asText()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The opened answer to what was sent: the partner's, to us, correlated to it and of its answer type; else a CodedException saying why not. */
    OpenedEnvelope answerTo(Sent s) {
        if (s.failure() != null) {
            throw problem("expected an answer, got none: " + s.failure().code() + ": " + s.failure().getMessage());
        }
        if (s.response().status() != 200) {
            throw problem("expected an answer (HTTP 200), got " + describe(s.response()));
        }
        OpenedEnvelope answer;
        try {
            answer = envelopes.open(s.response().body());
        } catch (CodedException e) {
            throw problem("the answer does not open: " + e.code() + ": " + e.getMessage());
        }
        ExchangeHeaders h = answer.headers();
        String type = s.headers().exchangeType() + "-answer";
        if (!h.sender().equals(partner.id())) {
            throw problem("the answer is " + h.sender() + "'s, not " + partner.id() + "'s");
        }
        if (!s.headers().messageId().equals(h.correlationId())) {
            throw problem("the answer's correlation id is " + h.correlationId() + ", not our message id " + s.headers().messageId());
        }
        if (!type.equals(h.exchangeType())) {
            throw problem("the answer's exchange type is " + h.exchangeType() + ", not " + type);
        }
        return answer;
    }

    static JsonNode json(byte[] payload) {
        try {
            JsonNode node = Json.mapper().readTree(payload);
            if (node == null || !node.isObject()) {
                throw problem("the answer's payload is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw problem("the answer's payload is not JSON");
        }
    }

    static String describe(PartnerClient.PartnerResponse r) {
        if (r.status() == 200) {
            return "HTTP 200 (an answer)";
        }
        try {
            JsonNode error = Json.mapper().readTree(new String(r.body(), StandardCharsets.UTF_8));
            if (error.path("code").isTextual()) {
                return "HTTP " + r.status() + " " + error.path("code").asText() + ": " + error.path("message").asText();
            }
        } catch (IOException e) {
            // described by its status alone
        }
        return "HTTP " + r.status() + " without a coded error";
    }

    ExchangeHeaders headers(String messageId, String recipient, String type, Instant signingTime) {
        return new ExchangeHeaders(messageId, self, recipient, type, null, signingTime);
    }

    byte[] queryPayload(String purpose) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uscc", uscc);
        query.put("requestedBy", requestedBy);
        query.put("purpose", purpose);
        return PushMessages.write(query);
    }

    byte[] seal(ExchangeHeaders headers, byte[] payload) {
        return envelopes.seal(payload, headers, partner.certificate());
    }

    Sent send(String what, ExchangeHeaders headers, byte[] payload) {
        return post(what, headers, seal(headers, payload));
    }

    /** Posts once, no retry: a partner's answer is judged as it comes. */
    Sent post(String what, ExchangeHeaders headers, byte[] envelope) {
        Partner.ExchangeType type = Partner.ExchangeType.of(headers.exchangeType()).orElseThrow();
        Sent s;
        try {
            s = new Sent(what, headers, envelope, carrier.carry(partner, type, envelope, timeout), null);
        } catch (CodedException e) {
            s = new Sent(what, headers, envelope, null, e);
        }
        sent.add(s);
        return s;
    }

    static CodedException problem(String message) {
        return new CodedException(ErrorCode.E_BAD_ANSWER, message);
    }
}
