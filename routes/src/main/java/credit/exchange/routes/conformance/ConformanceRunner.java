package credit.exchange.routes.conformance;

import static credit.exchange.routes.conformance.ConformanceSession.code;
import static credit.exchange.routes.conformance.ConformanceSession.describe;
import static credit.exchange.routes.conformance.ConformanceSession.json;
import static credit.exchange.routes.conformance.ConformanceSession.problem;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.conformance.ConformanceReport.Outcome;
import credit.exchange.routes.conformance.ConformanceReport.Result;
import credit.exchange.routes.conformance.ConformanceSession.Sent;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs the protocol's conformance cases ({@link ConformanceCase}, docs/protocol.md, "Conformance") against a
 * partner's exchange listener, acting as this node: it seals real envelopes with the node's keys —
 * valid ones, and deliberately bad ones (a flipped byte, a signing time outside any window, a
 * reused message id, another recipient) — sends each once, without retries, and checks the answer
 * or the refusal against the protocol. What a pull hands over is kept, as a pull by the node keeps
 * it, before it is acknowledged: a run loses no delivery.
 *
 * <p>A partner that cannot be reached at the first request (connection, TLS, timeout) ends the run
 * with that code: nothing was tested. Every later failure is a case's FAIL.
 */
public final class ConformanceRunner {

    /** How far outside the partner's freshness window (±300 s by default) a stale envelope is signed. */
    static final Duration STALE_BY = Duration.ofHours(1);
    /** The codes a tampered envelope may be refused with (§5: where the flipped byte is found depends on the suite). */
    private static final Set<ErrorCode> TAMPERED = Set.of(ErrorCode.E_DECRYPTION_FAILED, ErrorCode.E_SIGNATURE_INVALID,
            ErrorCode.E_MALFORMED);
    /** The codes by which a partner says it does not let us pull: cases 8 to 10 are skipped, not failed. */
    private static final Set<ErrorCode> NO_PULL = Set.of(ErrorCode.E_UNKNOWN_PARTNER, ErrorCode.E_NOT_GRANTED);

    private final String self;
    private final Partner partner;
    private final NodeEnvelopes envelopes;
    private final ReceivedDeliveries received;
    private final Clock clock;
    private final Instant signerValidFrom;
    private final ConformanceSession session;

    /** The answers that must carry a receipt (case 2), by what they answered. */
    private final Map<String, Sent> answered = new LinkedHashMap<>();
    /** Every refusal seen (case 11). */
    private final List<Sent> refusals = new ArrayList<>();

    /**
     * @param partner the partner as this node knows it (id, suite, certificate; its endpoint the one tested)
     * @param carrier what posts an envelope to the partner's exchange listener (PartnerClient#listener)
     * @param received where this node keeps pulled deliveries
     * @param timeout how long each request waits for its answer
     * @param signerValidFrom when this node's certificate of the partner's suite became valid: no envelope is signed earlier
     * @param uscc the legal person the query asks about
     * @param requestedBy the end user the queries vouch for (the operator)
     */
    public ConformanceRunner(String self, Partner partner, NodeEnvelopes envelopes, PartnerClient.Carrier carrier,
                             ReceivedDeliveries received, Clock clock, Duration timeout, Instant signerValidFrom, String uscc,
                             String requestedBy) {
        this.self = self;
        this.partner = partner;
        this.envelopes = envelopes;
        this.received = received;
        this.clock = clock;
        this.signerValidFrom = signerValidFrom;
        this.session = new ConformanceSession(self, partner, envelopes, carrier, timeout, uscc, requestedBy);
    }

    /** The message ids of every envelope the run sent, in order. */
    public List<String> sentMessageIds() {
        return session.sentMessageIds();
    }

