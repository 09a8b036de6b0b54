package credit.exchange.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import credit.exchange.gateway.HeadlessChromium;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.DemoScenario;
import credit.exchange.routes.seed.SeedGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Chinese, as a Chinese officer and a Chinese records reader meet it: Hangzhou as
 * the demo configures it (its development issuer), licensing records seeded, headless Debian
 * Chromium with no language of its own chosen. Through the DOM: the audit console's headings,
 * table headers, buttons and a listed event are in 简体中文, and no English label of the message
 * catalogue is left visible; the switch to English and back, kept for the next visit; the records
 * view (a reader role, no auditor role) lists a seeded subject's records under FieldLabels'
 * Chinese labels with Chinese values, each alliance city's outcome when asked, and its CSV and
 * credit-report buttons call their URLs. The
 * Chinese text is drawn with a CJK font, not as boxes (see {@link #cjkIsDrawnWithACjkFont}).
 * Full-page screenshots go to {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChineseConsoleIT {

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Pattern CJK = Pattern.compile("\\p{IsHan}");
    /** Families of the console's font stack that hold Chinese (console.css). */
    private static final Set<String> CJK_FAMILIES = Set.of("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Microsoft YaHei UI",
            "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei");
    /** Label families whose English is the trail's own code (action, actor kind, decision, reachability): data too, not a leftover. */
    private static final List<String> CODE_LABELS = List.of("actor.", "action.", "decision.", "reach.");
    private static final String PURPOSE = "招投标审查";

    @TempDir
    static Path root;
    static NodeConfig hangzhou;
    static Node node;
    static String console;
    static String uscc;
    static Map<String, Map<String, String>> catalogue;

    @BeforeAll
    static void start() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        hangzhou = alliance.config(DemoAlliance.member("hangzhou"));
        node = Node.start(hangzhou);
        console = TestNodes.baseUrl(hangzhou);
        Files.createDirectories(SCREENSHOTS);
        Path seed = root.resolve("seed");
        new SeedGenerator(22, LocalDate.now()).writeDataSet(20, seed);
        var imported = TestNodes.operatorPost(console + "/api/v1/imports?type=licensing", "text/csv",
                Files.readAllBytes(seed.resolve("licensing.csv")));
        assertEquals(200, imported.statusCode(), imported.body());
        uscc = DemoScenario.firstEnterprise(Files.readString(seed.resolve("licensing.csv")));
        try (InputStream in = ChineseConsoleIT.class.getResourceAsStream("/console/messages.js")) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            catalogue = new ObjectMapper().readValue(script.substring(script.indexOf("/* BEGIN CATALOGUE */") + 21,
                    script.indexOf("/* END CATALOGUE */")), new TypeReference<LinkedHashMap<String, Map<String, String>>>() { });
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void theAuditConsole_isInSimplifiedChineseByDefault_withNoEnglishLabelLeft_andSwitchesToEnglishAndBack() throws Exception {
        ChromeDriver browser = browser();
        try {
            signIn(browser, "/console/", "officer", "auditor");
            WebDriverWait wait = HeadlessChromium.await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
            wait.until(b -> !rows(b).isEmpty() && !b.findElement(By.id("chain-status")).getAttribute("data-intact").isEmpty());
            assertEquals("zh-CN", script(browser, "return document.documentElement.lang"));
            assertEquals("审计控制台 — 信用信息交换网关", browser.getTitle());
            assertTrue(text(browser, "h1").startsWith("审计控制台"), text(browser, "h1"));
            assertEquals("链状态", browser.findElement(By.id("chain-title")).getText());
            assertEquals("搜索", browser.findElement(By.id("search-title")).getText());
            assertEquals("合作节点", browser.findElement(By.cssSelector("#partners-title span")).getText());
            assertTrue(browser.findElement(By.id("chain-status")).getText().startsWith("完整：已重新计算事件"),
                    browser.findElement(By.id("chain-status")).getText());
            for (String[] button : new String[][] {{"search", "搜索"}, {"export-csv", "导出 CSV"}, {"export", "导出证据包"},
                    {"verify-now", "立即验证"}, {"sign-out", "退出登录"}, {"partners-refresh", "刷新"}}) {
                assertEquals(button[1], browser.findElement(By.id(button[0])).getText(), button[0]);
            }
            List<String> headers = texts(browser, "#results thead th");
            assertEquals(List.of("序号", "时间（UTC+08:00 Asia/Shanghai）", "操作者", "合作节点", "操作", "交换类型", "主体", "公开类别", "决定",
                    "原因", "结果"), headers);
            for (String header : texts(browser, "#partners-table thead th")) {
                assertTrue(CJK.matcher(header).find(), header);
            }
            assertTrue(browser.findElement(By.id("subject")).getAttribute("placeholder").contains("统一社会信用代码"));
            assertTrue(browser.findElement(By.id("nav-records")).getText().equals("信用记录查询"));

            // a listed event: the officer's sign-in, its action, actor kind and decision in Chinese
            new Select(browser.findElement(By.id("action"))).selectByValue("login");
            assertEquals("登录", new Select(browser.findElement(By.id("action"))).getFirstSelectedOption().getText());
            browser.findElement(By.id("search")).click();
            wait.until(b -> !rows(b).isEmpty() && rows(b).stream().allMatch(r -> "login".equals(r.getAttribute("data-action"))));
            WebElement login = rows(browser).get(0);
            assertEquals("登录", login.findElement(By.cssSelector("td.action")).getText());
            assertEquals("人员 officer", login.findElement(By.cssSelector("td.actor")).getText());
            assertEquals("允许", login.findElement(By.cssSelector("td.allow")).getText());
            assertTrue(browser.findElement(By.id("count")).getText().matches("(共 \\d+ 条，)?已显示 \\d+ 条.*"),
                    browser.findElement(By.id("count")).getText());
            login.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
            assertTrue(browser.findElement(By.id("detail-fields")).getText().contains("哈希（SM3）"), browser.findElement(By.id("detail-fields")).getText());
            assertNoEnglishLabel(browser);
            cjkIsDrawnWithACjkFont(browser, "chain-title");
            screenshot(browser, "console-zh");

            // the CSV export asks for the search as it stands, format=csv, with the officer's token
            recordFetches(browser);
            browser.findElement(By.id("export-csv")).click();
            Map<String, String> csv = awaitFetch(browser, "/api/v1/audit/events?");
            Map<String, String> query = query(csv.get("url"));
            assertEquals("csv", query.get("format"));
            assertEquals("login", query.get("action"));
            assertTrue(query.containsKey("from") && query.containsKey("to"), csv.get("url"));
            assertTrue(csv.get("authorization").startsWith("Bearer "), csv.toString());

            // English, and back: the page relabels itself, what it built from data included, and keeps the choice
            new Select(browser.findElement(By.id("lang"))).selectByValue("en");
            wait.until(b -> b.findElement(By.id("chain-title")).getText().equals("Chain status"));
            assertEquals("en", script(browser, "return document.documentElement.lang"));
            assertTrue(text(browser, "h1").startsWith("Audit console"), text(browser, "h1"));
            assertEquals("Export CSV", browser.findElement(By.id("export-csv")).getText());
            assertEquals("login", rows(browser).get(0).findElement(By.cssSelector("td.action")).getText());
            assertTrue(browser.findElement(By.id("chain-status")).getText().startsWith("Intact: events"));
            assertTrue(browser.findElement(By.id("detail-fields")).getText().contains("Hash (SM3)"));
            screenshot(browser, "console-en");
            new Select(browser.findElement(By.id("lang"))).selectByValue("zh-CN");
            wait.until(b -> b.findElement(By.id("chain-title")).getText().equals("链状态"));
            assertEquals("登录", rows(browser).get(0).findElement(By.cssSelector("td.action")).getText());
            assertEquals("zh-CN", script(browser, "return localStorage.getItem('console.lang')"));
            new Select(browser.findElement(By.id("lang"))).selectByValue("en");
            browser.get(console + "/console/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertEquals("Sign in", browser.findElement(By.id("sign-in")).getText(), "the choice is kept for the next visit");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void theRecordsView_listsASubjectsRecordsUnderChineseLabels_forAReader_withItsCsvAndReportButtons() throws Exception {
        ChromeDriver browser = browser();
        try {
            signIn(browser, "/console/records.html", "reader", "reader-public");
            WebDriverWait wait = HeadlessChromium.await(browser);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("records")));
            assertEquals("reader", browser.findElement(By.id("user")).getText());
            assertTrue(text(browser, "h1").startsWith("信用记录查询"), text(browser, "h1"));
            assertEquals(List.of("统一社会信用代码", "查询用途", "授权编号（可选）", "同时查询联盟城市"), texts(browser, "#records-form label > span"));
            assertEquals("审计控制台", browser.findElement(By.id("nav-console")).getText());
            assertEquals("信用报告 (PDF)", browser.findElement(By.id("report")).getText());
            assertEquals("导出 CSV", browser.findElement(By.id("records-csv")).getText());

            browser.findElement(By.id("uscc")).sendKeys(uscc);
            browser.findElement(By.id("purpose")).sendKeys(PURPOSE);
            browser.findElement(By.id("query")).click();
            wait.until(b -> !b.findElements(By.cssSelector("#records-table tbody tr")).isEmpty());
            assertFalse(browser.findElement(By.id("message")).isDisplayed(), browser.findElement(By.id("message")).getText());
            List<String> headers = texts(browser, "#records-table thead th");
            assertEquals(List.of("来源", "信用信息类别", "公开类别", "主体名称", "统一社会信用代码", "决定文书号", "决定日期", "有效期自", "有效期至", "状态",
                    "决定机关", "内容", "数据来源单位", "版本"), headers);
            WebElement first = browser.findElement(By.cssSelector("#records-table tbody tr"));
            assertEquals("本节点", first.findElement(By.cssSelector("td.source")).getText());
            assertEquals("行政许可", first.findElement(By.cssSelector("td.category")).getText());
            assertEquals("A 公开", first.findElement(By.cssSelector("td.classification")).getText());
            assertEquals("有效", first.findElement(By.cssSelector("td.status")).getText());
            assertEquals(uscc, first.findElement(By.cssSelector("td.uscc")).getText());
            assertTrue(browser.findElement(By.id("records-page")).getText().startsWith("第 1 页"), browser.findElement(By.id("records-page")).getText());
            String count = browser.findElement(By.id("records-count")).getText();
            assertTrue(count.isEmpty() || count.matches("共 \\d+ 条"), count);
            screenshot(browser, "records-zh-table");
            first.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
            String detail = browser.findElement(By.id("detail-fields")).getText();
            assertTrue(detail.contains("入库时间") && detail.contains("UTC+08:00 Asia/Shanghai") && detail.contains("许可类别"), detail);
            assertNoEnglishLabel(browser);
            cjkIsDrawnWithACjkFont(browser, "results-title");
            screenshot(browser, "records-zh");

            // the CSV export and the credit report: their URLs, with the reader's token
            recordFetches(browser);
            browser.findElement(By.id("records-csv")).click();
            Map<String, String> csv = awaitFetch(browser, "/api/v1/records?");
            assertEquals(Map.of("uscc", uscc, "purpose", PURPOSE, "format", "csv"), query(csv.get("url")));
            assertTrue(csv.get("authorization").startsWith("Bearer "), csv.toString());
            wait.until(b -> shown(b, "message")); // saved, or refused with its code (the CSV answer is another part of the node's)
            browser.findElement(By.id("report")).click();
            Map<String, String> report = awaitFetch(browser, "/api/v1/reports/");
            assertTrue(report.get("url").startsWith(console + "/api/v1/reports/" + uscc + "?"), report.get("url"));
            assertEquals(Map.of("purpose", PURPOSE, "alliance", "false"), query(report.get("url")));
            assertEquals("application/pdf", report.get("accept"));
            assertTrue(report.get("authorization").startsWith("Bearer "), report.toString());
            // the report's answer: the signed PDF the node issued, saved under its report number
            wait.until(b -> b.findElement(By.id("message")).isDisplayed());
            String said = browser.findElement(By.id("message")).getText();
            assertTrue(said.matches("已下载：credit-report-hangzhou-\\d{8}-\\d{6}\\.pdf"), said);
            screenshot(browser, "records-report");

            // with the alliance cities: each city's outcome is listed (here none is running: each failed, with its code)
            browser.findElement(By.id("alliance")).click();
            browser.findElement(By.id("query")).click();
            wait.until(b -> !b.findElements(By.cssSelector("#records-partners li")).isEmpty());
            for (WebElement city : browser.findElements(By.cssSelector("#records-partners li"))) {
                assertTrue(city.getText().matches("\\S+：(失败|超时|已拒绝)，0 条记录 — .*E_[A-Z_]+[：:].*"), city.getText());
            }
            assertFalse(browser.findElements(By.cssSelector("#records-table tbody tr td.source")).isEmpty(), "this node's records still shown");
            screenshot(browser, "records-alliance");
        } finally {
            browser.quit();
        }
    }

    /** From the page's own button to the development issuer's form, signed in as the user with the roles. */
    private static void signIn(WebDriver browser, String page, String user, String roles) {
        browser.get(console + page);
        WebDriverWait wait = HeadlessChromium.await(browser);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        username.clear();
        username.sendKeys(user);
        WebElement roleField = browser.findElement(By.id("roles"));
        roleField.clear();
        roleField.sendKeys(roles);
        browser.findElement(By.id("sign-in")).click();
        wait.until(b -> b.getCurrentUrl().startsWith(console + page) && (shown(b, "who") || shown(b, "message") || shown(b, "denied")));
        assertTrue(shown(browser, "who"), "signed in, at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText());
    }

    private static boolean shown(WebDriver browser, String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /**
     * No English label of the catalogue is visible: for every message whose English differs from
     * its Chinese, no literal part of the English (between its parameters, four characters or more)
     * is in the page's visible text. Labels whose English is the trail's own code are left out: the
     * same words are data.
     */
    private static void assertNoEnglishLabel(WebDriver browser) {
        String visible = (String) script(browser, "return document.body.innerText");
        Map<String, String> zh = catalogue.get("zh-CN");
        List<String> left = new ArrayList<>();
        catalogue.get("en").forEach((key, english) -> {
            if (english.equals(zh.get(key)) || CODE_LABELS.stream().anyMatch(key::startsWith)) {
                return;
            }
            for (String part : english.split("\\{[A-Za-z]+}")) {
                String words = part.strip();
                if (words.length() >= 4 && words.matches(".*[A-Za-z].*") && visible.contains(words)) {
                    left.add(key + ": " + words);
                }
            }
        });
        assertTrue(left.isEmpty(), "English left visible: " + left + "\n" + visible);
    }

    /**
     * The Chinese of an element is drawn with a CJK font, not as boxes (豆腐块). Two checks that do
     * not depend on the machine's fonts being named in a particular way: Chromium reports the
     * platform font it drew the element's text with (DevTools CSS.getPlatformFontsForNode), which
     * must be a CJK family of the console's font stack; and, drawn on a canvas in the page's own
     * font, two different Chinese characters give different pixels, each different from an
     * unassigned code point (a missing glyph is drawn as the same box for every character).
     */
    private static void cjkIsDrawnWithACjkFont(ChromeDriver browser, String id) {
        browser.executeCdpCommand("DOM.enable", Map.of());
        browser.executeCdpCommand("CSS.enable", Map.of());
        Map<String, Object> document = browser.executeCdpCommand("DOM.getDocument", Map.of("depth", 0));
        Object rootId = ((Map<?, ?>) document.get("root")).get("nodeId");
        Object nodeId = browser.executeCdpCommand("DOM.querySelector", Map.of("nodeId", rootId, "selector", "#" + id)).get("nodeId");
        List<?> fonts = (List<?>) browser.executeCdpCommand("CSS.getPlatformFontsForNode", Map.of("nodeId", nodeId)).get("fonts");
        List<String> families = fonts.stream().map(f -> String.valueOf(((Map<?, ?>) f).get("familyName"))).toList();
        assertTrue(families.stream().anyMatch(CJK_FAMILIES::contains), "#" + id + " drawn with " + families + ", none a CJK font of the stack");

        @SuppressWarnings("unchecked")
        List<String> drawn = (List<String>) script(browser, "const font = getComputedStyle(document.body).fontFamily;"
                + "return ['审', '计', '\\uE000'].map((ch) => { const c = document.createElement('canvas'); c.width = 48; c.height = 48;"
                + " const g = c.getContext('2d'); g.font = '36px ' + font; g.fillText(ch, 4, 40); return c.toDataURL(); });");
        assertNotEquals(drawn.get(0), drawn.get(1), "two Chinese characters drawn alike: boxes");
        assertNotEquals(drawn.get(0), drawn.get(2), "a Chinese character drawn as a missing glyph");
        assertNotEquals(drawn.get(1), drawn.get(2), "a Chinese character drawn as a missing glyph");
    }

    /** Records the URL and headers of every fetch the page makes from now on. */
    private static void recordFetches(WebDriver browser) {
        script(browser, "window.fetched = []; const original = window.fetch; window.fetch = (url, options) => {"
                + " const headers = (options && options.headers) || {};"
                + " window.fetched.push({ url: new URL(String(url), location.origin).toString(),"
                + " authorization: headers.Authorization || '', accept: headers.Accept || '' });"
                + " return original(url, options); };");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> awaitFetch(WebDriver browser, String path) {
        return HeadlessChromium.await(browser).until(b -> {
            List<Map<String, String>> fetched = (List<Map<String, String>>) script(b, "return window.fetched");
            return fetched.stream().filter(f -> f.get("url").startsWith(console + path)).findFirst().orElse(null);
        });
    }

    private static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** A full-page screenshot (DevTools, beyond the window), checked to be a PNG of a page's size. */
    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, png);
        byte[] kept = Files.readAllBytes(file);
        assertTrue(kept.length > 20_000, name + ".png is " + kept.length + " bytes");
        assertEquals(0x89504E470D0A1A0AL, ByteBuffer.wrap(kept, 0, 8).getLong(), name + ".png is a PNG");
        int width = ByteBuffer.wrap(kept, 16, 4).getInt();
        int height = ByteBuffer.wrap(kept, 20, 4).getInt();
        assertTrue(width >= 1000 && height >= 700, name + ".png is " + width + "x" + height);
    }

    private static ChromeDriver browser() throws IOException {
        return HeadlessChromium.with().downloadsInto(Files.createDirectories(root.resolve("downloads"))).arguments("--window-size=1400,1000")
                .start(root);
    }

    private static Object script(WebDriver browser, String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static String text(WebDriver browser, String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static List<String> texts(WebDriver browser, String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static List<WebElement> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#results tbody tr"));
    }
}
