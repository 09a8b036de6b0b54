package credit.exchange.routes.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordExport;
import credit.exchange.routes.query.RecordQuery;
import credit.exchange.routes.query.ReceivedRecord;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a provincial node received, as its local queries answer it (issue 19, item 10): each
 * record with its source (partner, message id, the envelope, this node's receipt), under the same
 * access policy as the node's own records, after them in the pages.
 */
@ExtendWith(CleanCreditStore.class)
class ReceivedRecordsTest {

    private static final String USCC = "91330100716105852F";
    private static final byte[] RECEIPT = {1, 2, 3};

    private final TestNode node;
    private final ReceivedDeliveries received;
    private final LocalQueryService queries;

    @TempDir
    Path dir;

    ReceivedRecordsTest(TestNode node) {
        this.node = node;
        this.received = new ReceivedDeliveries(node.database());
        this.queries = new LocalQueryService(node.database(), node.catalogue(), new AccessPolicy(), node.protector(), node.accessEvents(),
                new ReceivedRecords(), java.time.Clock.systemUTC());
    }

    @Test
    void receivedRecords_areAnsweredByUscc_withTheirSource_underTheAccessPolicy_latestVersionOnly() throws Exception {
        received.store("hangzhou", List.of(
                delivery("hangzhou", 1, "licensing", USCC, "XK-1", 1, "A"),
                delivery("hangzhou", 2, "licensing", USCC, "XK-1", 2, "A"),
                delivery("hangzhou", 3, "tax", USCC, "TAX-1", 1, "A"), // labelled A by its sender; class B here
                delivery("hangzhou", 4, "licensing", "914403001922038216", "XK-2", 1, "A"),
                delivery("hangzhou", 5, "penalty", USCC, "CF-1", 1, "A")),
                new ReceivedDeliveries.Batch("batch-1", RECEIPT));
        received.acknowledged("hangzhou", "batch-1");
        node.number("insert into withdrawn_message (sender, message_id, reason) values ('hangzhou', 'hangzhou:outbox:5', 'REPAIRED')"
                + " returning 1");

        RecordPage anonymous = queries.byUsccWithReceived(Caller.anonymous(), USCC, LocalQueryService.Basis.NONE, 0, 50);
        assertEquals(List.of("licensing XK-1 v2"), describe(anonymous), "class A only, the latest version, not the withdrawn one");
        ReceivedRecord.Source source = anonymous.received().get(0).source();
        assertEquals(new ReceivedRecord.Source("hangzhou", "hangzhou:outbox:2", "batch-1", source.receivedAt(),
                Base64.getEncoder().encodeToString(RECEIPT)), source);

        RecordPage operator = queries.byUsccWithReceived(Caller.operator(), USCC, LocalQueryService.Basis.NONE, 0, 50);
        assertEquals(List.of("licensing XK-1 v2", "tax TAX-1 v1"), describe(operator).stream().sorted().toList());
        assertEquals(Map.of("licensing", Classification.A, "tax", Classification.B), operator.received().stream()
                .collect(Collectors.toMap(r -> r.record().category(), r -> r.record().classification())),
                "shown under this node's class for the dataset, whatever the sender labelled it");

        assertEquals(List.of(), queries.byUscc(Caller.operator(), USCC, LocalQueryService.Basis.NONE, 0, 50).received(),
                "a partner's query is answered without them: they are not this node's to pass on");

        JsonNode json = Json.mapper().readTree(Json.write(anonymous)).path("received").get(0);
        assertEquals("XK-1", json.path("documentNumber").asText(), json.toString());
        assertFalse(json.has("id"), "a received record has no id of this node's: " + json);
        assertEquals("hangzhou", json.path("source").path("partner").asText());
        assertEquals("AQID", json.path("source").path("receipt").asText());
    }

    @Test
    void pages_runThroughTheNodesOwnRecords_thenTheReceivedOnes() {
        CsvTable own = Seeds.companyRows(Seeds.SEED, "licensing", 2, dir);
        String uscc = own.get(1, "XK_XDR_SHXYM");
        own.set(2, "XK_XDR_SHXYM", uscc).set(2, "XK_XDR_MC", own.get(1, "XK_XDR_MC"));
        node.importFile(own.write(dir.resolve("own.csv")), "licensing");
        received.store("huzhou", List.of(delivery("huzhou", 1, "licensing", uscc, "R-1", 1, "A"),
                delivery("huzhou", 2, "licensing", uscc, "R-2", 1, "A"), delivery("huzhou", 3, "licensing", uscc, "R-3", 1, "A")));

        RecordPage first = page(uscc, 0, 2);
        RecordPage second = page(uscc, 1, 2);
        RecordPage third = page(uscc, 2, 2);
        assertEquals(List.of(2, 0, true), List.of(first.records().size(), first.received().size(), first.hasMore()));
        assertEquals(List.of(0, 2, true), List.of(second.records().size(), second.received().size(), second.hasMore()));
        assertEquals(List.of(0, 1, false), List.of(third.records().size(), third.received().size(), third.hasMore()));
        RecordPage mixed = page(uscc, 0, 3);
        RecordPage rest = page(uscc, 1, 3);
        assertEquals(List.of(2, 1, true), List.of(mixed.records().size(), mixed.received().size(), mixed.hasMore()));
        assertEquals(List.of(0, 2, false), List.of(rest.records().size(), rest.received().size(), rest.hasMore()));
        assertEquals(3, List.of(mixed.received().get(0), rest.received().get(0), rest.received().get(1)).stream()
                .map(r -> r.source().messageId()).distinct().count(), "each received record on one page only");
    }

    @Test
    void anExport_namesEachReceivedRecordsSourceNodeAndMessageId_andTheTotalCountsOwnAndReceived() throws Exception {
        CsvTable own = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir);
        String uscc = own.get(1, "XK_XDR_SHXYM");
        node.importFile(own.write(dir.resolve("own.csv")), "licensing");
        received.store("huzhou", List.of(delivery("huzhou", 1, "licensing", uscc, "R-1", 1, "A"),
                delivery("huzhou", 2, "licensing", uscc, "R-2", 1, "A"), delivery("huzhou", 3, "tax", uscc, "R-3", 1, "A")));
        try (AuditWriter audit = new AuditWriter(node.audit(), 100)) {
            RecordExport exports = new RecordExport(queries, node.catalogue(), audit, java.time.Clock.systemUTC());

            String csv = new String(exports.export(Caller.anonymous(), RecordQuery.uscc(uscc, LocalQueryService.Basis.NONE)).csv(),
                    StandardCharsets.UTF_8);

            List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(csv.substring(1))).getRecords();
            assertEquals(3, rows.size(), "its own record and the two class A ones received: " + csv);
            assertEquals(List.of("", "huzhou", "huzhou"), rows.stream().map(r -> r.get("来源节点")).toList());
            assertEquals(List.of("", "huzhou:outbox:1", "huzhou:outbox:2"), rows.stream().map(r -> r.get("消息编号")).sorted().toList());
            assertEquals(List.of(false, true, true), rows.stream().map(r -> r.get("记录编号").isEmpty()).toList(),
                    "a received record has no id of this node's");
        }
        assertEquals(3, queries.byUsccWithReceived(Caller.anonymous(), uscc, LocalQueryService.Basis.NONE, 1, 2).total(),
                "the public's total: its class A records, own and received alike");
        assertEquals(4, page(uscc, 0, 1).total(), "the operator's: the received class B one too");
    }

    @Test
    void aBatchPulledAgainAfterALostAcknowledgement_isHeldFromTheBatchWhoseReceiptItsSenderTook() throws Exception {
        List<PushMessages.Delivery> batch = List.of(delivery("hangzhou", 1, "licensing", USCC, "XK-1", 1, "A"));
        assertEquals(new ReceivedDeliveries.Stored(1, 0), received.store("hangzhou", batch, new ReceivedDeliveries.Batch("first", RECEIPT)));
        // the acknowledgement of "first" was lost: the city hands the delivery out again in another batch
        assertEquals(new ReceivedDeliveries.Stored(0, 1), received.store("hangzhou", batch,
                new ReceivedDeliveries.Batch("second", new byte[] {9})));
        received.acknowledged("hangzhou", "second");
        // and once more, say by an operator's pull racing the node's: the acknowledged batch stays the source
        assertEquals(new ReceivedDeliveries.Stored(0, 1), received.store("hangzhou", batch,
                new ReceivedDeliveries.Batch("third", new byte[] {7})));

        ReceivedDeliveries.HeldPage held = received.from("hangzhou", Optional.empty(), 0, 10);
        assertEquals(1, held.total());
        ReceivedDeliveries.Held d = held.deliveries().get(0);
        assertEquals(List.of("hangzhou:outbox:1", "second", "CQ=="), List.of(d.messageId(), d.batch(), d.receipt()));
        assertTrue(d.acknowledgedAt() != null && !d.withdrawn());
        assertEquals(USCC, Json.mapper().readTree(Json.write(d)).path("record").path("subject").path("uscc").asText(),
                "the record is written as received, JSON within the JSON");
        assertEquals(0, received.from("nowhere", Optional.empty(), 0, 10).total());
        assertFalse(received.holdsFrom("nowhere"));
    }

    @Test
    void receivedListing_isPaginatedWithItsTotal_newestFirst_andFiltersByDataset() {
        for (int i = 1; i <= 5; i++) {
            received.store("hangzhou", List.of(delivery("hangzhou", i, i % 2 == 0 ? "penalty" : "licensing", USCC, "D-" + i, 1, "A")),
                    new ReceivedDeliveries.Batch("b" + i, RECEIPT));
        }
        ReceivedDeliveries.HeldPage first = received.from("hangzhou", Optional.empty(), 0, 2);
        ReceivedDeliveries.HeldPage last = received.from("hangzhou", Optional.empty(), 2, 2);
        assertEquals(5, first.total());
        assertEquals(List.of("hangzhou:outbox:5", "hangzhou:outbox:4"), first.deliveries().stream().map(ReceivedDeliveries.Held::messageId).toList());
        assertEquals(List.of("hangzhou:outbox:1"), last.deliveries().stream().map(ReceivedDeliveries.Held::messageId).toList());
        assertEquals(2, received.from("hangzhou", Optional.of("penalty"), 0, 10).total());
        assertNull(first.deliveries().get(0).acknowledgedAt(), "no acknowledgement was answered for these batches");
    }

    @Test
    void aSendersOddValues_failNoQuery_andNoIdNumberLeavesInTheClear() {
        String odd = delivery("shaoxing", 1, "licensing", USCC, "ODD-1", 1, "A").recordJson()
                .replace("\"version\": 1", "\"version\": \"first\"")
                .replace("\"publicationEnd\": \"" + LocalDate.now().plusYears(1) + "\"", "\"publicationEnd\": \"until further notice\"")
                .replace("\"BZ\": \"备注\"", "\"XK_NR\": \"法定代表人 11010519491231002X\"");
        received.store("shaoxing", List.of(new PushMessages.Delivery("shaoxing:outbox:1", null, "licensing", odd)));

        RecordPage page = queries.byUsccWithReceived(Caller.operator(), USCC, LocalQueryService.Basis.NONE, 0, 50);

        assertEquals(List.of("licensing ODD-1 v1"), describe(page), "an odd version counts as the first, an odd date as none");
        assertFalse(Json.write(page).contains("11010519491231002X"), Json.write(page));
    }

    private RecordPage page(String uscc, int page, int size) {
        return queries.byUsccWithReceived(Caller.operator(), uscc, LocalQueryService.Basis.NONE, page, size);
    }

    private static List<String> describe(RecordPage page) {
        return page.received().stream().map(r -> r.record().category() + " " + r.record().documentNumber() + " v" + r.record().version())
                .toList();
    }

    private static PushMessages.Delivery delivery(String sender, long outboxId, String category, String uscc, String document,
                                                  int version, String classification) {
        String record = """
                {"category": "%s", "classification": "%s", "subject": {"kind": "LEGAL_PERSON", "uscc": "%s", "personIdMasked": null},
                 "partyName": "某某有限公司", "sourceDepartment": "113301004A6B675F3B", "documentNumber": "%s", "version": %d,
                 "decisionDate": "%s", "validFrom": null, "validUntil": null, "publicationEnd": "%s", "status": "ACTIVE",
                 "authority": "杭州市市场监督管理局", "authorityCode": "113301004A6B675F3B", "content": "内容", "attributes": {"BZ": "备注"}}"""
                .formatted(category, classification, uscc, document, version, LocalDate.now().minusDays(version),
                        LocalDate.now().plusYears(1));
        return new PushMessages.Delivery(PushMessages.messageId(sender, outboxId), null, category, record);
    }
}