    /**
     * Runs every case once, in order.
     *
     * @throws CodedException E_PARTNER_UNREACHABLE, E_TIMEOUT, E_CERT_UNTRUSTED…: the first request got no answer at all
     */
    public ConformanceReport run() {
        Map<ConformanceCase, Result> results = new EnumMap<>(ConformanceCase.class);
        Instant now = clock.instant();

        // 1. a valid query is answered
        Sent query = session.send("query", session.headers(UUID.randomUUID().toString(), partner.id(), "query", now),
                session.queryPayload("conformance test"));
        if (query.failure() != null) {
            throw query.failure();
        }
        Optional<OpenedEnvelope> queryAnswer = Optional.empty();
        try {
            OpenedEnvelope answer = session.answerTo(query);
            JsonNode body = json(answer.payload());
            String status = body.path("status").asText("");
            if (!status.equals("ANSWERED") && !status.equals("DENIED")) {
                throw problem("the answer's status is '" + status + "', not ANSWERED or DENIED (§10)");
            }
            answered.put("query", query);
            queryAnswer = Optional.of(answer);
            results.put(ConformanceCase.QUERY_ANSWERED, pass(ConformanceCase.QUERY_ANSWERED, status.equals("ANSWERED")
                    ? "ANSWERED, " + body.path("records").size() + (body.path("records").size() == 1 ? " record" : " records") : "DENIED " + body.path("code").asText()));
        } catch (CodedException e) {
            results.put(ConformanceCase.QUERY_ANSWERED, fail(ConformanceCase.QUERY_ANSWERED, e.getMessage()));
            if (query.response().status() == 200) {
                answered.put("query", query); // its receipt is still case 2's to judge
            } else {
                refusals.add(query);
            }
        }

        // 3. a tampered envelope is refused
        ExchangeHeaders tamperedHeaders = session.headers(UUID.randomUUID().toString(), partner.id(), "query", clock.instant());
        byte[] tampered = session.seal(tamperedHeaders, session.queryPayload("conformance test: tampered"));
        tampered[tampered.length - 1] ^= 0x01; // the last byte: the INTL authentication tag, the GM ciphertext's padding
        results.put(ConformanceCase.TAMPERED_REFUSED, refused(ConformanceCase.TAMPERED_REFUSED,
                session.post("tampered query", tamperedHeaders, tampered), TAMPERED));

        // 4. a stale envelope is refused, signed ahead of the window and, where our certificate is old enough, behind it
        results.put(ConformanceCase.STALE_REFUSED, stale());

        // 5. the same envelope again gets the kept answer and receipt, byte for byte (§9, "Duplicates")
        // 6. another envelope under the answered message id is refused E_REPLAY
        if (queryAnswer.isEmpty()) {
            String why = "needs the answered query of case 1";
            results.put(ConformanceCase.RESEND_GETS_KEPT_ANSWER, skip(ConformanceCase.RESEND_GETS_KEPT_ANSWER, why));
            results.put(ConformanceCase.REUSED_ID_REFUSED, skip(ConformanceCase.REUSED_ID_REFUSED, why));
        } else {
            results.put(ConformanceCase.RESEND_GETS_KEPT_ANSWER, resend(query));
            ExchangeHeaders reused = session.headers(query.headers().messageId(), partner.id(), "query", clock.instant());
            results.put(ConformanceCase.REUSED_ID_REFUSED, refused(ConformanceCase.REUSED_ID_REFUSED,
                    session.send("query under a reused message id", reused,
                            session.queryPayload("conformance test: another request, the same id")),
                    Set.of(ErrorCode.E_REPLAY)));
        }

        // 7. an envelope addressed to another node is refused
        ExchangeHeaders misaddressed = session.headers(UUID.randomUUID().toString(), partner.id() + "-elsewhere", "query", clock.instant());
        results.put(ConformanceCase.MISADDRESSED_REFUSED, refused(ConformanceCase.MISADDRESSED_REFUSED,
                session.send("misaddressed query", misaddressed, session.queryPayload("conformance test: misaddressed")),
                Set.of(ErrorCode.E_NOT_RECIPIENT)));

        // 8-10. the provincial pull and its acknowledgement
        pullCases(results);

        results.put(ConformanceCase.RECEIPTS_VERIFY, receipts());
        results.put(ConformanceCase.REFUSALS_CODED, codedRefusals());
        return new ConformanceReport(partner.id(), self, partner.exchangeUri().toString(), partner.suite().name(),
                List.copyOf(results.values()));
    }

