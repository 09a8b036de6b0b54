package credit.exchange.gateway.console;

import credit.exchange.gateway.HeadlessChromium;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.seed.SeedGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The officer console end to end in headless Chromium (Debian's chromium and chromedriver, driven
 * by Selenium): Hangzhou and Huzhou as real nodes, Hangzhou behind the real Keycloak. An officer
 * with the auditor role signs in at Keycloak's own login page, sees the chain verified with
 * Huzhou's countersignature, searches by subject (typed as a USCC), opens an event, reads the
 * charts and exports the search as an evidence bundle that then verifies offline; a person
 * without the role sees nothing and is recorded; what is typed or stored is data, never markup or
 * SQL. Screenshots are kept in {@code target/console-screenshots}.
 */
class OfficerConsoleIT {

    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path root;
    static KeycloakServer keycloak;
    static DemoAlliance alliance;
    static NodeConfig hangzhou;
    static String console;
    static String uscc;
    static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.shared();
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        hangzhou = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.auth.issuer", keycloak.issuer())
                .with("gateway.auth.introspection-secret", KeycloakServer.GATEWAY_SECRET);
        nodes.add(Node.start(hangzhou));
        nodes.add(alliance.start(DemoAlliance.member("huzhou")));
        console = TestNodes.baseUrl(hangzhou);
        keycloak.allowConsoleAt(console);
        Files.createDirectories(SCREENSHOTS);

