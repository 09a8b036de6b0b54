package credit.exchange.routes.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message-id store's expiry, on the real PostgreSQL: expired ids go a chunk at a time, a
 * run's share at most, until none is left; no live one does; one not deleted yet is free again.
 */
@ExtendWith(CleanCreditStore.class)
class ExchangeMessagesTest {

    private final TestNode node;
    private final ExchangeMessages messages;

    ExchangeMessagesTest(TestNode node) {
        this.node = node;
        this.messages = new ExchangeMessages(node.database(), Clock.systemUTC());
    }

    @Test
    void forgetExpired_deletesExpiredIdsChunkByChunk_uptoItsShareOfARun_andKeepsTheLiveOnes() {
        Instant past = Instant.now().minus(Duration.ofMinutes(1));
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        int expired = 2 * ExchangeMessages.EXPIRY_CHUNK + 7;
        for (int i = 0; i < expired; i++) {
            assertTrue(messages.firstSeen("huzhou", "old-" + i, past));
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(messages.firstSeen("huzhou", "live-" + i, future));
        }

        assertEquals(ExchangeMessages.EXPIRY_CHUNK, messages.forgetExpired(1), "one chunk per run asked");
        assertEquals(expired - ExchangeMessages.EXPIRY_CHUNK + 3, node.rowCount("exchange_message"), "the rest waits for the next run");
        assertEquals(expired - ExchangeMessages.EXPIRY_CHUNK, messages.forgetExpired(3), "a run stops when a chunk is not full");

        assertEquals(3, node.rowCount("exchange_message"));
        assertEquals(0, node.number("select count(*) from exchange_message where message_id like 'old-%'"));
        assertFalse(messages.firstSeen("huzhou", "live-0", future), "a live id is still a replay");
        assertEquals(0, messages.forgetExpired(), "nothing left to forget");
    }

    @Test
    void forgetExpired_anExactChunkOfExpiredIds_allGo() {
        Instant past = Instant.now().minus(Duration.ofMinutes(1));
        for (int i = 0; i < ExchangeMessages.EXPIRY_CHUNK; i++) {
            assertTrue(messages.firstSeen("jiaxing", "old-" + i, past));
        }

        assertEquals(ExchangeMessages.EXPIRY_CHUNK, messages.forgetExpired());

        assertEquals(0, node.rowCount("exchange_message"));
    }

    @Test
    void anExpiredIdNotYetDeleted_isClaimedAsANewOne() {
        assertTrue(messages.firstSeen("huzhou", "reused", Instant.now().minus(Duration.ofMinutes(1))));

        assertTrue(messages.firstSeen("huzhou", "reused", Instant.now().plus(Duration.ofMinutes(10))));
        assertFalse(messages.firstSeen("huzhou", "reused", Instant.now().plus(Duration.ofMinutes(10))));
    }
}