    private Result stale() {
        ConformanceCase c = ConformanceCase.STALE_REFUSED;
        Instant now = clock.instant();
        // a signing time before our certificate's validity would be refused E_CERT_EXPIRED first (§5, step 4)
        Map<String, Instant> times = new LinkedHashMap<>();
        if (!now.minus(STALE_BY).isBefore(signerValidFrom)) {
            times.put(STALE_BY.toHours() + " h behind", now.minus(STALE_BY));
        }
        times.put(STALE_BY.toHours() + " h ahead", now.plus(STALE_BY));
        Result last = null;
        for (Map.Entry<String, Instant> at : times.entrySet()) {
            last = refused(c, session.send("stale query", session.headers(UUID.randomUUID().toString(), partner.id(), "query", at.getValue()),
                    session.queryPayload("conformance test: stale")), Set.of(ErrorCode.E_STALE));
            if (last.outcome() != Outcome.PASS) {
                return fail(c, "signed " + at.getKey() + ": " + last.detail());
            }
        }
        return pass(c, last.detail() + ", signed " + String.join(" and ", times.keySet())
                + (times.size() == 1 ? "; this node's certificate is younger than " + STALE_BY.toHours() + " h" : ""));
    }

    private Result resend(Sent query) {
        ConformanceCase c = ConformanceCase.RESEND_GETS_KEPT_ANSWER;
        Sent again = session.post("query sent again", query.headers(), query.envelope());
        if (again.failure() != null) {
            return fail(c, "expected the kept answer, got none: " + again.failure().code() + ": " + again.failure().getMessage());
        }
        if (again.response().status() != 200) {
            return fail(c, "expected the kept answer (HTTP 200), got " + describe(again.response()));
        }
        boolean sameAnswer = Arrays.equals(again.response().body(), query.response().body());
        boolean sameReceipt = again.response().receipt().equals(query.response().receipt());
        if (!sameAnswer) {
            return fail(c, "expected the kept answer byte for byte (§9), got another answer envelope of "
                    + again.response().body().length + " bytes");
        }
        if (!sameReceipt) {
            return fail(c, "the kept answer came with another receipt; §9 keeps the answer and its receipt byte for byte");
        }
        return pass(c, "the same answer and receipt, byte for byte");
    }

