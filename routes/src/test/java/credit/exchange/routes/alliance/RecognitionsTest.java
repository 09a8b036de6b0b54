package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.alliance.RecognitionStatement;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.PeerTrust;
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
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jiaxing weighing Hangzhou's nominations, on the real PostgreSQL: a nomination carries Hangzhou's
 * signed statement, which Jiaxing verifies and keeps; one without it, signed by another node, or
 * saying other than its statement is refused with its code; an expired statement is declined.
 * When a department's import puts a recognised enterprise on Jiaxing's black list, the next
 * watch withdraws its recognition here and tells the alliance cities — once; nominated again,
 * Jiaxing declines it, and withdraws nothing more.
 */
@ExtendWith(CleanCreditStore.class)
class RecognitionsTest {

    private static final String USCC = "91330100716105852F";
    private static final AllianceCa CA = AllianceCa.init(Suite.GM, "Test Alliance GM Root", Duration.ofDays(365),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
    private static final CertificateValidator VALIDATOR = new CertificateValidator(List.of(CA.certificate()),
            List.of(CA.crl(Duration.ofDays(3))), Clock.systemUTC());
    private static final Envelopes HANGZHOU = envelopes(CA.issueNode("hangzhou", Duration.ofDays(30)));
    private static final Envelopes HUZHOU = envelopes(CA.issueNode("huzhou", Duration.ofDays(30)));
    private static final Envelopes JIAXING = envelopes(CA.issueNode("jiaxing", Duration.ofDays(30)));

    private final TestNode node;
    private final Recognitions jiaxing;
    private final NoticeReceiver receiver;

    @TempDir
    Path dir;

    RecognitionsTest(TestNode node) {
        this.node = node;
        this.jiaxing = new Recognitions(node.database(), new AllianceNotices(node.database(), java.time.Clock.systemUTC()), "jiaxing", JIAXING,
                new StatementVerifier(VALIDATOR), 3, Clock.systemUTC());
        this.receiver = new NoticeReceiver(node.database(), jiaxing.kinds());
    }

    private static Envelopes envelopes(NodeCredentials self) {
        PeerTrust trust = (presented, expected) -> VALIDATOR.validate(presented, expected, Usage.SIGNING);
        return new Envelopes(self, trust, new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC(), EnvelopePolicy.DEFAULT);
    }

    @Test
    void aSignedNomination_isRecognised_andItsStatementKept_verifiableAsHangzhous() throws Exception {
        JsonNode answer = answer(nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)), HANGZHOU));

        assertEquals("recognised", answer.path("status").asText(), answer.toString());
        byte[] kept = Base64.getDecoder().decode(node.rows("select body->>'statement' as s from alliance_received").get(0).get("s")
                .toString());
        RecognitionStatement statement = RecognitionStatement.verify(new StatementVerifier(VALIDATOR), kept, "hangzhou");
        assertEquals("red list: model enterprise 2026", statement.basis());
        JsonNode status = jiaxing.status(USCC);
        assertEquals("IN_FORCE", status.path("status").asText(), status.toString());
        assertEquals("hangzhou", status.path("nominations").get(0).path("by").asText());
    }

    @Test
    void noStatement_anotherNodesStatement_aNominationSayingOtherThanItsStatement_areRefused_andAnExpiredOneDeclined() throws Exception {
        ObjectNode unsigned = nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)), HANGZHOU);
        unsigned.remove("statement");
        assertEquals("E_SIGNATURE_INVALID", answer(unsigned).path("refused").asText());
        assertEquals("E_SIGNATURE_INVALID", answer(nomination(USCC, statement("huzhou", LocalDate.now().plusYears(1)), HUZHOU))
                .path("refused").asText(), "Huzhou's statement sent as Hangzhou's nomination");
        ObjectNode inflated = nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)), HANGZHOU);
        inflated.put("validUntil", LocalDate.now().plusYears(9).toString());
        assertEquals("E_FIELD_INVALID", answer(inflated).path("refused").asText(), "the body claims a validity the statement does not");
        assertEquals("E_FIELD_INVALID", answer("914403001922038216", nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)),
                HANGZHOU)).path("refused").asText(), "a statement about another enterprise");

        JsonNode expired = answer(nomination(USCC, statement("hangzhou", LocalDate.now().minusDays(1)), HANGZHOU));
        assertEquals("declined", expired.path("status").asText(), expired.toString());
        assertEquals("the statement's validity ended on " + LocalDate.now().minusDays(1), expired.path("reasons").get(0).asText());
        assertEquals(4L, node.rows("select count(*) as n from audit_event where action = 'notice.in' and outcome = 'REFUSED'").get(0).get("n"));
    }

    @Test
    void anImportedBlackListRecord_withdrawsTheRecognition_hereAndAtTheAllianceCities_once() throws Exception {
        assertEquals("recognised", answer(nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)), HANGZHOU))
                .path("status").asText());
        List<Partner> partners = List.of(partner("hangzhou", Partner.Level.ALLIANCE_CITY), partner("huzhou", Partner.Level.ALLIANCE_CITY),
                partner("zhejiang", Partner.Level.PROVINCIAL));
        assertEquals(List.of(), jiaxing.withdrawBlackListed(partners, "SYSTEM", "black-list-watch"), "not black-listed yet");

        CsvTable blackList = Seeds.companyRows(Seeds.SEED, "blacklist", 1, dir).set(1, "MD_XDR_SHXYM", USCC)
                .set(1, "MD_JDRQ", LocalDate.now().toString()).set(1, "MD_YZCD", "serious")
                .set(1, "MD_GSJZQ", LocalDate.now().plusYears(1).toString());
        node.importFile(blackList.write(dir.resolve("blacklist.csv")), "blacklist");

        List<AllianceNotices.Notice> issued = jiaxing.withdrawBlackListed(partners, "SYSTEM", "black-list-watch");
        assertEquals(1, issued.size());
        assertEquals(Recognitions.WITHDRAWAL, issued.get(0).kind());
        assertTrue(issued.get(0).body().path("reason").asText().startsWith("black-listed at jiaxing ("), issued.get(0).body().toString());
        assertEquals(List.of("hangzhou", "huzhou"), new AllianceNotices(node.database(), java.time.Clock.systemUTC()).deliveries(issued.get(0).id()).stream()
                .map(AllianceNotices.Delivery::partner).toList(), "the alliance cities, not the province");
        JsonNode status = jiaxing.status(USCC);
        assertEquals("WITHDRAWN", status.path("status").asText(), status.toString());
        assertEquals("jiaxing", status.path("withdrawn").path("by").asText());
        assertEquals(List.of(), jiaxing.withdrawBlackListed(partners, "SYSTEM", "black-list-watch"), "withdrawn once");

        JsonNode renominated = answer(nomination(USCC, statement("hangzhou", LocalDate.now().plusYears(1)), HANGZHOU));
        assertEquals("declined", renominated.path("status").asText(), renominated.toString());
        assertEquals("on jiaxing's black list", renominated.path("reasons").get(0).asText());
        assertEquals(List.of(), jiaxing.withdrawBlackListed(partners, "SYSTEM", "black-list-watch"),
                "a black listing older than the nomination is a reason to decline it, not to withdraw the others' recognitions");
    }

    private static RecognitionStatement statement(String node, LocalDate validUntil) {
        return new RecognitionStatement(node, USCC, "嘉兴演示诚信企业有限公司", "red list: model enterprise 2026", validUntil,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static ObjectNode nomination(String uscc, RecognitionStatement statement, Envelopes signer) {
        return Json.mapper().createObjectNode().put("partyName", statement.partyName()).put("basis", statement.basis())
                .put("validUntil", statement.validUntil().toString())
                .put("statement", Base64.getEncoder().encodeToString(statement.sign(signer)));
    }

    private JsonNode answer(ObjectNode body) throws Exception {
        return answer(USCC, body);
    }

    private JsonNode answer(String subject, ObjectNode body) throws Exception {
        ObjectNode notice = Json.mapper().createObjectNode().put("noticeId", UUID.randomUUID().toString()).put("kind", "recognition")
                .put("subject", subject);
        notice.set("body", body);
        OpenedEnvelope envelope = new OpenedEnvelope(new ExchangeHeaders(UUID.randomUUID().toString(), "hangzhou", "jiaxing", "notice",
                null, Instant.now()), notice.toString().getBytes(StandardCharsets.UTF_8), null, new byte[0]);
        return Json.mapper().readTree(receiver.answer(partner("hangzhou", Partner.Level.ALLIANCE_CITY), envelope));
    }

    private static Partner partner(String id, Partner.Level level) {
        return new Partner(id, id, level, true, URI.create("https://127.0.0.1:1"), Suite.GM, null, Optional.empty(),
                Set.of(Partner.ExchangeType.NOTICE), false, Set.of("recognition", "recognition-withdrawal"), Optional.empty(),
                Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4),
                Path.of(id + ".yaml"));
    }
}
