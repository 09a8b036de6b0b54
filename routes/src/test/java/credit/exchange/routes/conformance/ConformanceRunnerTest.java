package credit.exchange.routes.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.routes.conformance.ConformanceReport.Outcome;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.exchange.PartnerClient.PartnerResponse;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The runner against partners made here from the protocol alone (INTL, in process, no node): one
 * that conforms, and ones with a single fault each, whose report fails exactly the case of that
 * rule, by its number. The pull cases are skipped with the reason the partner gave.
 */
class ConformanceRunnerTest {

    private static final AllianceCa CA = AllianceCa.init(Suite.INTL, "Test Alliance INTL Root", Duration.ofDays(365),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-1))); // certificates a day old: a stale envelope may be signed an hour ago
    private static final CertificateValidator VALIDATOR = new CertificateValidator(List.of(CA.certificate()),
            List.of(CA.crl(Duration.ofDays(3))), Clock.systemUTC());
    private static final NodeCredentials HANGZHOU = CA.issueNode("hangzhou", Duration.ofDays(30));
    private static final NodeCredentials HUZHOU = CA.issueNode("huzhou", Duration.ofDays(30));

    @Test
    void aConformingPartner_passesEveryCase_andSkipsThePull_withWhy() {
        ConformanceReport report = run(new FakePartner(EnvelopePolicy.DEFAULT));

        assertEquals(expected(Map.of(8, Outcome.SKIP, 9, Outcome.SKIP, 10, Outcome.SKIP)), outcomes(report), lines(report));
        assertEquals("  4  PASS  stale envelope refused (E_STALE, 400, signed 1 h behind and 1 h ahead)", report.results().get(3).line());
        assertEquals("  8  SKIP  pull answered: huzhou does not let hangzhou pull (E_UNKNOWN_PARTNER): its configuration for hangzhou"
                + " has no pull mode", report.results().get(7).line());
        assertEquals("11 cases: 8 passed, 0 failed, 3 skipped; huzhou conforms", report.summary());
    }

    @Test
    void aPartnerWithAWindowOfTwoHours_failsCase4() {
        ConformanceReport report = run(new FakePartner(new EnvelopePolicy(Duration.ofHours(2), 16 * 1024 * 1024)));

        assertEquals(expected(Map.of(4, Outcome.FAIL, 8, Outcome.SKIP, 9, Outcome.SKIP, 10, Outcome.SKIP)), outcomes(report),
                lines(report));
        assertEquals("  4  FAIL  stale envelope refused: signed 1 h behind: expected E_STALE (400), got HTTP 200 (an answer)",
                report.results().get(3).line());
    }

    @Test
    void aPartnerWhoseRefusalsLackTheirMeaning_failsCase11() {
        FakePartner partner = new FakePartner(EnvelopePolicy.DEFAULT);
        partner.errorBody = code -> ("{\"code\":\"" + code + "\",\"message\":\"refused\"}").getBytes(StandardCharsets.UTF_8);

        ConformanceReport report = run(partner);

        assertEquals(expected(Map.of(11, Outcome.FAIL, 8, Outcome.SKIP, 9, Outcome.SKIP, 10, Outcome.SKIP)), outcomes(report),
                lines(report));
    }

    @Test
    void aPartnerThatRefusesAnExactResend_failsCase5() {
        FakePartner partner = new FakePartner(EnvelopePolicy.DEFAULT);
        partner.keepsAnswers = false;

        ConformanceReport report = run(partner);

        assertEquals(expected(Map.of(5, Outcome.FAIL, 8, Outcome.SKIP, 9, Outcome.SKIP, 10, Outcome.SKIP)), outcomes(report),
                lines(report));
    }

    @Test
    void aPartnerThatCannotBeReached_endsTheRun_withItsCode() {
        PartnerClient.Carrier unreachable = (p, type, envelope, timeout) -> {
            throw new CodedException(ErrorCode.E_PARTNER_UNREACHABLE, "partner huzhou does not accept connections");
        };
        CodedException e = assertThrows(CodedException.class, () -> runner(unreachable).run());
        assertEquals(ErrorCode.E_PARTNER_UNREACHABLE, e.code());
    }

    // ---

    private static ConformanceReport run(FakePartner partner) {
        return runner(partner::carry).run();
    }

    private static ConformanceRunner runner(PartnerClient.Carrier carrier) {
        NodeEnvelopes hangzhou = new NodeEnvelopes(Map.of(Suite.INTL, envelopes(HANGZHOU, EnvelopePolicy.DEFAULT)), EnvelopePolicy.DEFAULT);
        return new ConformanceRunner("hangzhou", partner(), hangzhou, carrier, null, Clock.systemUTC(), Duration.ofSeconds(5),
                HANGZHOU.certificate().getNotBefore().toInstant(), "91330100716105852F", "test-operator");
    }

    private static Partner partner() {
        return new Partner("huzhou", "Huzhou", Partner.Level.ALLIANCE_CITY, true, URI.create("https://127.0.0.1:1"), Suite.INTL,
                HUZHOU.certificate(), Optional.empty(), Set.of(Partner.ExchangeType.QUERY), false, Set.of(), Optional.empty(),
                Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Path.of("huzhou.yaml"));
    }

    private static Envelopes envelopes(NodeCredentials self, EnvelopePolicy policy) {
        PeerTrust trust = (presented, expected) -> VALIDATOR.validate(presented, expected, Usage.SIGNING);
        return new Envelopes(self, trust, new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC(), policy);
    }

    private static Map<Integer, Outcome> outcomes(ConformanceReport report) {
        Map<Integer, Outcome> out = new TreeMap<>();
        report.results().forEach(r -> out.put(r.number(), r.outcome()));
        return out;
    }

    private static Map<Integer, Outcome> expected(Map<Integer, Outcome> exceptions) {
        Map<Integer, Outcome> out = new TreeMap<>();
        for (ConformanceCase c : ConformanceCase.values()) {
            out.put(c.number(), exceptions.getOrDefault(c.number(), Outcome.PASS));
        }
        return out;
    }

    private static String lines(ConformanceReport report) {
        StringBuilder out = new StringBuilder();
        report.results().forEach(r -> out.append(r.line()).append('\n'));
        return out.toString();
    }

    /**
     * Huzhou, as a vendor would write it from docs/protocol.md: opens each envelope (§5), answers
     * queries sealed to the sender with a receipt of the exact bytes (§4, §9), answers the same
     * envelope again from what it kept, and refuses anything else with the JSON error of §6; it
     * lets hangzhou start queries only.
     */
    private static final class FakePartner {

        private final Envelopes huzhou;
        private final Map<String, PartnerResponse> kept = new ConcurrentHashMap<>();
        boolean keepsAnswers = true;
        Function<ErrorCode, byte[]> errorBody = code -> ("{\"code\":\"" + code + "\",\"meaning\":\"" + code.meaning()
                + "\",\"message\":\"refused\"}").getBytes(StandardCharsets.UTF_8);

        FakePartner(EnvelopePolicy policy) {
            this.huzhou = envelopes(HUZHOU, policy);
        }

        PartnerResponse carry(Partner partner, Partner.ExchangeType type, byte[] envelope, Duration timeout) {
            String bytes = HexFormat.of().formatHex(envelope);
            if (keepsAnswers && kept.containsKey(bytes)) {
                return kept.get(bytes);
            }
            try {
                OpenedEnvelope request = huzhou.open(envelope);
                ExchangeHeaders h = request.headers();
                if (!h.exchangeType().equals("query")) {
                    throw new CodedException(ErrorCode.E_UNKNOWN_PARTNER, h.sender() + " may not start " + h.exchangeType());
                }
                Instant now = Instant.now();
                byte[] answer = huzhou.seal("{\"status\":\"ANSWERED\",\"records\":[]}".getBytes(StandardCharsets.UTF_8),
                        new ExchangeHeaders(UUID.randomUUID().toString(), "huzhou", h.sender(), "query-answer", h.messageId(), now),
                        HANGZHOU.certificate());
                byte[] receipt = huzhou.signReceipt(new Receipt(h.messageId(), h.sender(), "huzhou", huzhou.digestAlgorithm(),
                        request.receivedDigest(), now, Receipt.ACCEPTED));
                PartnerResponse response = new PartnerResponse(200, Optional.of(Base64.getEncoder().encodeToString(receipt)), answer);
                kept.put(bytes, response);
                return response;
            } catch (CodedException e) {
                return new PartnerResponse(e.code().httpStatus(), Optional.empty(), errorBody.apply(e.code()));
            }
        }
    }
}
