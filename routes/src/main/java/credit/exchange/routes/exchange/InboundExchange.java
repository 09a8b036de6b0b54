package credit.exchange.routes.exchange;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.access.ExchangeAdmission;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.envelope.ReplayedEnvelopeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of every exchange: one envelope in, a sealed answer and a signed receipt
 * out. In order: the TLS peer must be an enabled partner ({@link ExchangeAdmission}, before any
 * cryptography) within its rate limit; the envelope opens (decrypted, signature and signer
 * verified, addressed to us, fresh, not a replay); the admission admits its signer (the TLS
 * peer, a partner allowed to start this exchange, in its configured suite); the payload agrees
 * with its type's schema ({@link PayloadSchemas}); the flow's handler answers; the answer is sealed to the partner's configured certificate, the request's receipt
 * signed, and both kept with the message id, so that a duplicate gets them again instead of
 * being processed twice.
 */
public final class InboundExchange {

    private static final Logger LOG = LoggerFactory.getLogger(InboundExchange.class);
    private final String self;
    private final NodeEnvelopes envelopes;
    private final PartnerDirectory partners;
    private final ExchangeMessages messages;
    private final RateLimiter rateLimiter;
    private final Map<Partner.ExchangeType, ExchangeHandler> handlers;
    private final AuditWriter audit;
    private final Clock clock;
    private final ExchangeAdmission admission;

    /** @param audit the audit trail: every answered exchange is an event there before the answer leaves */
    public InboundExchange(String self, NodeEnvelopes envelopes, PartnerDirectory partners, ExchangeMessages messages,
                           RateLimiter rateLimiter, Map<Partner.ExchangeType, ExchangeHandler> handlers, AuditWriter audit, Clock clock) {
        this.self = self;
        this.audit = audit;
        this.envelopes = envelopes;
        this.partners = partners;
        this.messages = messages;
        this.rateLimiter = rateLimiter;
        this.handlers = Map.copyOf(handlers);
        this.clock = clock;
        this.admission = new ExchangeAdmission(self, id -> partners.find(id).map(Partner::terms));
    }

    /**
     * @param transportPeer the node id of the TLS client certificate; empty only on a listener in
     *        dev mode (plain HTTP), where the envelope's signature alone identifies the sender
     */
    public ExchangeReply receive(byte[] envelope, Optional<String> transportPeer) {
        return receive(envelope, transportPeer, Optional.empty());
    }

    /**
     * As {@link #receive(byte[], Optional)}, for a binding whose operation names the exchange
     * type (the SOAP pull service): an envelope of another type is refused, unprocessed.
     */
    public ExchangeReply receive(byte[] envelope, Optional<String> transportPeer, Optional<Partner.ExchangeType> only) {
        Instant receivedAt = clock.instant();
        ExchangeHeaders headers = null;
        try {
            transportPeer.ifPresent(peer -> {
                admission.admitTransport(peer);
                rateLimiter.acquire(partners.find(peer).orElseThrow());
            });
            OpenedEnvelope request;
            try {
                request = envelopes.open(envelope);
            } catch (ReplayedEnvelopeException duplicate) {
                headers = duplicate.headers();
                admission.requireSameNode(transportPeer, headers.sender());
                // the same signed message again gets the kept answer; another one under the id is refused E_REPLAY
                return messages.answerTo(headers.sender(), headers.messageId(), duplicate.signedDigest())
                        .map(stored -> new ExchangeReply(stored.answer(), stored.receipt()))
                        .orElseThrow(() -> duplicate);
            }
            headers = request.headers();
            try {
                return answer(request, receivedAt, transportPeer, only);
            } catch (RuntimeException e) {
                // the answer does not leave (not made, or its audit events not written): the sender may send the same
                // envelope again and have it processed
                messages.release(headers.sender(), headers.messageId());
                throw e;
            }
        } catch (CodedException refused) {
            refusal(refused, transportPeer, Optional.ofNullable(headers), receivedAt);
            throw refused;
        }
    }

