package credit.exchange.routes.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The push payloads come from other nodes: whatever bytes arrive, reading them gives the
 * deliveries or a coded error, never anything else; a batch written and read back is the same
 * batch; a message id of another node's outbox is never taken for one of ours.
 */
class PushMessagesPropertiesTest {

    private static final Set<ErrorCode> PAYLOAD_CODES = Set.of(ErrorCode.E_FIELD_INVALID);

    @Property(tries = 500)
    void readingArbitraryBytes_givesDeliveriesOrACodedError(@ForAll @Size(max = 600) byte[] payload) {
        readsOrRefuses(payload);
    }

    @Property(tries = 500)
    void readingAMutatedBatch_givesOnlyTheSendersDeliveriesOrACodedError(@ForAll("records") List<String> records,
                                                                          @ForAll @Size(min = 1, max = 8) List<Integer> positions,
                                                                          @ForAll byte replacement) {
        byte[] batch = batchOf(records);
        for (int p : positions) {
            batch[Math.floorMod(p, batch.length)] = replacement;
        }
        for (PushMessages.Delivery d : readsOrRefuses(batch)) {
            assertTrue(PushMessages.outboxId("hangzhou", d.messageId()).isPresent(), d.messageId());
        }
    }

    @Property(tries = 200)
    void aBatchWrittenAndRead_isTheSameBatch(@ForAll("records") List<String> records) throws Exception {
        List<PushMessages.Delivery> read = PushMessages.readBatch(batchOf(records), "hangzhou");
        assertEquals(records.size(), read.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals("hangzhou:outbox:" + (i + 1), read.get(i).messageId());
            assertEquals(Json.mapper().readTree(records.get(i)), Json.mapper().readTree(read.get(i).recordJson()));
            assertEquals(Json.mapper().readTree(records.get(i)).path("category").asText(), read.get(i).category());
        }
    }

    @Property(tries = 500)
    void outboxIds_roundTrip_andForeignOrMalformedIdsAreNotOurs(@ForAll @LongRange(min = 0) long id, @ForAll String other) {
        assertEquals(Optional.of(id), PushMessages.outboxId("hangzhou", PushMessages.messageId("hangzhou", id)));
        assertEquals(Optional.empty(), PushMessages.outboxId("hangzhou", PushMessages.messageId("huzhou", id)));
        Optional<Long> parsed = PushMessages.outboxId("hangzhou", other);
        parsed.ifPresent(n -> assertTrue(other.startsWith("hangzhou:outbox:")));
    }

    @Property(tries = 300)
    void pullRequestsAndAcknowledgements_fromArbitraryBytes_areReadOrRefusedWithACode(@ForAll @Size(max = 300) byte[] payload) {
        try {
            assertTrue(PushMessages.readPullRequest(payload) >= 1);
        } catch (CodedException e) {
            assertTrue(PAYLOAD_CODES.contains(e.code()), e.code().name());
        }
        try {
            PushMessages.Acknowledgement ack = PushMessages.readAcknowledgement(payload);
            assertTrue(ack.batch() != null && !ack.messageIds().isEmpty() && ack.receipt() != null);
        } catch (CodedException e) {
            assertTrue(PAYLOAD_CODES.contains(e.code()), e.code().name());
        }
    }

    @Provide
    Arbitrary<List<String>> records() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> record = net.jqwik.api.Combinators.combine(Arbitraries.of("licensing", "penalty", "redlist"), text, text)
                .as((category, name, content) -> {
                    try {
                        return Json.mapper().writeValueAsString(java.util.Map.of("category", category, "partyName", name,
                                "content", content));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        return record.list().ofMinSize(1).ofMaxSize(6);
    }

    private static byte[] batchOf(List<String> records) {
        List<PushMessages.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            deliveries.add(new PushMessages.Delivery(PushMessages.messageId("hangzhou", i + 1), null, null, records.get(i)));
        }
        return PushMessages.batch(deliveries);
    }

    private static List<PushMessages.Delivery> readsOrRefuses(byte[] payload) {
        try {
            return PushMessages.readBatch(payload, "hangzhou");
        } catch (CodedException e) {
            assertTrue(PAYLOAD_CODES.contains(e.code()), e.code() + ": " + e.getMessage() + " for "
                    + new String(payload, StandardCharsets.UTF_8));
            return List.of();
        }
    }
}
