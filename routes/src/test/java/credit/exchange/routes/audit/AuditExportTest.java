package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.access.Caller;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.auth.BearerIdentity;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An officer's search exported as CSV, read back as a spreadsheet reads it: every matching event
 * of the range (more than a console page), Chinese headers, times in Asia/Shanghai with the zone in
 * the header, a planted formula neutralised, and the export an event of the trail; the search's
 * total counts what matches.
 */
@ExtendWith(CleanCreditStore.class)
class AuditExportTest {

    private static final Instant AT = Instant.parse("2026-12-07T08:30:00Z");
    private static final String PLANTED = "=cmd|' /C calc'!A0";

    private final TestNode node;

    AuditExportTest(TestNode node) {
        this.node = node;
    }

    @Test
    void aSearchExportedAsCsv_holdsEveryMatchingEvent_inChinese_timesInShanghai_formulasNeutralised() throws IOException {
        AuditStore store = new AuditStore(node.database(), "hangzhou", AuditChain.of(Suite.GM));
        List<AuditRecord> events = new ArrayList<>();
        for (int i = 0; i < AuditSearch.MAX_PAGE + 20; i++) {
            events.add(event(i % 2 == 0 ? "DENY" : "ALLOW", i == 7 ? PLANTED : "查询 " + i));
        }
        events.add(new AuditRecord(0, AT, null, "OPERATOR", "operator", null, "config", null, null, null, null, null, null, null,
                List.of(), null, null, "not an access decision"));
        store.append(events);
        store.chainAll(1000);
        AuditSearch search = new AuditSearch(node.database(), "hangzhou");
        AuditSearch.Criteria access = new AuditSearch.Criteria(AT.minusSeconds(60), AT.plusSeconds(60), "huzhou", null, "access", null);
        Caller officer = Caller.of(new BearerIdentity("s-1", "审计员", "officer-console", Set.of("auditor"), Optional.empty(),
                Instant.now().plusSeconds(300)));

        assertEquals(AuditSearch.MAX_PAGE + 20, search.count(access));
        assertEquals(260, search.count(new AuditSearch.Criteria(access.from(), access.to(), null, null, null, "DENY")));
        AuditExport.Exported file;
        try (AuditWriter writer = new AuditWriter(store, 100)) {
            file = new AuditExport(search, writer, "hangzhou").export(officer, access);
        }

        String text = new String(file.csv(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF序号,时间（UTC+08:00 Asia/Shanghai）,操作者类型,操作者,伙伴节点,操作,交换类型,主体,类别,数据集,各数据集决定,目的,授权编号,决定,原因,"
                + "消息编号,结果,耗时（毫秒）,详情\r\n"), text.substring(0, 120));
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text.substring(1))).getRecords();
        assertEquals(AuditSearch.MAX_PAGE + 20, rows.size(), "every matching event, not one page");
        assertEquals(file.rows(), rows.size());
        CSVRecord newest = rows.get(0);
        assertTrue(Long.parseLong(newest.get("序号")) > Long.parseLong(rows.get(1).get("序号")), "newest first, as the console lists them");
        assertEquals("2026-12-07 16:30:00", newest.get("时间（UTC+08:00 Asia/Shanghai）"));
        assertEquals(List.of("PERSON", "黄审计", "huzhou", "access", "U:91330100716105852F", "B 授权查询", "tax"),
                List.of(newest.get("操作者类型"), newest.get("操作者"), newest.get("伙伴节点"), newest.get("操作"), newest.get("主体"),
                        newest.get("类别"), newest.get("数据集")));
        assertEquals(Set.of("允许", "拒绝"), Set.copyOf(rows.stream().map(r -> r.get("决定")).toList()));
        assertEquals(1, rows.stream().filter(r -> r.get("详情").equals("'" + PLANTED)).count(), "the planted formula, as text");
        assertTrue(file.filename().matches("audit-hangzhou-20261207-162900-20261207-163100\\.csv"), file.filename());
        assertEquals(List.of("PERSON 审计员 WRITTEN"), node.rows("select actor_kind || ' ' || actor || ' ' || outcome as e from audit_event"
                + " where action = 'export' and detail like 'CSV of audit events%520 rows'").stream().map(r -> String.valueOf(r.get("e"))).toList(),
                "the export is an event naming the officer");
    }

    @Test
    void aSearchMatchingMoreThanAnExportHolds_isRefusedE_EXPORT_TOO_LARGE_withNoFileAndNoExportEvent() {
        AuditStore store = new AuditStore(node.database(), "hangzhou", AuditChain.of(Suite.GM));
        List<AuditRecord> events = new ArrayList<>();
        for (int i = 0; i <= AuditExport.MAX_ROWS; i++) {
            events.add(event("ALLOW", "查询 " + i));
        }
        store.append(events);
        store.chainAll(AuditExport.MAX_ROWS + 1);
        AuditSearch search = new AuditSearch(node.database(), "hangzhou");
        AuditSearch.Criteria all = new AuditSearch.Criteria(AT.minusSeconds(60), AT.plusSeconds(60), null, null, null, null);
        Caller officer = Caller.of(new BearerIdentity("s-1", "审计员", "officer-console", Set.of("auditor"), Optional.empty(),
                Instant.now().plusSeconds(300)));

        try (AuditWriter writer = new AuditWriter(store, 100)) {
            CodedException refused = assertThrows(CodedException.class, () -> new AuditExport(search, writer, "hangzhou").export(officer, all));
            assertEquals(ErrorCode.E_EXPORT_TOO_LARGE, refused.code());
            assertTrue(refused.getMessage().contains("10001") && refused.getMessage().contains("shorter time range"), refused.getMessage());
        }
        assertEquals(AuditExport.MAX_ROWS + 1, search.count(all));
        assertEquals(0, node.number("select count(*) from audit_event where action = 'export'"));
    }

    private static AuditRecord event(String decision, String detail) {
        return new AuditRecord(0, AT, null, "PERSON", "黄审计", "huzhou", "access", "U:91330100716105852F", "B", "tax", "tender review",
                null, decision, decision.equals("DENY") ? "E_AUTHORIZATION_REQUIRED" : "FULL", List.of(), null, 3, detail);
    }
}
