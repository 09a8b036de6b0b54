package credit.exchange.routes.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.SubjectAuthorisation;
import credit.exchange.security.auth.BearerIdentity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Local queries by USCC and name prefix, and what the access policy lets each caller see. */
@ExtendWith(CleanCreditStore.class)
class LocalQueryServiceTest {

    private final TestNode node;
    private final LocalQueryService queries;

    @TempDir
    Path dir;

    LocalQueryServiceTest(TestNode node) {
        this.node = node;
        this.queries = node.queries();
    }

    @Test
    void byUscc_findsEveryRecordOfThatSubject_andNoOther() {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 6, dir);
        String uscc = licences.get(1, "XK_XDR_SHXYM");
        licences.set(2, "XK_XDR_SHXYM", uscc).set(2, "XK_XDR_MC", licences.get(1, "XK_XDR_MC"));
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");

        RecordPage page = queries.byUscc(Caller.operator(), uscc, 0, 50);

        assertEquals(Set.of(licences.get(1, "XK_WSH"), licences.get(2, "XK_WSH")), documentNumbers(page));
        page.records().forEach(r -> assertEquals(uscc, r.uscc()));
        assertFalse(page.hasMore());
    }

    /**
     * More queries at once than the store has connections (the shared test store's pool holds 4):
     * a query gives its connection back before it waits for its decisions to be durable, so the
     * audit writer, which needs one of the same pool, is never starved by the queries waiting for
     * it. (Holding it, 16 clients of the lookup bench hung the node until the pool's timeout.)
     */
    @Test
    void moreConcurrentQueriesThanConnections_allAnswer() throws Exception {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir);
        String uscc = licences.get(1, "XK_XDR_SHXYM");
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");
        int clients = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    int found = 0;
                    for (int q = 0; q < 10; q++) {
                        found += queries.byUscc(Caller.anonymous(), uscc, 0, 50).records().size();
                    }
                    return found;
                }));
            }
            start.countDown();
            for (var answer : answers) {
                assertEquals(10, answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The sample's 2016 penalties were published until 2019: right after import, before any
     * publication-expiry job, no query serves them, the operator's neither; the same decision
     * published until next year is served.
     */
    @Test
    void byUscc_recordPastItsPublicationEnd_isNotServed_evenBeforeTheExpiryJob() {
        CsvTable penalties = Seeds.companyRows(Seeds.SEED, "penalty", 2, dir);
        String uscc = penalties.get(1, "CF_XDR_SHXYM");
        penalties.set(2, "CF_XDR_SHXYM", uscc).set(2, "CF_XDR_MC", penalties.get(1, "CF_XDR_MC"))
                .set(1, "CF_JDRQ", "2016-11-14").set(1, "CF_GSJZQ", "2019-11-14")
                .set(2, "CF_GSJZQ", TestNode.TODAY.plusYears(1).toString());
        assertEquals(2, node.importFile(penalties.write(dir.resolve("penalties.csv")), "penalty").stored());

        RecordPage page = queries.byUscc(Caller.operator(), uscc, 0, 50);

        assertEquals(Set.of(penalties.get(2, "CF_WSH")), documentNumbers(page));
        assertEquals(Set.of(penalties.get(2, "CF_WSH")), documentNumbers(queries.byUscc(Caller.anonymous(), uscc, 0, 50)));
        assertEquals(List.of("ACTIVE"), node.rows("select status from credit_record where document_number = ?",
                penalties.get(1, "CF_WSH")).stream().map(r -> String.valueOf(r.get("status"))).toList(),
                "stored as it came: the expiry job withdraws it; reads do not wait for the job");
    }

    @Test
    void byUscc_publicationEndingToday_isStillServed() {
        CsvTable penalties = Seeds.companyRows(Seeds.SEED, "penalty", 1, dir).set(1, "CF_GSJZQ", TestNode.TODAY.toString());
        node.importFile(penalties.write(dir.resolve("penalties.csv")), "penalty");

        assertEquals(1, queries.byUscc(Caller.anonymous(), penalties.get(1, "CF_XDR_SHXYM"), 0, 50).records().size());
    }

    /** What a caller may not read is not shown, but counted per reason: "1 record withheld: class B data needs …". */
    @Test
    void byUscc_countsTheWithheldRecordsPerReason_neverShowingThem() {
        String uscc = importOneCompanyInEveryClass();

        RecordPage anonymous = queries.byUscc(Caller.anonymous(), uscc, 0, 50);

        assertEquals(Set.of("licensing"), categories(anonymous));
        assertEquals(2, anonymous.withheld().stream().mapToInt(Withheld::records).sum(), anonymous.withheld().toString());
        assertTrue(anonymous.withheld().stream().allMatch(w -> w.code().startsWith("E_") && !w.reason().isBlank()),
                anonymous.withheld().toString());
        assertEquals(List.of(), queries.byUscc(Caller.operator(), uscc, 0, 50).withheld(), "the operator reads every class");
        assertTrue(Withheld.describe(anonymous.withheld()).contains("withheld"), Withheld.describe(anonymous.withheld()));
    }

    @Test
    void byUscc_lowerCaseWithSpaces_findsTheSameRecords() {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 3, dir);
        String uscc = licences.get(1, "XK_XDR_SHXYM");
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");

        assertEquals(1, queries.byUscc(Caller.operator(), "  " + uscc.toLowerCase() + " ", 0, 50).records().size());
    }

    @Test
    void byUscc_unknownSubject_answersAnEmptyPage() {
        RecordPage page = queries.byUscc(Caller.operator(), Seeds.identifiers(3).uscc(), 0, 50);

        assertEquals(List.of(), page.records());
        assertFalse(page.hasMore());
    }

    @Test
    void byUscc_invalidCode_throwsE_IDENTIFIER_INVALID() {
        String valid = Seeds.identifiers(3).uscc();
        String wrongCheck = valid.substring(0, 17) + (valid.charAt(17) == '0' ? '1' : '0');

        for (String code : List.of(wrongCheck, "12345", "", "91330100MA2XXXXXXO")) {
            assertCode(ErrorCode.E_IDENTIFIER_INVALID, () -> queries.byUscc(Caller.operator(), code, 0, 50));
        }
        assertCode(ErrorCode.E_IDENTIFIER_INVALID, () -> queries.byUscc(Caller.operator(), null, 0, 50));
    }

    @Test
    void byNamePrefix_pagesOfTwoOverFiveRecords_coverEachRecordOnce() {
        importCompaniesNamed("分页测试", 5);

        RecordPage first = queries.byNamePrefix(Caller.operator(), "分页测试", 0, 2);
        RecordPage second = queries.byNamePrefix(Caller.operator(), "分页测试", 1, 2);
        RecordPage third = queries.byNamePrefix(Caller.operator(), "分页测试", 2, 2);

        assertEquals(List.of(2, 2, 1), List.of(first.records().size(), second.records().size(), third.records().size()));
        assertEquals(List.of(true, true, false), List.of(first.hasMore(), second.hasMore(), third.hasMore()));
        List<Long> ids = new ArrayList<>();
        for (RecordPage page : List.of(first, second, third)) {
            page.records().forEach(r -> ids.add(r.id()));
        }
        assertEquals(5, new HashSet<>(ids).size(), "no record on two pages: " + ids);
    }

    @Test
    void byNamePrefix_lastPageExactlyFull_hasNoMore() {
        importCompaniesNamed("分页测试", 4);

        RecordPage second = queries.byNamePrefix(Caller.operator(), "分页测试", 1, 2);

        assertEquals(2, second.records().size());
        assertFalse(second.hasMore());
        assertEquals(List.of(), queries.byNamePrefix(Caller.operator(), "分页测试", 2, 2).records());
    }

    @Test
    void byNamePrefix_isOrderedByName() {
        importCompaniesNamed("排序测试", 5);

        List<String> names = queries.byNamePrefix(Caller.operator(), "排序测试", 0, 50).records().stream()
                .map(CreditRecord::partyName).toList();

        assertEquals(names.stream().sorted().toList(), names);
    }

    @Test
    void byNamePrefix_percentAndUnderscore_areMatchedLiterally() {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 5, dir);
        licences.set(1, "XK_XDR_MC", "百分%科技有限公司")
                .set(2, "XK_XDR_MC", "百分之百科技有限公司")
                .set(3, "XK_XDR_MC", "下划_线科技有限公司")
                .set(4, "XK_XDR_MC", "下划X线科技有限公司")
                .set(5, "XK_XDR_MC", "反斜\\杠科技有限公司");
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");

        assertEquals(List.of("百分%科技有限公司"), names(queries.byNamePrefix(Caller.operator(), "百分%", 0, 50)));
        assertEquals(List.of("下划_线科技有限公司"), names(queries.byNamePrefix(Caller.operator(), "下划_", 0, 50)));
        assertEquals(List.of("反斜\\杠科技有限公司"), names(queries.byNamePrefix(Caller.operator(), "反斜\\", 0, 50)));
        assertEquals(List.of(), names(queries.byNamePrefix(Caller.operator(), "%%", 0, 50)));
    }

    @Test
    void byNamePrefix_ofOneCharacter_isRefused() {
        assertCode(ErrorCode.E_FIELD_INVALID, () -> queries.byNamePrefix(Caller.operator(), "杭", 0, 50));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> queries.byNamePrefix(Caller.operator(), " 杭 ", 0, 50));
    }

    @Test
    void query_pageOrSizeOutOfRange_isRefused() {
        assertCode(ErrorCode.E_FIELD_INVALID, () -> queries.byNamePrefix(Caller.operator(), "杭州", -1, 50));
        assertCode(ErrorCode.E_FIELD_INVALID, () -> queries.byNamePrefix(Caller.operator(), "杭州", 0, 0));
        assertCode(ErrorCode.E_FIELD_INVALID,
                () -> queries.byNamePrefix(Caller.operator(), "杭州", 0, LocalQueryService.MAX_PAGE_SIZE + 1));
    }

    @Test
    void anonymous_seesOnlyClassA_whileTheOperatorSeesClassesBAndC() {
        String uscc = importOneCompanyInEveryClass();

        RecordPage anonymous = queries.byUscc(Caller.anonymous(), uscc, 0, 50);
        RecordPage operator = queries.byUscc(Caller.operator(), uscc, 0, 50);

        assertEquals(Set.of("licensing"), categories(anonymous));
        assertEquals(Set.of("licensing", "tax", "social-insurance"), categories(operator));
        assertEquals(Map.of("licensing", Classification.A, "tax", Classification.B, "social-insurance", Classification.C),
                classificationByCategory(operator));
    }

    @Test
    void classB_isRead_onlyOnTheSubjectsAuthorisation_forItsGrantee_purpose_andDataset_untilRevoked() {
        String uscc = importOneCompanyInEveryClass();
        String department = "11330100002493622M";
        Caller officer = Caller.of(new BearerIdentity("s-1", "officer-17", "officer-console",
                Set.of("reader-public", "reader-authorised"), Optional.of(department), Instant.now().plusSeconds(300)));
        SubjectAuthorisations authorisations = node.authorisations();
        SubjectAuthorisation consent = authorisations.register(new SubjectAuthorisations.Registration(uscc, department,
                "tender review", Set.of("tax"), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600),
                Optional.of("consent form 2026-0042"), Optional.empty(), "officer-17"));

        assertEquals(Set.of("licensing"), categories(queries.byUscc(officer, uscc, 0, 50)), "no authorisation named");
        assertEquals(List.of("licensing A ALLOW PUBLIC", "social-insurance C DENY E_NOT_GRANTED", "tax B DENY E_AUTHORIZATION_REQUIRED"),
                events("select d from audit_event, unnest(decisions) as d where actor = 'officer-17'"
                        + " and subject_key = 'U:" + uscc + "' and split_part(d, ' ', 1) in ('licensing', 'tax', 'social-insurance')"
                        + " order by d"),
                "every decision of the query is recorded, allow and deny");
        assertEquals(Set.of("licensing", "tax"), categories(queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", authorisations.find(consent.id()), Set.of()), 0, 50)));
        assertEquals(Set.of("licensing"), categories(queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("marketing", authorisations.find(consent.id()), Set.of()), 0, 50)), "another purpose");
        authorisations.revoke(consent.id(), "the subject");
        assertEquals(Set.of("licensing"), categories(queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", authorisations.find(consent.id()), Set.of()), 0, 50)), "revoked");

        // asked for by name, a dataset the caller may not read refuses the whole query with its code
        assertCode(ErrorCode.E_AUTHORIZATION_REVOKED, () -> queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", authorisations.find(consent.id()), Set.of("tax")), 0, 50));
        assertCode(ErrorCode.E_AUTHORIZATION_REQUIRED, () -> queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", Optional.empty(), Set.of("licensing", "tax")), 0, 50));
        assertCode(ErrorCode.E_NOT_GRANTED, () -> queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", Optional.empty(), Set.of("social-insurance")), 0, 50));
        assertEquals(Set.of("licensing"), categories(queries.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", Optional.empty(), Set.of("licensing")), 0, 50)));
    }

    @Test
    void classBAndCReaders_seeExactlyTheFieldsConfiguredForTheDataset_andTheOperatorSeesEveryField() {
        String uscc = importOneCompanyInEveryClass();
        String department = "11330100002493622M";
        LocalQueryService configured = node.queries(Map.of(
                "tax", "partyName, decisionDate, content, attributes.MD_LB",
                "social-insurance", "partyName,documentNumber,authority,attributes.*"));
        Caller officer = Caller.of(new BearerIdentity("s-2", "officer-18", "officer-console",
                Set.of("reader-authorised", "reader-shared", "agreement-social-insurance"), Optional.of(department),
                Instant.now().plusSeconds(300)));
        SubjectAuthorisation consent = node.authorisations().register(
                new SubjectAuthorisations.Registration(uscc, department, "tender review", Set.of("tax"), Instant.now().minusSeconds(60),
                        Instant.now().plusSeconds(3600), Optional.of("consent form 2026-0043"), Optional.empty(), "officer-18"));

        Map<String, CreditRecord> read = byCategory(configured.byUscc(officer, uscc,
                new LocalQueryService.Basis("tender review", Optional.of(consent), Set.of()), 0, 50));

        assertEquals(Set.of("tax", "social-insurance"), read.keySet());
        assertEquals(Set.of("id", "category", "classification", "subjectKind", "uscc", "version", "status",
                "partyName", "decisionDate", "content", "attributes"), visibleFields(read.get("tax")));
        assertEquals(Set.of("MD_LB"), read.get("tax").attributes().keySet());
        assertEquals(Set.of("id", "category", "classification", "subjectKind", "uscc", "version", "status",
                "partyName", "documentNumber", "authority", "attributes"), visibleFields(read.get("social-insurance")));
        CreditRecord full = byCategory(configured.byUscc(Caller.operator(), uscc, 0, 50)).get("social-insurance");
        assertEquals(full.attributes(), read.get("social-insurance").attributes(), "attributes.* shows every attribute");
        assertTrue(visibleFields(full).containsAll(Set.of("sourceDepartment", "decisionDate", "authorityCode", "content",
                "ingestedAt", "legacyIdentifier")), visibleFields(full).toString());
        assertEquals(List.of("social-insurance C ALLOW FIELDS attributes.*,authority,documentNumber,partyName",
                        "tax B ALLOW FIELDS attributes.MD_LB,content,decisionDate,partyName"),
                events("select d from audit_event, unnest(decisions) as d where actor = 'officer-18'"
                        + " and split_part(d, ' ', 1) in ('tax', 'social-insurance') order by d"),
                "the trail says what was shown");
    }

    @Test
    void aDisclosureNamingAnUnknownDatasetOrField_stopsTheNodeWithTheKeyAtFault() {
        assertEquals("gateway.disclosure.fines: this node keeps no dataset 'fines'", assertThrows(CodedException.class,
                () -> node.queries(Map.of("fines", "partyName"))).getMessage());
        assertTrue(assertThrows(CodedException.class, () -> node.queries(Map.of("tax", "partyName,secretField")))
                .getMessage().startsWith("gateway.disclosure.tax: 'secretField' is no record field"));
        assertEquals("gateway.disclosure.tax: 'attributes.md lb' names no attribute column (attributes.COLUMN or attributes.*)",
                assertThrows(CodedException.class, () -> node.queries(Map.of("tax", "attributes.md lb"))).getMessage());
        CodedException classA = assertThrows(CodedException.class, () -> node.queries(Map.of("licensing", "partyName")));
        assertEquals(ErrorCode.E_CONFIG_INVALID, classA.code());
        assertEquals("gateway.disclosure.licensing: dataset licensing is class A, which is always shown as public", classA.getMessage());
    }

    private static Map<String, CreditRecord> byCategory(RecordPage page) {
        Map<String, CreditRecord> out = new HashMap<>();
        page.records().forEach(r -> out.put(r.category(), r));
        return out;
    }

    /** The fields a record shows in JSON (the API's mapping leaves hidden, null, fields out). */
    private static Set<String> visibleFields(CreditRecord record) {
        Set<String> out = new HashSet<>();
        credit.exchange.routes.api.Json.mapper().valueToTree(record).fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void anonymous_byNamePrefix_alsoSeesOnlyClassA() {
        importOneCompanyInEveryClass();

        assertEquals(Set.of("licensing"), categories(queries.byNamePrefix(Caller.anonymous(), "三类测试", 0, 50)));
        assertEquals(3, queries.byNamePrefix(Caller.operator(), "三类测试", 0, 50).records().size());
    }

    @Test
    void anonymous_publicDisclosure_hidesRepresentativeIdAndRemarks() {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir);
        String representativeId = Seeds.identifiers(8).residentId();
        licences.set(1, "XK_FR_ZJLX", "身份证").set(1, "XK_FR_ZJHM", representativeId).set(1, "BZ", "内部备注");
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");
        String uscc = licences.get(1, "XK_XDR_SHXYM");

        Map<String, String> anonymous = queries.byUscc(Caller.anonymous(), uscc, 0, 1).records().get(0).attributes();
        Map<String, String> operator = queries.byUscc(Caller.operator(), uscc, 0, 1).records().get(0).attributes();

        assertTrue(anonymous.keySet().stream().noneMatch(k -> k.endsWith("FR_ZJHM") || k.endsWith("FR_ZJLX") || k.endsWith("BZ")),
                anonymous.toString());
        assertEquals(licences.get(1, "XK_FRDB"), anonymous.get("XK_FRDB"), "the representative's name is public");
        assertEquals(ResidentIdNumber.mask(representativeId), operator.get("XK_FR_ZJHM"));
        assertEquals("身份证", operator.get("XK_FR_ZJLX"));
        assertEquals("内部备注", operator.get("BZ"));
    }

    @Test
    void publicDisclosure_masksANaturalPersonsName_likeTheIdNumber() {
        CsvTable licence = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir);
        String residentId = Seeds.identifiers(9).residentId();
        licence.set(1, "XK_XDR_MC", "欧阳娜娜").set(1, "XK_XDR_LB", "自然人").set(1, "XK_XDR_SHXYM", "")
                .set(1, "XK_XDR_ZJLX", "身份证").set(1, "XK_XDR_ZJHM", residentId);
        assertEquals(1, node.importFile(licence.write(dir.resolve("person.csv")), "licensing").stored());

        CreditRecord anonymous = queries.byResidentId(Caller.anonymous(), residentId, 0, 1).records().get(0);
        CreditRecord operator = queries.byResidentId(Caller.operator(), residentId, 0, 1).records().get(0);

        assertEquals("欧***", anonymous.partyName());
        assertEquals("欧阳娜娜", operator.partyName());
        assertEquals(ResidentIdNumber.mask(residentId), anonymous.maskedPersonId());
    }

    private List<String> events(String sql) {
        try (var c = node.database().connection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A company with a licence (class A), a tax credit rating (B) and a social-insurance record (C). */
    private String importOneCompanyInEveryClass() {
        CsvTable licence = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir).set(1, "XK_XDR_MC", "三类测试有限公司");
        String uscc = licence.get(1, "XK_XDR_SHXYM");
        node.importFile(licence.write(dir.resolve("licence.csv")), "licensing");
        for (String category : List.of("tax", "social-insurance")) {
            CsvTable entry = Seeds.companyRows(Seeds.SEED + category.length(), "redlist", 1, dir)
                    .set(1, "MD_XDR_MC", "三类测试有限公司").set(1, "MD_XDR_SHXYM", uscc);
            assertEquals(1, node.importFile(entry.write(dir.resolve(category + ".csv")), category).stored(), category);
        }
        return uscc;
    }

    private void importCompaniesNamed(String prefix, int count) {
        CsvTable licences = Seeds.companyRows(Seeds.SEED, "licensing", count + 3, dir);
        for (int row = 1; row <= count; row++) {
            licences.set(row, "XK_XDR_MC", prefix + row + "号有限公司");
        }
        node.importFile(licences.write(dir.resolve("licences.csv")), "licensing");
    }

    private static void assertCode(ErrorCode expected, Executable query) {
        assertEquals(expected, assertThrows(CodedException.class, query).code());
    }

    private static Set<String> documentNumbers(RecordPage page) {
        return Set.copyOf(page.records().stream().map(CreditRecord::documentNumber).toList());
    }

    private static Set<String> categories(RecordPage page) {
        return Set.copyOf(page.records().stream().map(CreditRecord::category).toList());
    }

    private static Map<String, Classification> classificationByCategory(RecordPage page) {
        Map<String, Classification> result = new HashMap<>();
        page.records().forEach(r -> result.put(r.category(), r.classification()));
        return result;
    }

    private static List<String> names(RecordPage page) {
        return page.records().stream().map(CreditRecord::partyName).toList();
    }
}
