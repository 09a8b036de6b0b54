package credit.exchange.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser of the console tests: Debian's chromium, headless, through Debian's chromedriver,
 * with a fresh profile each time; optionally downloading into a directory, or in another time zone
 * than the machine's (the console must show its own zone whatever the browser's).
 */
public final class HeadlessChromium {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    private Path downloads;
    private String timeZone;
    private final List<String> arguments = new ArrayList<>();

    private HeadlessChromium() {
    }

    public static HeadlessChromium with() {
        return new HeadlessChromium();
    }

    public HeadlessChromium downloadsInto(Path dir) {
        this.downloads = dir;
        return this;
    }

    public HeadlessChromium inTimeZone(String zone) {
        this.timeZone = zone;
        return this;
    }

    public HeadlessChromium arguments(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** A new browser whose profile lives under {@code scratch}. */
    public ChromeDriver start(Path scratch) throws IOException {
        if (!CHROMIUM.canExecute() || !DRIVER.canExecute()) {
            throw new IllegalStateException("the console test needs Debian's chromium and chromium-driver:"
                    + " apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium-profile"));
        options.addArguments(arguments.isEmpty() ? List.of("--window-size=1400,1000") : arguments);
        if (downloads != null) {
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
        }
        ChromeDriverService.Builder service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort();
        if (timeZone != null) {
            service.withEnvironment(Map.of("TZ", timeZone));
        }
        ChromeDriver chrome = new ChromeDriver(service.build(), options);
        if (downloads != null) {
            chrome.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        }
        return chrome;
    }

    /**
     * Chooses the console's language for this browser (as its language switch does: kept in the
     * page's localStorage, read by every console page) and loads the current console page again in it.
     * The console is in 简体中文 by default; a test that reads English labels says so.
     */
    public static void consoleLanguage(org.openqa.selenium.WebDriver browser, String language) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("localStorage.setItem('console.lang', arguments[0])", language);
        browser.navigate().refresh();
    }

    /**
     * A 30-second wait on the page that looks again when the page re-rendered an element it had
     * found (the console redraws its tables as answers arrive): a stale element is a race, not a failure.
     */
    public static org.openqa.selenium.support.ui.WebDriverWait await(org.openqa.selenium.WebDriver browser) {
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(browser,
                java.time.Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }
}