    private void pullCases(Map<ConformanceCase, Result> results) {
        ConformanceCase c = ConformanceCase.PULL_ANSWERED;
        Sent pull = session.send("pull", session.headers(UUID.randomUUID().toString(), partner.id(), "pull", clock.instant()),
                PushMessages.pullRequest(1));
        Optional<ErrorCode> refusal = code(pull);
        if (refusal.isPresent() && NO_PULL.contains(refusal.get())) {
            refusals.add(pull);
            String why = partner.id() + " does not let " + self + " pull (" + refusal.get() + "): its configuration for " + self
                    + " has no pull mode";
            results.put(c, skip(c, why));
            results.put(ConformanceCase.ACKNOWLEDGEMENT_ACCEPTED, skip(ConformanceCase.ACKNOWLEDGEMENT_ACCEPTED, why));
            results.put(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED, skip(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED, why));
            return;
        }
        OpenedEnvelope batch;
        List<PushMessages.Delivery> deliveries;
        try {
            if (pull.response() != null && pull.response().status() == 200) {
                answered.put("pull", pull);
            }
            batch = session.answerTo(pull);
            deliveries = PushMessages.readBatch(batch.payload(), partner.id());
            results.put(c, pass(c, deliveries.isEmpty() ? "nothing due" : deliveries(deliveries.size())));
        } catch (CodedException e) {
            results.put(c, fail(c, e.getMessage()));
            String why = "needs the pull answer of case 8";
            results.put(ConformanceCase.ACKNOWLEDGEMENT_ACCEPTED, skip(ConformanceCase.ACKNOWLEDGEMENT_ACCEPTED, why));
            results.put(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED, skip(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED, why));
            return;
        }
        // our receipt of the answer envelope that carried the batch, as the acknowledgement carries it (§11)
        Envelopes suite = envelopes.suite(partner.suite());
        byte[] receipt = suite.signReceipt(new Receipt(batch.headers().messageId(), partner.id(), self, suite.digestAlgorithm(),
                batch.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
        String receiptText = Base64.getEncoder().encodeToString(receipt);
        String batchId = pull.headers().messageId();

        ConformanceCase ack = ConformanceCase.ACKNOWLEDGEMENT_ACCEPTED;
        if (deliveries.isEmpty()) {
            results.put(ack, skip(ack, partner.id() + " had nothing due for " + self + ": no delivery to acknowledge"));
        } else {
            // kept first, as the node's own pull keeps it: acknowledged, the partner hands it out no more
            received.store(partner.id(), deliveries, new ReceivedDeliveries.Batch(batch.headers().messageId(), receipt));
            Sent acknowledgement = session.send("acknowledge", session.headers(UUID.randomUUID().toString(), partner.id(), "acknowledge",
                    clock.instant()), PushMessages.write(new PushMessages.Acknowledgement(batchId,
                    deliveries.stream().map(PushMessages.Delivery::messageId).toList(), receiptText)));
            try {
                if (acknowledgement.response() != null && acknowledgement.response().status() == 200) {
                    answered.put("acknowledge", acknowledgement);
                }
                JsonNode body = json(session.answerTo(acknowledgement).payload());
                if (body.path("acknowledged").asInt(-1) != deliveries.size()) {
                    throw problem("the answer is " + body + ", not {\"acknowledged\": " + deliveries.size() + "} (§11)");
                }
                received.acknowledged(partner.id(), batch.headers().messageId());
                results.put(ack, pass(ack, deliveries(deliveries.size()) + ", with " + self + "'s receipt"));
            } catch (CodedException e) {
                results.put(ack, fail(ack, e.getMessage()));
            }
        }

        // a message id of the partner's outbox never handed out (§11: <sending node>:outbox:<n>)
        String unknown = PushMessages.messageId(partner.id(), Long.MAX_VALUE);
        results.put(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED, refused(ConformanceCase.UNKNOWN_ACKNOWLEDGEMENT_REFUSED,
                session.send("acknowledgement of an unknown message", session.headers(UUID.randomUUID().toString(), partner.id(), "acknowledge",
                        clock.instant()), PushMessages.write(new PushMessages.Acknowledgement(batchId, List.of(unknown), receiptText))),
                Set.of(ErrorCode.E_UNKNOWN_MESSAGE)));
    }

    /** Case 2: every answer carries the partner's receipt of exactly the bytes we sent, naming us, for that message. */
    private Result receipts() {
        ConformanceCase c = ConformanceCase.RECEIPTS_VERIFY;
        if (answered.isEmpty()) {
            return skip(c, "no request was answered");
        }
        Envelopes suite = envelopes.suite(partner.suite());
        for (Map.Entry<String, Sent> e : answered.entrySet()) {
            Sent s = e.getValue();
            String header = s.response().receipt().orElse(null);
            if (header == null) {
                return fail(c, "the " + e.getKey() + " was answered without an " + PartnerClient.RECEIPT_HEADER + " header (§9)");
            }
            try {
                Receipt receipt = suite.verifyReceipt(Base64.getDecoder().decode(header.strip()), s.envelope(), partner.id());
                if (!receipt.messageId().equals(s.headers().messageId())) {
                    return fail(c, "the " + e.getKey() + "'s receipt is for message " + receipt.messageId() + ", not "
                            + s.headers().messageId());
                }
                if (!receipt.accepted()) {
                    return fail(c, "the " + e.getKey() + " was answered, but its receipt says " + receipt.status());
                }
            } catch (IllegalArgumentException notBase64) {
                return fail(c, "the " + e.getKey() + "'s receipt header is not base64");
            } catch (CodedException refused) {
                return fail(c, "the " + e.getKey() + "'s receipt does not verify: " + refused.code() + ": " + refused.getMessage());
            }
        }
        return pass(c, answered.size() + " receipts (" + String.join(", ", answered.keySet()) + "), each over the exact bytes sent");
    }

    /** Case 11: every refusal is the JSON error of §6 and §9, with its code's status. */
    private Result codedRefusals() {
        ConformanceCase c = ConformanceCase.REFUSALS_CODED;
        if (refusals.isEmpty()) {
            return skip(c, "no request was refused");
        }
        for (Sent s : refusals) {
            PartnerClient.PartnerResponse r = s.response();
            JsonNode body;
            try {
                body = Json.mapper().readTree(new String(r.body(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                return fail(c, "the " + s.what() + " was refused with HTTP " + r.status() + " and a body that is no JSON object");
            }
            for (String field : List.of("code", "meaning", "message")) {
                if (!body.path(field).isTextual()) {
                    return fail(c, "the " + s.what() + "'s refusal " + body + " has no text '" + field + "' (§9)");
                }
            }
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(body.path("code").asText());
            } catch (IllegalArgumentException e) {
                return fail(c, "the " + s.what() + "'s refusal code " + body.path("code").asText() + " is not in §6");
            }
            if (code.httpStatus() != r.status()) {
                return fail(c, "the " + s.what() + " was refused " + code + " with HTTP " + r.status() + "; §6 gives it "
                        + code.httpStatus());
            }
        }
        return pass(c, refusals.size() + " refusals, each {code, meaning, message} with its code's status");
    }

    /** The refusal expected: one of the codes, with its status; anything else a FAIL saying what came. */
    private Result refused(ConformanceCase c, Sent s, Set<ErrorCode> expected) {
        String want = expected.size() == 1 ? expected.iterator().next() + " (" + expected.iterator().next().httpStatus() + ")"
                : "one of " + expected.stream().map(Enum::name).sorted().toList();
        if (s.failure() != null) {
            return fail(c, "expected " + want + ", got no answer: " + s.failure().code() + ": " + s.failure().getMessage());
        }
        PartnerClient.PartnerResponse r = s.response();
        if (r.status() == 200) {
            return fail(c, "expected " + want + ", got HTTP 200 (an answer)");
        }
        refusals.add(s);
        Optional<ErrorCode> code = code(s);
        if (code.isEmpty()) {
            return fail(c, "expected " + want + ", got HTTP " + r.status() + " without a coded error");
        }
        if (!expected.contains(code.get())) {
            return fail(c, "expected " + want + ", got " + code.get() + " (HTTP " + r.status() + ")");
        }
        if (r.status() != code.get().httpStatus()) {
            return fail(c, "expected " + want + ", got " + code.get() + " with HTTP " + r.status());
        }
        return pass(c, code.get() + ", " + r.status());
    }

    private static String deliveries(int n) {
        return n + (n == 1 ? " delivery" : " deliveries");
    }

    private static Result pass(ConformanceCase c, String detail) {
        return Result.of(c, Outcome.PASS, detail);
    }

    private static Result fail(ConformanceCase c, String detail) {
        return Result.of(c, Outcome.FAIL, detail);
    }

    private static Result skip(ConformanceCase c, String detail) {
        return Result.of(c, Outcome.SKIP, detail);
    }
}
