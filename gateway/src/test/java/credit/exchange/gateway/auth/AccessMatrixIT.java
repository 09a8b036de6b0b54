package credit.exchange.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.routes.identifier.ResidentIdNumber;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access matrix end to end, each cell with the one answer it must give: who asks (people and
 * a platform signed in at the real Keycloak, the anonymous public; partner nodes of each kind over
 * real exchanges) × class (A red list, B tax credit rating, C social-insurance payments) × the
 * state of the data subject's authorisation — and for every allow, exactly which fields and
 * attributes the record shows; for every deny, the reason code and no data at all. A local
 * caller's CSV export of each cell (format=csv) gives the same answer: the same refusal, or one row
 * whose columns are exactly the fields the JSON shows.
 *
 * <p>Hangzhou holds one enterprise's records in each class and answers; Huzhou (an alliance city
 * granted class A), Jiaxing (an alliance city on the INTL suite, granted A, B and C with a sharing
 * agreement for social insurance) and the province (granted A, B and C without an agreement) ask
 * it. Their own alliance officer, who may read every class at home, makes the partner's answer
 * visible as it came.
 */
class AccessMatrixIT {

    private static final String SUBJECT = "91330100716105852F";
    private static final String OTHER_SUBJECT = "914403001922038216";
    private static final String REPRESENTATIVE_ID = "11010519491231002X";
    private static final String PURPOSE = "tender review";
    private static final String SHARED_DEPARTMENT = "11330100002493622M";
    private static final String AUTHORISED_DEPARTMENT = "11330100002487959W";
    private static final String UNSIGNED_DEPARTMENT = "11330100002500148D";
    private static final String NOBODY = "someone-else";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What identifies a legal person's record, shown with every allowed record. */
    private static final Set<String> IDENTIFYING = Set.of("id", "category", "classification", "subjectKind", "uscc", "version",
            "status");
    /** Class A, public: every field the record holds (the list layout has no valid-from), personal data withheld. */
    private static final Shown PUBLIC = new Shown(with("partyName", "sourceDepartment", "documentNumber", "decisionDate",
            "validUntil", "publicationEnd", "authority", "authorityCode", "content", "legacyIdentifier", "ingestedAt", "attributes"),
            Set.of("MD_FRDB", "MD_LB", "MD_YJ", "MD_YZCD", "MD_SJLY", "MD_XDR_LB"));
    /** Class B tax ratings, as gateway-defaults.properties configures them. */
    private static final Shown TAX = new Shown(with("partyName", "documentNumber", "decisionDate", "validUntil", "authority",
            "content", "attributes"), Set.of("MD_LB", "MD_YJ"));
    /** Class C social-insurance payments, as gateway-defaults.properties configures them: every attribute. */
    private static final Shown SOCIAL_INSURANCE = new Shown(with("partyName", "sourceDepartment", "documentNumber", "decisionDate",
            "validUntil", "publicationEnd", "authority", "authorityCode", "content", "attributes"),
            Set.of("MD_FRDB", "MD_LB", "MD_YJ", "MD_YZCD", "MD_SJLY", "MD_XDR_LB", "MD_FR_ZJLX", "MD_FR_ZJHM", "BZ"));

    private static final Map<String, String> DATASET_OF_CLASS = Map.of("A", "redlist", "B", "tax", "C", "social-insurance");

    /** The states of the authorisation a query names. */
    enum State { NONE, UNKNOWN_ID, VALID, EXPIRED, NOT_YET_VALID, REVOKED, OTHER_GRANTEE, OTHER_PURPOSE, OTHER_DATASET, OTHER_SUBJECT }

    /** What a cell expects: the fields shown, or a denial's code. */
    private record Expected(Shown shown, String code) {
        static Expected allow(Shown shown) {
            return new Expected(shown, null);
        }

        static Expected deny(String code) {
            return new Expected(null, code);
        }

        @Override
        public String toString() {
            return shown != null ? "shows " + shown.fields().size() + " fields" : code;
        }
    }

