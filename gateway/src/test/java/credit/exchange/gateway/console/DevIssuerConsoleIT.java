package credit.exchange.gateway.console;

import credit.exchange.gateway.HeadlessChromium;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The officer console as a newcomer meets it in the demo: Hangzhou and Huzhou configured as
 * {@code ./gatewayctl demo} configures them (no realm: each node runs its development issuer),
 * from a clean start, in headless Debian Chromium whose own time zone is New York's. The officer
 * opens the console at {@code localhost} (the node calls itself 127.0.0.1), clicks the console's
 * own "Sign in" button, signs in at the development issuer's form as an auditor and reaches a
 * search that shows events; then the console's details hold: one zone everywhere (UTC+08:00,
 * 24-hour, the inputs read in it), every partner in the chart's legend, an event's detail for any
 * row after paging, chain figures that agree, an exchange-type column, and a partner that stopped
 * countersigning flagged. A refused sign-in is a page with its code. The console is read in English here
 * (selected as its language switch does); ChineseConsoleIT reads it in its default, 简体中文. Screenshots are kept in
 * {@code target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevIssuerConsoleIT {

    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Partners whose queries the chart shows: more than fit a legend of fixed width. */
    private static final Set<String> QUERIED = Set.of("huzhou", "jiaxing", "shaoxing", "zhejiang", "national");
    private static final int PAGED_EVENTS = 260;

    @TempDir
    static Path root;
    static DemoAlliance alliance;
    static NodeConfig hangzhou;
    static Node huzhou;
    /** The console as a newcomer types it: localhost, while the node's own URL (and its issuer's) says 127.0.0.1. */
    static String console;
    static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        // the demo's configuration; only the grace before a partner counts as behind is shortened, for the last test
        hangzhou = alliance.config(DemoAlliance.member("hangzhou")).with("gateway.console.countersign-grace-seconds", "5");
        assertEquals("", hangzhou.get("gateway.auth.issuer"), "no realm, as in the demo");
        nodes.add(Node.start(hangzhou));
        huzhou = alliance.start(DemoAlliance.member("huzhou"));
        nodes.add(huzhou);
        console = "http://localhost:" + hangzhou.get("gateway.http.port");
        Files.createDirectories(SCREENSHOTS);
        try (var store = credit.exchange.gateway.infra.CreditStoreConnection.open(hangzhou); var c = store.database().connection()) {
            // queries exchanged with five partners (the chart), and enough events to page through
            try (var ps = c.prepareStatement("insert into audit_event (actor_kind, actor, partner, action, outcome, detail)"
                    + " values ('NODE', 'hangzhou', ?, 'exchange.out', 'ANSWERED', 'query')")) {
                for (String partner : QUERIED) {
                    ps.setString(1, partner);
                    ps.executeUpdate();
                }
            }
            try (var ps = c.prepareStatement("insert into audit_event (actor_kind, actor, action, detail)"
                    + " select 'OPERATOR', 'operator', 'config', 'console paging ' || n from generate_series(1, ?) n")) {
                ps.setInt(1, PAGED_EVENTS);
                ps.executeUpdate();
            }
        }
        TestNodes.await("the inserted events chained", Duration.ofSeconds(30), () -> TestNodes.rows(hangzhou,
                "select count(*) from audit_event where detail like 'console paging %' and seq is not null").contains("" + PAGED_EVENTS));
        TestNodes.await("Huzhou's countersignature of a Hangzhou checkpoint", Duration.ofSeconds(60),
                () -> !TestNodes.rows(hangzhou, "select partner from audit_countersignature where partner = 'huzhou'").isEmpty());
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    @Order(1)
    void anAuditor_signsInFromTheConsolesButton_atTheDevelopmentIssuersForm_andSearchesTheTrail() throws Exception {
        WebDriver browser = browser();
        try {
            signIn(browser, "officer", "auditor");
            WebDriverWait wait = await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
            assertEquals("officer", browser.findElement(By.id("user")).getText());
            assertFalse(browser.findElement(By.id("message")).isDisplayed(), browser.findElement(By.id("message")).getText());
            wait.until(b -> !rows(b).isEmpty());
            screenshot(browser, "dev-1-signed-in");

            new Select(browser.findElement(By.id("action"))).selectByVisibleText("login");
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> r.getText().contains(" login ")));
            assertTrue(rows(browser).stream().anyMatch(r -> r.getText().contains("PERSON officer")), "the sign-in, an event of the trail");
            screenshot(browser, "dev-2-searched");
        } finally {
            browser.quit();
        }
        assertTrue(TestNodes.rows(hangzhou, "select action || ' ' || actor || ' ' || decision from audit_event where actor_kind = 'PERSON'")
                .contains("login officer ALLOW"));
    }

    @Test
    @Order(2)
    void aRefusedSignIn_isAPageWithItsCode_andAParameterGivenTwiceWithAnotherValue_isRefused() throws Exception {
        String auth = console + "/dev-issuer/protocol/openid-connect/auth";
        String redirect = URLEncoder.encode(console + "/console/", StandardCharsets.UTF_8);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest("a-verifier-of-forty-three-characters-or-more-0123".getBytes(StandardCharsets.US_ASCII)));
        String query = "response_type=code&client_id=officer-console&state=s1&code_challenge=" + challenge
                + "&code_challenge_method=S256&redirect_uri=" + redirect;

        HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(auth + "?" + query)).GET());
        assertEquals(200, form.statusCode(), form.body());
        Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"").matcher(form.body());
        assertTrue(action.find(), form.body());
        assertEquals("/dev-issuer/protocol/openid-connect/auth", action.group(1), "the form posts its fields only, not the query again");

        // what a browser sent before: the query in the URL and every field again in the body, the same values
        HttpResponse<String> same = post(auth + "?" + query, query + "&username=officer&roles=auditor");
        assertEquals(302, same.statusCode(), same.body());
        HttpResponse<String> conflicting = post(auth + "?" + query, query.replace(redirect,
                URLEncoder.encode(console + "/console/other", StandardCharsets.UTF_8)) + "&username=officer&roles=auditor");
        assertRefusalPage(conflicting, 400, "E_FIELD_INVALID", "redirect_uri&#39; is given more than once with different values");
        HttpResponse<String> elsewhere = send(HttpRequest.newBuilder(URI.create(auth + "?" + query.replace(redirect,
                "https%3A%2F%2Fattacker.example%2Fconsole%2F"))).GET());
        assertRefusalPage(elsewhere, 400, "E_FIELD_INVALID", "console only");

        WebDriver browser = browser();
        try {
            browser.get(auth + "?" + query.replace("code_challenge_method=S256", "code_challenge_method=plain"));
            WebDriverWait wait = await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-code")));
            assertTrue(browser.findElement(By.id("error-code")).getText().startsWith("E_FIELD_INVALID"),
                    browser.findElement(By.tagName("body")).getText());
            screenshot(browser, "dev-3-refused-sign-in");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(3)
    void theConsolesTimes_areOneZone_24Hour_inTheTableAndTheFilters_whateverTheBrowsersZone() throws Exception {
        WebDriver browser = browser();
        try {
            signIn(browser, "officer", "auditor");
            WebDriverWait wait = await(browser);
            wait.until(b -> !rows(b).isEmpty());
            assertEquals("America/New_York", ((JavascriptExecutor) browser).executeScript(
                    "return Intl.DateTimeFormat().resolvedOptions().timeZone"), "the browser's own zone is another");
            assertTrue(browser.findElement(By.id("time-header")).getText().contains("UTC+08:00 Asia/Shanghai"),
                    browser.findElement(By.id("time-header")).getText());
            for (String input : List.of("from", "to")) {
                assertTrue(browser.findElement(By.id(input)).getAttribute("value").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"),
                        browser.findElement(By.id(input)).getAttribute("value"));
            }
            LocalDateTime to = LocalDateTime.parse(browser.findElement(By.id("to")).getAttribute("value"), WALL);
            assertTrue(Duration.between(LocalDateTime.now(SHANGHAI), to).abs().compareTo(Duration.ofMinutes(5)) < 0,
                    "the default end is a minute from now in Shanghai: " + to);

            // the table: each event's time is its instant in Shanghai, 24-hour
            WebElement first = rows(browser).get(0);
            String seq = first.getAttribute("data-seq");
            Instant at = Instant.parse(TestNodes.rows(hangzhou, "select to_char(at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    + " from audit_event where seq = " + seq).first());
            assertEquals(WALL.format(at.atZone(SHANGHAI)), cells(first).get(1).getText(), "event " + seq);

            // the filter is read in the same zone: up to an event's shown time, only events before it
            List<WebElement> shown = rows(browser);
            String until = cells(shown.get(shown.size() / 2)).get(1).getText();
            browser.findElement(By.id("to")).clear();
            browser.findElement(By.id("to")).sendKeys(until);
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && cells(rows(b).get(0)).get(1).getText().compareTo(until) < 0);
            for (WebElement row : rows(browser)) {
                assertTrue(cells(row).get(1).getText().compareTo(until) < 0, cells(row).get(1).getText() + " is before " + until);
            }
            screenshot(browser, "dev-4-one-zone");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(4)
    void theLegend_theChainFigures_theExchangeTypes_andAnyRowsDetail_afterPaging() throws Exception {
        WebDriver browser = browser();
        try {
            signIn(browser, "officer", "auditor");
            WebDriverWait wait = await(browser);
            wait.until(b -> !rows(b).isEmpty());

            // every partner of the chart in its legend
            wait.until(b -> !b.findElements(By.cssSelector("#chart-legend li")).isEmpty());
            Set<String> legend = new TreeSet<>();
            for (WebElement item : browser.findElements(By.cssSelector("#chart-legend li"))) {
                legend.add(item.getAttribute("data-partner"));
                assertTrue(item.isDisplayed() && !item.getText().isBlank(), item.getAttribute("data-partner"));
            }
            assertTrue(legend.containsAll(QUERIED), "every partner queried: " + legend);
            ((JavascriptExecutor) browser).executeScript("document.getElementById('charts-title').scrollIntoView()");
            screenshot(browser, "dev-5-chart-legend");

            // the chain's figures: the events recomputed end at the head it reports
            wait.until(b -> !b.findElement(By.id("chain-status")).getAttribute("data-intact").isEmpty());
            String status = browser.findElement(By.id("chain-status")).getText();
            String facts = browser.findElement(By.id("chain-facts")).getText();
            Matcher recomputed = Pattern.compile("Intact: events (\\d+)–(\\d+) recomputed \\((\\d+) events\\)").matcher(status);
            assertTrue(recomputed.find(), status);
            Matcher head = Pattern.compile("Head at verification\\s+event (\\d+)").matcher(facts);
            assertTrue(head.find(), facts);
            assertEquals(head.group(1), recomputed.group(2), status + " / " + facts);
            assertEquals(Long.parseLong(recomputed.group(2)) - Long.parseLong(recomputed.group(1)) + 1, Long.parseLong(recomputed.group(3)),
                    status);

            // exchanges show their type
            new Select(browser.findElement(By.id("action"))).selectByVisibleText("exchange.out");
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> r.getText().contains("exchange.out")));
            Set<String> types = new TreeSet<>();
            for (WebElement row : rows(browser)) {
                types.add(row.findElement(By.cssSelector("td.exchange-type")).getText());
            }
            assertFalse(types.contains(""), "every exchange with its type: " + types);
            browser.findElement(By.id("partner")).sendKeys("national");
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> r.getText().contains("national")));
            assertTrue(rows(browser).stream().anyMatch(r -> r.findElement(By.cssSelector("td.exchange-type")).getText().equals("query")),
                    "the query exchanged with the national platform");
            browser.findElement(By.id("partner")).clear();

            // paging: past the first page, any row opens its detail, in view
            new Select(browser.findElement(By.id("action"))).selectByVisibleText("config");
            browser.findElement(By.id("search")).click();
            wait.until(b -> rows(b).size() == 100 && rows(b).stream().allMatch(r -> r.getText().contains("config")));
            browser.findElement(By.id("older")).click();
            wait.until(b -> rows(b).size() >= 200);
            WebElement row = rows(browser).get(150);
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", row);
            String seq = row.getAttribute("data-seq");
            row.click();
            wait.until(b -> b.findElement(By.id("detail")).isDisplayed() && b.findElement(By.id("detail-seq")).getText().equals(seq));
            assertTrue(browser.findElement(By.id("detail-fields")).getText().contains("console paging"),
                    browser.findElement(By.id("detail-fields")).getText());
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("const r = document.getElementById('detail')"
                    + ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight && r.height > 0"), "the detail is in view");
            screenshot(browser, "dev-6-detail-after-paging");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(5)
    void aPartnerThatStoppedCountersigning_isFlagged() throws Exception {
        nodes.remove(huzhou);
        huzhou.close();
        String last = TestNodes.rows(hangzhou, "select coalesce(max(seq), 0) from audit_countersignature where partner = 'huzhou'").first();
        try (var store = credit.exchange.gateway.infra.CreditStoreConnection.open(hangzhou); var c = store.database().connection();
             var s = c.createStatement()) {
            s.executeUpdate("insert into audit_event (actor_kind, actor, action, detail) values ('OPERATOR', 'operator', 'config', 'after huzhou')");
        }
        // a checkpoint Huzhou did not countersign, older than the grace (5 s)
        TestNodes.await("a checkpoint left waiting for Huzhou beyond the grace", Duration.ofSeconds(60), () -> !TestNodes.rows(hangzhou,
                "select seq from audit_checkpoint where seq > " + last + " and at < now() - interval '6 seconds'").isEmpty());
        WebDriver browser = browser();
        try {
            signIn(browser, "officer", "auditor");
            WebDriverWait wait = await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
            wait.until(b -> {
                if (b.findElements(By.cssSelector("#countersigning li[data-partner='huzhou'][data-behind='true']")).isEmpty()) {
                    b.findElement(By.id("verify-now")).click();
                    return false;
                }
                return true;
            });
            String flagged = browser.findElement(By.cssSelector("#countersigning li[data-partner='huzhou']")).getText();
            assertTrue(flagged.matches("huzhou: BEHIND — no countersignature since \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},"
                    + " \\d+ checkpoints? waiting since .*"), flagged);
            WebElement alert = browser.findElement(By.id("countersign-alert"));
            assertTrue(alert.isDisplayed() && alert.getText().contains("huzhou"), alert.getText());
            screenshot(browser, "dev-7-partner-behind");
        } finally {
            browser.quit();
        }
    }

    /** From the console's own button to the development issuer's form, signed in as the user with the roles; the console in English. */
    private static void signIn(WebDriver browser, String user, String roles) {
        browser.get(console + "/console/");
        HeadlessChromium.consoleLanguage(browser, "en"); // these tests read the English labels; ChineseConsoleIT reads the default's
        WebDriverWait wait = await(browser);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(console + "/dev-issuer/protocol/openid-connect/auth?"),
                "the development issuer's form, where the console was opened: " + browser.getCurrentUrl());
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("Development only"));
        username.clear();
        username.sendKeys(user);
        WebElement roleField = browser.findElement(By.id("roles"));
        roleField.clear();
        roleField.sendKeys(roles);
        browser.findElement(By.id("sign-in")).click();
        try {
            wait.until(b -> !b.findElements(By.id("error-code")).isEmpty() || shown(b, "console") || shown(b, "message") || shown(b, "denied"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no console after the sign-in, at " + browser.getCurrentUrl() + ": "
                    + browser.findElement(By.tagName("body")).getText());
        }
        assertTrue(shown(browser, "console"), "signed in, at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText());
    }

    private static boolean shown(WebDriver browser, String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private static WebDriverWait await(WebDriver browser) {
        return HeadlessChromium.await(browser);
    }

    private static List<WebElement> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#results tbody tr"));
    }

    private static List<WebElement> cells(WebElement row) {
        return row.findElements(By.tagName("td"));
    }

    private static void assertRefusalPage(HttpResponse<String> answer, int status, String code, String says) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), "a page, not JSON: " + answer.headers());
        assertTrue(answer.body().contains("<code>" + code + "</code>") && answer.body().contains(says), answer.body());
    }

    private static HttpResponse<String> post(String url, String form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh browser in New York's time zone: the console shows its own zone whatever the browser's. */
    private static WebDriver browser() throws IOException {
        return HeadlessChromium.with().inTimeZone("America/New_York").arguments("--window-size=1400,1000", "--lang=en-US").start(root);
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
