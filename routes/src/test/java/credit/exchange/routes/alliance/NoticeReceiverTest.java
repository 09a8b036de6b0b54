package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a node does with alliance notices it receives, on the real PostgreSQL: only the kinds the
 * sender's configuration allows, about a valid USCC, each notice id applied once (a retry gets the
 * first answer; the same id with other content is refused as a replay), every outcome audited.
 */
@ExtendWith(CleanCreditStore.class)
class NoticeReceiverTest {

    private static final String USCC = "91330100716105852F";
    private final TestNode node;
    private final AtomicInteger applied = new AtomicInteger();
    private final NoticeReceiver receiver;
    private final Partner huzhou = partner(Set.of("sanction"));

    NoticeReceiverTest(TestNode node) {
        this.node = node;
        this.receiver = new NoticeReceiver(node.database(), java.util.Map.of("sanction", (c, sender, n) -> {
            applied.incrementAndGet();
            return Json.mapper().createObjectNode().put("status", "acknowledged");
        }));
    }

    @Test
    void aNotice_isAppliedOnce_aRetryGetsTheFirstAnswer_andOtherContentUnderItsIdIsAReplay() throws Exception {
        String id = UUID.randomUUID().toString();
        JsonNode first = answer(huzhou, notice(id, "sanction", USCC, "{\"measures\":[\"no public funding\"]}"));
        JsonNode again = answer(huzhou, notice(id, "sanction", USCC, "{\"measures\":[\"no public funding\"]}"));
        JsonNode altered = answer(huzhou, notice(id, "sanction", USCC, "{\"measures\":[\"nothing\"]}"));

        assertEquals("acknowledged", first.path("status").asText(), first.toString());
        assertEquals(first, again);
        assertEquals(1, applied.get());
        assertEquals("E_REPLAY", altered.path("refused").asText(), altered.toString());
        assertEquals("ALLOW sanction ACKNOWLEDGED|DENY E_REPLAY REFUSED", sql("select string_agg(decision || ' ' || reason || ' ' || outcome,"
                + " '|' order by id) from audit_event where action = 'notice.in'"));
    }

    @Test
    void aKindTheSenderMayNotSend_anInvalidUscc_anUnknownKind_orNoNotice_areRefusedWithTheirCodes() throws Exception {
        assertEquals("E_NOT_GRANTED", answer(partner(Set.of()), notice(UUID.randomUUID().toString(), "sanction", USCC, "{}"))
                .path("refused").asText());
        assertEquals("E_IDENTIFIER_INVALID", answer(huzhou, notice(UUID.randomUUID().toString(), "sanction", "91330100716105852E", "{}"))
                .path("refused").asText());
        assertEquals("E_UNKNOWN_TYPE", answer(partner(Set.of("repair")), notice(UUID.randomUUID().toString(), "repair", USCC, "{}"))
                .path("refused").asText());
        assertEquals("E_MALFORMED", answer(huzhou, "not json".getBytes(StandardCharsets.UTF_8)).path("refused").asText());
        assertEquals("E_MALFORMED", answer(huzhou, notice("not-a-uuid", "sanction", USCC, "{}")).path("refused").asText());
        assertEquals(0, applied.get());
        assertEquals("5", sql("select count(*) from audit_event where action = 'notice.in' and decision = 'DENY'"));
    }

    @Test
    void arbitraryPayloads_getAnAnswer_neverAnException() {
        Arbitraries.strings().ofMaxLength(300).sampleStream().limit(300).forEach(text ->
                assertEquals(true, answer(huzhou, text.getBytes(StandardCharsets.UTF_8)).has("refused")));
        Arbitraries.strings().withChars("{}[]\":,abc0123456789-").ofMaxLength(120).sampleStream().limit(300).forEach(text ->
                answer(huzhou, text.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode answer(Partner sender, byte[] payload) {
        OpenedEnvelope envelope = new OpenedEnvelope(new ExchangeHeaders(UUID.randomUUID().toString(), sender.id(), "hangzhou", "notice",
                null, Instant.now()), payload, null, new byte[0]);
        try {
            return Json.mapper().readTree(receiver.answer(sender, envelope));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] notice(String id, String kind, String subject, String body) {
        return ("{\"noticeId\":\"" + id + "\",\"kind\":\"" + kind + "\",\"subject\":\"" + subject + "\",\"body\":" + body + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Partner partner(Set<String> kinds) {
        return new Partner("huzhou", "huzhou", Partner.Level.ALLIANCE_CITY, true, URI.create("https://127.0.0.1:1"), Suite.GM, null,
                Optional.empty(), Set.of(Partner.ExchangeType.NOTICE), false, kinds, Optional.empty(), Optional.empty(),
                new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of("huzhou.yaml"));
    }

    private String sql(String query) throws Exception {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