    private record Shown(Set<String> fields, Set<String> attributes) {
    }

    /** A local caller of Hangzhou's API: its token (none for the public) and whom an authorisation must name for it. */
    private record Local(String name, String password, String grantee) {
    }

    @TempDir
    static Path root;
    static KeycloakServer keycloak;
    static DemoAlliance alliance;
    static final List<Node> nodes = new ArrayList<>();
    /** Authorisation ids registered at Hangzhou, by grantee and state. */
    static final Map<String, Map<State, String>> authorisations = new HashMap<>();
    static String hangzhou;

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.shared();
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null).withRealm(keycloak.issuer());
        Path partners = root.resolve("hangzhou/partner-configs");
        grant(partners.resolve("huzhou.yaml"), "classes: [A]");
        grant(partners.resolve("jiaxing.yaml"), "classes: [A, B, C]\n    sharing-agreements: {social-insurance: HZ-JX-2026-004}");
        grant(partners.resolve("zhejiang.yaml"), "classes: [A, B, C]");
        for (String id : List.of("hangzhou", "huzhou", "jiaxing", "zhejiang")) {
            nodes.add(alliance.start(DemoAlliance.member(id)));
        }
        hangzhou = alliance.apiUrl(DemoAlliance.member("hangzhou"));
        String operator = "Bearer " + keycloak.userToken("node-operator", "operator-pw");
        for (var dataset : DATASET_OF_CLASS.values()) {
            HttpResponse<String> imported = TestNodes.post(hangzhou + "/api/v1/imports?type=" + dataset, "text/csv",
                    oneRecordOfTheSubject(dataset).getBytes(StandardCharsets.UTF_8), operator);
            assertEquals(200, imported.statusCode(), imported.body());
            assertEquals(1, Json.mapper().readTree(imported.body()).path("stored").asInt(), imported.body());
        }
        for (String grantee : List.of(SHARED_DEPARTMENT, AUTHORISED_DEPARTMENT, UNSIGNED_DEPARTMENT, "zhejiang-platform", "huzhou",
                "jiaxing", "zhejiang", NOBODY)) {
            Map<State, String> ids = new EnumMap<>(State.class);
            Instant now = Instant.now();
            ids.put(State.VALID, register(operator, SUBJECT, grantee, PURPOSE, "tax", now.minusSeconds(3600), now.plusSeconds(7200)));
            ids.put(State.EXPIRED, register(operator, SUBJECT, grantee, PURPOSE, "tax", now.minusSeconds(7200), now.minusSeconds(3600)));
            ids.put(State.NOT_YET_VALID, register(operator, SUBJECT, grantee, PURPOSE, "tax", now.plusSeconds(3600),
                    now.plusSeconds(7200)));
            ids.put(State.REVOKED, register(operator, SUBJECT, grantee, PURPOSE, "tax", now.minusSeconds(3600), now.plusSeconds(7200)));
            ids.put(State.OTHER_PURPOSE, register(operator, SUBJECT, grantee, "marketing", "tax", now.minusSeconds(3600),
                    now.plusSeconds(7200)));
            ids.put(State.OTHER_DATASET, register(operator, SUBJECT, grantee, PURPOSE, "redlist", now.minusSeconds(3600),
                    now.plusSeconds(7200)));
            ids.put(State.OTHER_SUBJECT, register(operator, OTHER_SUBJECT, grantee, PURPOSE, "tax", now.minusSeconds(3600),
                    now.plusSeconds(7200)));
            HttpResponse<String> revoked = call("DELETE", hangzhou + "/api/v1/authorisations/" + ids.get(State.REVOKED), operator, null);
            assertEquals(200, revoked.statusCode(), revoked.body());
            authorisations.put(grantee, ids);
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    // ------------------------------------------------------------------ local callers, through the API

    static Stream<Arguments> localMatrix() {
        Local anonymous = new Local("anonymous", null, NOBODY);
        Local publicReader = new Local("public-reader", "public-reader-pw", NOBODY);
        Local authorisedReader = new Local("authorised-reader", "authorised-reader-pw", AUTHORISED_DEPARTMENT);
        Local departmentReader = new Local("department-reader", "department-reader-pw", SHARED_DEPARTMENT);
        Local unsignedDepartment = new Local("unsigned-department", "unsigned-department-pw", UNSIGNED_DEPARTMENT);
        Local province = new Local("zhejiang-platform", null, "zhejiang-platform");
        Local nodeOperator = new Local("node-operator", "operator-pw", NOBODY);
        Expected notGranted = Expected.deny("E_NOT_GRANTED");
        Expected needsAgreement = Expected.deny("E_SHARING_AGREEMENT_REQUIRED");
        Expected signIn = Expected.deny("E_TOKEN_MISSING");
        List<Arguments> cells = new ArrayList<>();
        // caller, class A, class C (an authorisation changes neither)
        Object[][] ac = {
                {anonymous, Expected.allow(PUBLIC), signIn},
                {publicReader, Expected.allow(PUBLIC), notGranted},
                {authorisedReader, Expected.allow(PUBLIC), notGranted},
                {departmentReader, Expected.allow(PUBLIC), Expected.allow(SOCIAL_INSURANCE)},
                {unsignedDepartment, Expected.allow(PUBLIC), needsAgreement},
                {province, Expected.allow(PUBLIC), notGranted},
                {nodeOperator, notGranted, notGranted},
        };
        for (Object[] row : ac) {
            Local caller = (Local) row[0];
            for (State state : List.of(State.NONE, State.VALID)) {
                cells.add(Arguments.of(caller.name(), caller, "A", state, row[1]));
                cells.add(Arguments.of(caller.name(), caller, "C", state, row[2]));
            }
        }
        for (State state : State.values()) {
            for (Local readsB : List.of(authorisedReader, province)) {
                cells.add(Arguments.of(readsB.name(), readsB, "B", state, classB(state, TAX)));
            }
            for (Local notB : List.of(publicReader, departmentReader, unsignedDepartment, nodeOperator)) {
                cells.add(Arguments.of(notB.name(), notB, "B", state, notGranted));
            }
            cells.add(Arguments.of("anonymous", anonymous, "B", state, signIn));
        }
        return cells.stream();
    }

    /** Class B for a caller granted it: only on a valid authorisation of this subject, to it, for this purpose and dataset. */
    private static Expected classB(State state, Shown shown) {
        return switch (state) {
            case NONE, UNKNOWN_ID -> Expected.deny("E_AUTHORIZATION_REQUIRED");
            case VALID -> Expected.allow(shown);
            case EXPIRED, NOT_YET_VALID -> Expected.deny("E_AUTHORIZATION_EXPIRED");
            case REVOKED -> Expected.deny("E_AUTHORIZATION_REVOKED");
            case OTHER_GRANTEE -> Expected.deny("E_AUTHORIZATION_GRANTEE");
            case OTHER_PURPOSE -> Expected.deny("E_AUTHORIZATION_PURPOSE");
            case OTHER_DATASET -> Expected.deny("E_AUTHORIZATION_DATASET");
            case OTHER_SUBJECT -> Expected.deny("E_AUTHORIZATION_SUBJECT");
        };
    }

    @ParameterizedTest(name = "{0} reads class {2} with authorisation {3}: {4}")
    @MethodSource("localMatrix")
    void localCaller(String name, Local caller, String classification, State state, Expected expected) throws Exception {
        String dataset = DATASET_OF_CLASS.get(classification);
        String query = hangzhou + "/api/v1/records?uscc=" + SUBJECT + "&datasets=" + dataset
                + "&purpose=" + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8) + authorisationParameter(caller.grantee(), state);
        String bearer = bearer(caller);
        assertCell(call("GET", query, bearer, null), expected, dataset);
        // the CSV export of the same query: the same door, decision and field filter
        HttpResponse<String> csv = call("GET", query + "&format=csv", bearer, null);
        if (expected.code() != null) {
            assertCell(csv, expected, dataset);
        } else {
            assertEquals(200, csv.statusCode(), csv.body());
            List<Map<String, String>> rows = csvRows(csv.body());
            assertEquals(1, rows.size(), csv.body());
            Set<String> labels = new TreeSet<>();
            expected.shown().fields().stream().filter(f -> !f.equals("attributes")).forEach(f -> labels.add(
                    FieldLabels.recordFields().get(f) + (f.equals("ingestedAt") ? CsvExport.ZONE_SHOWN : "")));
            expected.shown().attributes().forEach(code -> labels.add(FieldLabels.label(code)));
            assertEquals(labels, new TreeSet<>(rows.get(0).keySet()), dataset + ": the columns are the fields the JSON shows");
            assertEquals("矩阵测试科技有限公司", rows.get(0).get("主体名称"));
            assertFalse(csv.body().contains(REPRESENTATIVE_ID), "never in the clear");
        }
    }

    private static void assertCell(HttpResponse<String> answer, Expected expected, String dataset) throws Exception {
        if (expected.code() != null) {
            boolean signIn = expected.code().equals("E_TOKEN_MISSING");
            assertEquals(signIn ? 401 : 403, answer.statusCode(), answer.body());
            if (signIn) {
                assertEquals("Bearer", answer.headers().firstValue("WWW-Authenticate").orElse(""), "a challenge to sign in");
            }
            assertEquals(expected.code(), Json.mapper().readTree(answer.body()).path("code").asText(), answer.body());
            assertFalse(answer.body().contains("records") || answer.body().contains("矩阵测试"),
                    "no data at all, not even counts: " + answer.body());
        } else {
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode records = Json.mapper().readTree(answer.body()).path("records");
            assertEquals(1, records.size(), answer.body());
            assertShows(expected.shown(), records.get(0), dataset);
        }
    }

    @Test
    void withoutNamingDatasets_eachCallerGetsExactlyTheDatasetsItMayRead() throws Exception {
        Map<String, Set<String>> expected = Map.of(
                "anonymous", Set.of("redlist"),
                "authorised-reader", Set.of("redlist", "tax"),
                "department-reader", Set.of("redlist", "social-insurance"),
                "zhejiang-platform", Set.of("redlist", "tax"),
                "node-operator", Set.of());
        Map<String, Local> callers = Map.of(
                "anonymous", new Local("anonymous", null, NOBODY),
                "authorised-reader", new Local("authorised-reader", "authorised-reader-pw", AUTHORISED_DEPARTMENT),
                "department-reader", new Local("department-reader", "department-reader-pw", SHARED_DEPARTMENT),
                "zhejiang-platform", new Local("zhejiang-platform", null, "zhejiang-platform"),
                "node-operator", new Local("node-operator", "operator-pw", NOBODY));
        for (var e : callers.entrySet()) {
            HttpResponse<String> answer = call("GET", hangzhou + "/api/v1/records?uscc=" + SUBJECT + "&purpose="
                    + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8) + authorisationParameter(e.getValue().grantee(), State.VALID),
                    bearer(e.getValue()), null);
            assertEquals(200, answer.statusCode(), answer.body());
            Set<String> categories = new TreeSet<>();
            Json.mapper().readTree(answer.body()).path("records").forEach(r -> categories.add(r.path("category").asText()));
            assertEquals(new TreeSet<>(expected.get(e.getKey())), categories, e.getKey());
            Set<String> classes = new TreeSet<>();
            Json.mapper().readTree(answer.body()).path("records").forEach(r -> classes.add(r.path("classification").asText()));
            HttpResponse<String> csv = call("GET", answer.uri() + "&format=csv", bearer(e.getValue()), null);
            assertEquals(200, csv.statusCode(), csv.body());
            assertEquals(classes, new TreeSet<>(csvRows(csv.body()).stream().map(r -> r.get("公开类别").substring(0, 1)).toList()),
                    e.getKey() + ": the CSV holds the classes the JSON does");
        }
    }

    /**
     * The credit report (信用报告) shows what the records API shows, caller by caller: the same access decisions, no
     * class B record to a caller without class B; and, with the alliance's answers, only what this node lets its
     * caller read of what a partner answered.
     */
    @Test
    void theCreditReport_showsEachCallerExactlyTheDatasetsTheRecordsApiShows() throws Exception {
        Map<String, Set<String>> expected = Map.of(
                "public-reader", Set.of("redlist"),
                "authorised-reader", Set.of("redlist", "tax"),
                "department-reader", Set.of("redlist", "social-insurance"),
                "zhejiang-platform", Set.of("redlist", "tax"),
                "node-operator", Set.of());
        Map<String, Local> callers = Map.of(
                "public-reader", new Local("public-reader", "public-reader-pw", NOBODY),
                "authorised-reader", new Local("authorised-reader", "authorised-reader-pw", AUTHORISED_DEPARTMENT),
                "department-reader", new Local("department-reader", "department-reader-pw", SHARED_DEPARTMENT),
                "zhejiang-platform", new Local("zhejiang-platform", null, "zhejiang-platform"),
                "node-operator", new Local("node-operator", "operator-pw", NOBODY));
        for (var e : callers.entrySet()) {
            HttpResponse<String> answer = call("GET", hangzhou + "/api/v1/reports/" + SUBJECT + "?format=json&purpose="
                    + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8) + authorisationParameter(e.getValue().grantee(), State.VALID),
                    bearer(e.getValue()), null);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(new TreeSet<>(expected.get(e.getKey())), reported(answer.body()), e.getKey() + ": " + answer.body());
        }
        HttpResponse<String> anonymous = call("GET", hangzhou + "/api/v1/reports/" + SUBJECT + "?format=json&purpose=x", "", null);
        assertEquals(401, anonymous.statusCode(), "a report is issued to a signed-in reader only: " + anonymous.body());

        String asking = alliance.apiUrl(DemoAlliance.member("jiaxing"));
        String report = asking + "/api/v1/reports/" + SUBJECT + "?format=json&alliance=true&purpose="
                + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8) + authorisationParameter("jiaxing", State.VALID);
        HttpResponse<String> officer = call("GET", report, "Bearer " + keycloak.userToken("alliance-officer", "alliance-officer-pw"), null);
        assertEquals(200, officer.statusCode(), officer.body());
        assertEquals(Set.of("redlist", "tax", "social-insurance"), reported(officer.body()), "Hangzhou answered Jiaxing all three");
        HttpResponse<String> publicReader = call("GET", report, "Bearer " + keycloak.userToken("public-reader", "public-reader-pw"), null);
        assertEquals(200, publicReader.statusCode(), publicReader.body());
        assertEquals(Set.of("redlist"), reported(publicReader.body()), publicReader.body());
    }

    /** The datasets of the report's sections that hold an entry. */
    private static Set<String> reported(String report) throws Exception {
        Set<String> datasets = new TreeSet<>();
        for (JsonNode section : Json.mapper().readTree(report).path("sections")) {
            String code = section.path("code").asText();
            if (section.path("entries").size() > 0 && DATASET_OF_CLASS.containsValue(code)) {
                datasets.add(code);
            }
        }
        return datasets;
    }

    // ------------------------------------------------------------------ partner nodes, over real exchanges

    static Stream<Arguments> partnerMatrix() {
        Expected notGranted = Expected.deny("E_NOT_GRANTED");
        List<Arguments> cells = new ArrayList<>();
        Object[][] ac = {
                {"huzhou", Expected.allow(PUBLIC), notGranted},
                {"jiaxing", Expected.allow(PUBLIC), Expected.allow(SOCIAL_INSURANCE)},
                {"zhejiang", Expected.allow(PUBLIC), Expected.deny("E_SHARING_AGREEMENT_REQUIRED")},
        };
        for (Object[] row : ac) {
            String partner = (String) row[0];
            cells.add(Arguments.of(partner, "A", State.NONE, row[1]));
            cells.add(Arguments.of(partner, "C", State.NONE, row[2]));
            for (State state : State.values()) {
                cells.add(Arguments.of(partner, "B", state, partner.equals("huzhou") ? notGranted : classB(state, TAX)));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "partner {0} reads class {1} with authorisation {2}: {3}")
    @MethodSource("partnerMatrix")
    void partnerNode(String partner, String classification, State state, Expected expected) throws Exception {
        String dataset = DATASET_OF_CLASS.get(classification);
        String asking = alliance.apiUrl(DemoAlliance.member(partner));
        HttpResponse<String> answer = call("GET", asking + "/api/v1/alliance/subjects/" + SUBJECT + "/records?partners=hangzhou"
                + "&datasets=" + dataset + "&purpose=" + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8)
                + authorisationParameter(partner, state), "Bearer " + keycloak.userToken("alliance-officer", "alliance-officer-pw"), null);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode merged = Json.mapper().readTree(answer.body());
        JsonNode result = merged.path("partners").get(0);
        if (expected.code() != null) {
            assertEquals("DENIED", result.path("outcome").asText(), answer.body());
            assertEquals(expected.code(), result.path("code").asText(), answer.body());
            assertEquals(0, merged.path("records").size(), answer.body());
        } else {
            assertEquals("ANSWERED", result.path("outcome").asText(), answer.body());
            assertEquals(1, merged.path("records").size(), answer.body());
            assertShows(expected.shown(), merged.path("records").get(0).path("record"), dataset);
        }
    }

    @Test
    void whatAPartnerAnswered_reachesOnlyTheLocalCallersItsOwnNodeLetsReadIt() throws Exception {
        String asking = alliance.apiUrl(DemoAlliance.member("jiaxing"));
        String everything = asking + "/api/v1/alliance/subjects/" + SUBJECT + "/records?partners=hangzhou&purpose="
                + URLEncoder.encode(PURPOSE, StandardCharsets.UTF_8) + authorisationParameter("jiaxing", State.VALID);
        Map<String, Set<String>> seen = new HashMap<>();
        for (var caller : Map.of("alliance-officer", "Bearer " + keycloak.userToken("alliance-officer", "alliance-officer-pw"),
                "public-reader", "Bearer " + keycloak.userToken("public-reader", "public-reader-pw")).entrySet()) {
            HttpResponse<String> answer = call("GET", everything, caller.getValue(), null);
            assertEquals(200, answer.statusCode(), answer.body());
            Set<String> categories = new TreeSet<>();
            Json.mapper().readTree(answer.body()).path("records").forEach(r -> categories.add(r.path("record").path("category").asText()));
            seen.put(caller.getKey(), categories);
        }
        assertEquals(Set.of("redlist", "tax", "social-insurance"), seen.get("alliance-officer"), "Hangzhou answered Jiaxing all three");
        assertEquals(Set.of("redlist"), seen.get("public-reader"));
        assertEquals(401, call("GET", everything, "", null).statusCode(), "the anonymous public asks no partner (DoorsIT)");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertShows(Shown shown, JsonNode record, String dataset) {
        Set<String> fields = new TreeSet<>();
        record.fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(shown.fields()), fields, dataset + ": " + record);
        Set<String> attributes = new TreeSet<>();
        record.path("attributes").fieldNames().forEachRemaining(attributes::add);
        assertEquals(new TreeSet<>(shown.attributes()), attributes, dataset + ": " + record);
        assertEquals(SUBJECT, record.path("uscc").asText());
        assertEquals("矩阵测试科技有限公司", record.path("partyName").asText(), "a legal person's name is never masked");
        if (attributes.contains("MD_FR_ZJHM")) {
            assertEquals(ResidentIdNumber.mask(REPRESENTATIVE_ID), record.path("attributes").path("MD_FR_ZJHM").asText(),
                    "a resident ID number is masked at every level");
        }
        assertFalse(record.toString().contains(REPRESENTATIVE_ID), "never in the clear");
    }

    /** A CSV answer as a spreadsheet reads it: the BOM, then the header naming the columns. */
    private static List<Map<String, String>> csvRows(String body) throws Exception {
        assertTrue(body.startsWith("\uFEFF"), "UTF-8's BOM first");
        List<Map<String, String>> rows = new ArrayList<>();
        for (var record : org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(body.substring(1)))) {
            Map<String, String> row = new HashMap<>();
            record.toMap().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    row.put(k, v);
                }
            });
            rows.add(row);
        }
        return rows;
    }

    private static String authorisationParameter(String grantee, State state) {
        return switch (state) {
            case NONE -> "";
            case UNKNOWN_ID -> "&authorisation=" + UUID.randomUUID();
            case OTHER_GRANTEE -> "&authorisation=" + authorisations.get(grantee.equals(NOBODY) ? "huzhou" : NOBODY).get(State.VALID);
            default -> "&authorisation=" + authorisations.get(grantee).get(state);
        };
    }

    private static String bearer(Local caller) throws Exception {
        if (caller.name().equals("zhejiang-platform")) {
            return "Bearer " + keycloak.clientToken("zhejiang-platform", KeycloakServer.PROVINCE_SECRET);
        }
        return caller.password() == null ? "" : "Bearer " + keycloak.userToken(caller.name(), caller.password());
    }

    private static Set<String> with(String... fields) {
        Set<String> out = new java.util.HashSet<>(IDENTIFYING);
        out.addAll(List.of(fields));
        return Set.copyOf(out);
    }

    /** One record of the subject in the list layout, every column filled, the representative's ID number included. */
    private static String oneRecordOfTheSubject(String dataset) {
        return "MD_XDR_MC,MD_XDR_LB,MD_XDR_SHXYM,MD_FRDB,MD_FR_ZJLX,MD_FR_ZJHM,MD_WSH,MD_LB,MD_YJ,MD_NR,MD_YZCD,MD_JDRQ,MD_YXQ,"
                + "MD_GSJZQ,MD_RDJG,MD_RDJGDM,MD_SJLY,MD_SJLYDM,BZ\n"
                + "矩阵测试科技有限公司,法人及非法人组织," + SUBJECT + ",王小明,身份证," + REPRESENTATIVE_ID + ",杭矩阵〔2026〕" + dataset
                + "号,A级纳税人,《纳税信用管理办法》,评价为A级,一般,2026-04-01,2027-03-31,"
                // published until next year: a record past its publication end is served to nobody
                + java.time.LocalDate.now().plusYears(1) + ",国家税务总局杭州市税务局,"
                + AUTHORISED_DEPARTMENT + ",国家税务总局杭州市税务局," + AUTHORISED_DEPARTMENT + ",内部备注\n";
    }

    private static void grant(Path partnerFile, String grant) throws Exception {
        String yaml = Files.readString(partnerFile);
        assertTrue(yaml.contains("classes: [A]"), yaml);
        Files.writeString(partnerFile, yaml.replace("classes: [A]", grant));
    }

    private static String register(String bearer, String subject, String grantee, String purpose, String dataset, Instant from,
                                   Instant until) throws Exception {
        String body = """
                {"subject": "%s", "grantee": "%s", "purpose": "%s", "datasets": ["%s"], "validFrom": "%s", "validUntil": "%s",
                 "evidence": "杭信授〔2026〕5号 sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}""".formatted(subject, grantee, purpose, dataset, from, until);
        HttpResponse<String> registered = call("POST", hangzhou + "/api/v1/authorisations", bearer, body);
        assertEquals(201, registered.statusCode(), registered.body());
        return Json.mapper().readTree(registered.body()).path("id").asText();
    }

    private static HttpResponse<String> call(String method, String url, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null && !authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