        Path seed = root.resolve("seed");
        new SeedGenerator(11, LocalDate.now()).writeDataSet(20, seed);
        String huzhou = alliance.apiUrl(DemoAlliance.member("huzhou"));
        for (String api : List.of(console, huzhou)) {
            var imported = api.equals(console)
                    ? TestNodes.post(api + "/api/v1/imports?type=licensing", "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")),
                            "Bearer " + keycloak.userToken("node-operator", "operator-pw"))
                    : TestNodes.operatorPost(api + "/api/v1/imports?type=licensing", "text/csv", Files.readAllBytes(seed.resolve("licensing.csv")));
            assertEquals(200, imported.statusCode(), imported.body());
        }
        uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv")));
        // queries both ways (exchange events for the chart), and a refusal (a denial by reason)
        for (String api : List.of(console, huzhou)) {
            String url = api + "/api/v1/alliance/subjects/" + uscc + "/records?partners=" + (api.equals(console) ? "huzhou" : "hangzhou");
            var merged = api.equals(console) ? TestNodes.get(url, "Bearer " + keycloak.userToken("public-reader", "public-reader-pw"))
                    : TestNodes.readerGet(url);
            assertEquals(200, merged.statusCode(), merged.body());
        }
        String reader = keycloak.userToken("public-reader", "public-reader-pw");
        assertEquals(403, call("GET", "/api/v1/records?uscc=" + uscc + "&datasets=tax", reader).statusCode(), "class B is not granted to a public reader");
        TestNodes.await("Huzhou's countersignature of a Hangzhou checkpoint", Duration.ofSeconds(60),
                () -> !TestNodes.rows(hangzhou, "select partner from audit_countersignature").isEmpty());
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    void anOfficer_signsInAtTheRealm_searches_opensAnEvent_readsTheCharts_andExportsEvidenceThatVerifies() throws Exception {
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        WebDriver browser = browser(downloads);
        try {
            signIn(browser, "officer", "officer-pw");
            WebDriverWait wait = HeadlessChromium.await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
            wait.until(b -> !b.findElement(By.id("chain-status")).getAttribute("data-intact").isEmpty());
            assertEquals("officer", browser.findElement(By.id("user")).getText());
            assertEquals("true", browser.findElement(By.id("chain-status")).getAttribute("data-intact"),
                    browser.findElement(By.id("chain-status")).getText());
            wait.until(b -> b.findElement(By.id("chain-facts")).getText().contains("huzhou"));
            assertTrue(browser.findElement(By.id("chain-facts")).getText().matches("(?s).*Last verified checkpoint\\s+event \\d+ signed at.*"),
                    browser.findElement(By.id("chain-facts")).getText());
            assertFalse(rows(browser).isEmpty(), "the last day's events");
            assertTrue(browser.findElements(By.cssSelector("#chart-queries rect.bar[data-partner='huzhou']")).size() > 0,
                    "queries with Huzhou, per hour");
            assertTrue(browser.findElements(By.cssSelector("#chart-denials rect.bar[data-reason='E_NOT_GRANTED']")).size() > 0,
                    "the public reader's refused class B query, by reason: " + browser.findElement(By.id("chart-denials")).getText());
            screenshot(browser, "1-signed-in");

            // a subject typed as its USCC; the search shows only that subject's access decisions
            browser.findElement(By.id("subject")).sendKeys(uscc);
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("action"))).selectByVisibleText("access");
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> r.getText().contains("U:" + uscc)));
            for (WebElement row : rows(browser)) {
                assertTrue(row.getText().contains(" access "), row.getText());
            }
            screenshot(browser, "2-search-by-subject");

            rows(browser).get(0).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
            String detail = browser.findElement(By.id("detail-fields")).getText();
            assertTrue(detail.matches("(?s).*Hash \\(SM3\\)\\s+[0-9a-f]{64}.*"), detail);
            assertTrue(detail.contains("U:" + uscc), detail);
            screenshot(browser, "3-event-detail");

            browser.findElement(By.id("export")).click();
            Path bundle = awaitDownload(downloads);
            CliRun verified = CliRun.of("audit", "verify-bundle", bundle.toString(), "--trust", hangzhou.get("gateway.trust.anchors"));
            assertEquals(0, verified.exit(), verified.out());
            assertTrue(verified.out().matches("(?s).*verifies: events 1–\\d+ of hangzhou's audit trail \\(SM3\\), [1-9]\\d* selected.*"),
                    verified.out());

            browser.findElement(By.id("verify-now")).click();
            wait.until(b -> b.findElement(By.id("chain-status")).getText().startsWith("Intact"));
            screenshot(browser, "4-exported-and-verified");
        } finally {
            browser.quit();
        }
        assertTrue(TestNodes.rows(hangzhou, "select action || ' ' || actor || ' ' || coalesce(decision, '-') from audit_event"
                + " where actor_kind = 'PERSON'").containsAll(List.of("login officer ALLOW", "export officer -")),
                "the sign-in and the export are events of the trail");
    }

    @Test
    void aPersonWithoutTheAuditorRole_seesNothing_andTheRefusalIsRecorded() throws Exception {
        WebDriver browser = browser(Files.createDirectories(root.resolve("downloads-reader")));
        try {
            signIn(browser, "node-operator", "operator-pw");
            HeadlessChromium.await(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("denied")));
            assertTrue(browser.findElement(By.id("denied-message")).getText().contains("auditor role"));
            assertFalse(browser.findElement(By.id("console")).isDisplayed());
            assertTrue(rows(browser).isEmpty(), "no event reaches the page");
            screenshot(browser, "5-not-permitted");
        } finally {
            browser.quit();
        }
        assertTrue(TestNodes.rows(hangzhou, "select action || ' ' || actor || ' ' || reason || ' ' || coalesce(detail, '') from audit_event"
                + " where decision = 'DENY'").contains("door node-operator E_ROLE_REQUIRED POST audit-session"), "the refusal at the door");
        // the API itself: no events for a token without the role, a sign-in asked for without one
        HttpResponse<String> refused = call("GET", "/api/v1/audit/events", keycloak.userToken("public-reader", "public-reader-pw"));
        assertEquals(403, refused.statusCode());
        assertEquals("E_ROLE_REQUIRED", Json.mapper().readTree(refused.body()).path("code").asText());
        assertFalse(refused.body().contains("\"events\""), refused.body());
        assertEquals(401, call("GET", "/api/v1/audit/events", null).statusCode());
        assertEquals(401, call("GET", "/api/v1/audit/bundle", null).statusCode());
    }

    @Test
    void whatIsTypedOrStored_isData_neverSqlOrMarkup() throws Exception {
        String officer = keycloak.userToken("officer", "officer-pw");
        HttpResponse<String> quoted = call("GET", "/api/v1/audit/events?partner=" + enc("x' or '1'='1") + "&action="
                + enc("access; drop table audit_event; --"), officer);
        assertEquals(200, quoted.statusCode(), quoted.body());
        assertEquals(0, Json.mapper().readTree(quoted.body()).path("events").size());
        assertCode(call("GET", "/api/v1/audit/events?subject=" + enc("' OR 1=1 --"), officer), 400, "E_IDENTIFIER_INVALID");
        assertCode(call("GET", "/api/v1/audit/events?from=yesterday", officer), 400, "E_DATE_INVALID");
        assertCode(call("GET", "/api/v1/audit/events?decision=MAYBE", officer), 400, "E_FIELD_INVALID");
        assertCode(call("GET", "/api/v1/audit/events/abc", officer), 400, "E_FIELD_INVALID");
        assertCode(call("GET", "/api/v1/audit/events/999999999", officer), 404, "E_NOT_FOUND");
        JsonNode all = Json.mapper().readTree(call("GET", "/api/v1/audit/events?limit=5", officer).body());
        assertTrue(all.path("events").size() > 0 && all.path("events").size() <= 5 && all.hasNonNull("nextBefore"), all.toString());

        // an event whose text is markup (as a partner's or a department's text may be) is shown as text
        String markup = "<img src=x onerror=\"document.title='pwned'\"><script>window.pwned=1</script>";
        try (var store = credit.exchange.gateway.infra.CreditStoreConnection.open(hangzhou);
             var c = store.database().connection(); var ps = c.prepareStatement(
                     "insert into audit_event (actor_kind, actor, action, detail) values ('OPERATOR', 'operator', 'config', ?)")) {
            ps.setString(1, markup);
            ps.executeUpdate();
        }
        TestNodes.await("the event chained", Duration.ofSeconds(10),
                () -> !TestNodes.rows(hangzhou, "select seq from audit_event where detail like '<img%' and seq is not null").isEmpty());
        WebDriver browser = browser(Files.createDirectories(root.resolve("downloads-markup")));
        try {
            signIn(browser, "officer", "officer-pw");
            WebDriverWait wait = HeadlessChromium.await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("action"))).selectByVisibleText("config");
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> r.getText().contains("config")));
            rows(browser).get(0).click();
            wait.until(b -> b.findElement(By.id("detail-fields")).getText().contains(markup));
            assertTrue(browser.findElements(By.cssSelector("#detail img, #detail script")).isEmpty(), "rendered as text, not markup");
            assertFalse("pwned".equals(browser.getTitle()));
            assertEquals(Boolean.FALSE, ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.pwned === 1"));
            screenshot(browser, "6-markup-as-text");
        } finally {
            browser.quit();
        }
    }

    /** At Keycloak's login page, from the console's button; the console in English, whose labels these tests read. */
    private static void signIn(WebDriver browser, String user, String password) {
        browser.get(console + "/console/");
        HeadlessChromium.consoleLanguage(browser, "en");
        WebDriverWait wait = HeadlessChromium.await(browser);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        assertTrue(browser.getCurrentUrl().startsWith(keycloak.issuer()), "Keycloak's own login page: " + browser.getCurrentUrl());
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
    }

    private static List<WebElement> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#results tbody tr"));
    }

    /** A fresh browser downloading into {@code downloads}. */
    private static WebDriver browser(Path downloads) throws IOException {
        return HeadlessChromium.with().downloadsInto(downloads).start(root);
    }

    private static Path awaitDownload(Path downloads) throws Exception {
        Path[] found = new Path[1];
        TestNodes.await("the evidence bundle downloaded", Duration.ofSeconds(30), () -> {
            try (Stream<Path> files = Files.list(downloads)) {
                Optional<Path> zip = files.filter(f -> f.getFileName().toString().endsWith(".zip")).findFirst();
                zip.ifPresent(z -> found[0] = z);
                return zip.isPresent();
            } catch (IOException e) {
                return false;
            }
        });
        return found[0];
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCode(HttpResponse<String> answer, int status, String code) throws IOException {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, Json.mapper().readTree(answer.body()).path("code").asText(), answer.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