    /**
     * A refused envelope is an {@code exchange.in} event too, durable before the refusal leaves:
     * who connected (the TLS peer) or, failing that, who the opened envelope says sent it, the
     * message id and type if the envelope opened, and the refusal's code.
     */
    private void refusal(CodedException refused, Optional<String> transportPeer, Optional<ExchangeHeaders> headers,
                         Instant receivedAt) {
        String who = transportPeer.or(() -> headers.map(ExchangeHeaders::sender)).orElse("unknown");
        try {
            audit.append(List.of(AuditEvent.by(AuditEvent.ActorKind.PARTNER, who, AuditEvent.Action.EXCHANGE_IN).at(clock.instant())
                        .partner(partners.find(who).map(Partner::id).orElse(null)).decision(AuditEvent.Decision.DENY).reason(refused.code())
                        .messageIds(headers.map(h -> List.of(h.messageId())).orElse(List.of())).outcome(AuditEvent.Outcome.REFUSED)
                        .latency(Duration.between(receivedAt, clock.instant())).detail(headers.map(ExchangeHeaders::exchangeType).orElse(null))
                        .build()));
        } catch (CodedException unavailable) {
            // the refusal stands without its event: nothing was done, and the sender learns why
            LOG.warn("refusal {} of an envelope from {} not audited: {}", refused.code(), who, unavailable.code());
        }
    }

    private ExchangeReply answer(OpenedEnvelope request, Instant receivedAt, Optional<String> transportPeer,
                                 Optional<Partner.ExchangeType> only) {
        ExchangeHeaders headers = request.headers();
        Suite suite = Suite.ofKey(request.signer().getPublicKey()).orElseThrow();
        admission.admit(transportPeer, headers.sender(), suite, headers.exchangeType());
        Partner partner = partners.find(headers.sender()).orElseThrow();
        Partner.ExchangeType type = Partner.ExchangeType.of(headers.exchangeType())
                .filter(handlers::containsKey)
                .orElseThrow(() -> new CodedException(ErrorCode.E_UNKNOWN_PARTNER,
                        "this node takes no exchange of type '" + headers.exchangeType() + "'"));
        if (only.isPresent() && only.get() != type) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "this operation takes a '" + only.get().wireName()
                    + "' envelope, not a '" + type.wireName() + "' one");
        }
        // every flow reads a payload of its schema (docs/schemas/): a request that is not one is refused here, unprocessed
        PayloadSchemas.checkRequest(type, request.payload());
        ExchangeHandler handler = handlers.get(type);
        ExchangeHandler.Answer handled = handler.answerUnawaited(partner, request);
        byte[] answerPayload = handled.payload();
        ExchangeHeaders answerHeaders = new ExchangeHeaders(UUID.randomUUID().toString(), self, partner.id(),
                type.wireName() + "-answer", headers.messageId(), clock.instant());
        // the exchange's audit event is committed while the answer is sealed and kept; the answer leaves only after both
        AuditWriter.Pending audited = audit.submit(List.of(AuditEvent.by(AuditEvent.ActorKind.PARTNER, partner.id(),
                AuditEvent.Action.EXCHANGE_IN).at(clock.instant()).partner(partner.id())
                .messageIds(List.of(headers.messageId(), answerHeaders.messageId())).outcome(AuditEvent.Outcome.ANSWERED)
                .latency(Duration.between(receivedAt, clock.instant())).detail(type.wireName()).build()));
        byte[] answer = envelopes.seal(answerPayload, answerHeaders, partner.certificate());
        Envelopes suiteEnvelopes = envelopes.suite(suite);
        byte[] receipt = suiteEnvelopes.signReceipt(new Receipt(headers.messageId(), headers.sender(), self,
                suiteEnvelopes.digestAlgorithm(), request.receivedDigest(), receivedAt, Receipt.ACCEPTED));
        handler.receipted(partner, request, receipt);
        messages.storeAnswer(headers.sender(), headers.messageId(), answer, receipt);
        audited.await();
        // the writer commits events in the order they came: the handler's were committed no later than the exchange's own,
        // so this returns at once; a failure of theirs stops the answer as the exchange's own would
        handled.events().await();
        return new ExchangeReply(answer, receipt);
    }
}
