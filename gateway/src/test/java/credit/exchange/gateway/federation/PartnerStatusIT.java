package credit.exchange.gateway.federation;

import static credit.exchange.gateway.federation.AllianceApi.quick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.gateway.HeadlessChromium;
import credit.exchange.gateway.KeycloakServer;
import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.cli.CliRun;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.routes.api.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
 * The partners' status on real nodes (issue 19): Hangzhou (behind the real Keycloak) with its
 * partners Huzhou and Jiaxing running and Shaoxing disabled. Queries go both ways; then Jiaxing
 * stops and Hangzhou black-lists an enterprise, whose joint punishment notice Huzhou answers
 * while Jiaxing's waits. Hangzhou's status — through the API, {@code gatewayctl partners status}
 * and the console in headless Chromium — shows Jiaxing first, unreachable, with its failure, the
 * pending notice and its last answer from before it stopped; Huzhou reachable with its last
 * exchanges each way; Shaoxing disabled and never tried.
 */
class PartnerStatusIT {

    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final String USCC = "91330100716105852F";

    @TempDir
    Path root;

    @Test
    void aStoppedPartner_isShownUnreachableFirst_withItsFailureAndPendingNotice_inTheApiTheCliAndTheConsole() throws Exception {
        KeycloakServer keycloak = KeycloakServer.shared();
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        // Hangzhou's partners: Huzhou and Jiaxing, and Shaoxing disabled (the province and the nation are not part of this test)
        Path partnerFiles = root.resolve("hangzhou").resolve("partner-configs");
        Files.delete(partnerFiles.resolve("zhejiang.yaml"));
        Files.delete(partnerFiles.resolve("national.yaml"));
        Path shaoxing = partnerFiles.resolve("shaoxing.yaml");
        Files.writeString(shaoxing, Files.readString(shaoxing).replace("enabled: true", "enabled: false"));
        NodeConfig hangzhou = quick(alliance.config(DemoAlliance.member("hangzhou"))).with("gateway.auth.issuer", keycloak.issuer())
                .with("gateway.auth.introspection-secret", KeycloakServer.GATEWAY_SECRET);
        String hz = TestNodes.baseUrl(hangzhou);
        String hu = alliance.apiUrl(DemoAlliance.member("huzhou"));
        String jx = alliance.apiUrl(DemoAlliance.member("jiaxing"));
        List<Node> nodes = new ArrayList<>();
        Node jiaxing = null;
        try {
            nodes.add(Node.start(hangzhou));
            nodes.add(Node.start(quick(alliance.config(DemoAlliance.member("huzhou")))));
            jiaxing = Node.start(quick(alliance.config(DemoAlliance.member("jiaxing"))));
            String operator = "Bearer " + keycloak.userToken("node-operator", "operator-pw");
            String reader = "Bearer " + keycloak.userToken("public-reader", "public-reader-pw");

            // queries both ways: Hangzhou asks Huzhou and Jiaxing; each of them asks Hangzhou
            HttpResponse<String> asked = TestNodes.get(hz + "/api/v1/alliance/subjects/" + USCC + "/records?partners=huzhou,jiaxing", reader);
            assertEquals(200, asked.statusCode(), asked.body());
            for (String api : List.of(hu, jx)) {
                HttpResponse<String> r = TestNodes.readerGet(api + "/api/v1/alliance/subjects/" + USCC + "/records?partners=hangzhou");
                assertEquals(200, r.statusCode(), r.body());
            }
            TestNodes.await("Hangzhou's status: Huzhou and Jiaxing reachable, each with an exchange received", Duration.ofSeconds(60), () -> {
                JsonNode s = status(hz, operator);
                return List.of("huzhou", "jiaxing").stream().allMatch(p -> "REACHABLE".equals(partner(s, p).path("reachable").asText())
                        && partner(s, p).has("lastReceived"));
            });

            // Jiaxing stops; Hangzhou's joint punishment notice then reaches Huzhou only
            jiaxing.close();
            jiaxing = null;
            HttpResponse<String> listed = AllianceApi.call("POST", hz + "/api/v1/lists", operator.substring(7), """
                    {"listType": "BLACK", "uscc": "%s", "partyName": "杭州演示失信企业有限公司", "legalBasis": "《失信行为纠正后的信用信息修复管理办法》",
                     "authority": "杭州市市场监督管理局", "documentNumber": "杭市监〔2026〕12号", "listedOn": "%s", "severity": "SERIOUS"}"""
                    .formatted(USCC, LocalDate.now()));
            assertEquals(201, listed.statusCode(), listed.body());
            HttpResponse<String> issued = AllianceApi.call("POST", hz + "/api/v1/sanctions", operator.substring(7),
                    "{\"entryId\": \"%s\", \"measures\": [\"stricter inspection\"], \"respondWithin\": \"PT1H\"}"
                            .formatted(Json.mapper().readTree(listed.body()).path("id").asText()));
            assertEquals(201, issued.statusCode(), issued.body());
            TestNodes.await("Jiaxing unreachable with the notice pending; Huzhou answered it", Duration.ofSeconds(60), () -> {
                JsonNode s = status(hz, operator);
                JsonNode jiaxingLine = partner(s, "jiaxing");
                return "UNREACHABLE".equals(jiaxingLine.path("reachable").asText()) && jiaxingLine.path("pending").path("notices").asInt() == 1
                        && jiaxingLine.path("pending").has("noticesLastError")
                        && "REACHABLE".equals(partner(s, "huzhou").path("reachable").asText())
                        && partner(s, "huzhou").path("pending").path("notices").asInt() == 0;
            });

            JsonNode status = status(hz, operator);
            assertEquals("hangzhou", status.path("node").asText());
            assertEquals(List.of("jiaxing", "huzhou", "shaoxing"), ids(status), "unreachable first, disabled last: " + status);
            JsonNode stopped = partner(status, "jiaxing");
            assertTrue(stopped.path("enabled").asBoolean());
            assertEquals("E_PARTNER_UNREACHABLE", stopped.path("lastSent").path("outcome").asText(), stopped.toString());
            assertEquals("E_PARTNER_UNREACHABLE", stopped.path("failures").path("lastError").asText(), stopped.toString());
            assertTrue(stopped.path("failures").path("lastHour").asInt() >= 1, stopped.toString());
            assertTrue(stopped.has("lastAnswered"), "its last answer, from before it stopped: " + stopped);
            assertEquals("ANSWERED", stopped.path("lastReceived").path("outcome").asText(), stopped.toString());
            assertTrue(stopped.path("pending").has("noticesSince"), stopped.toString());
            assertEquals("E_PARTNER_UNREACHABLE", stopped.path("pending").path("noticesLastError").asText(), stopped.toString());
            JsonNode up = partner(status, "huzhou");
            assertEquals("ANSWERED", up.path("lastSent").path("outcome").asText(), up.toString());
            assertEquals("ANSWERED", up.path("lastReceived").path("outcome").asText(), up.toString());
            assertTrue(up.path("lastReceived").path("at").asText().matches("\\d{4}-.*Z"), up.toString());
            if (up.path("failures").has("lastError")) { // tried before Huzhou was up: answered since
                assertTrue(up.path("failures").path("lastErrorAt").asText().compareTo(up.path("lastAnswered").asText()) < 0, up.toString());
            }
            assertEquals(0, up.path("pending").path("outbox").asInt());
            assertTrue(up.path("countersignatures").has("awaiting"), up.toString());
            JsonNode disabled = partner(status, "shaoxing");
            assertFalse(disabled.path("enabled").asBoolean());
            assertEquals("UNKNOWN", disabled.path("reachable").asText(), "never tried: " + disabled);

            // who may read it: operators and auditors
            assertEquals(200, TestNodes.get(hz + "/api/v1/partners/status", "Bearer " + keycloak.userToken("officer", "officer-pw")).statusCode());
            AllianceApi.assertCode(TestNodes.get(hz + "/api/v1/partners/status", reader), 403, "E_ROLE_REQUIRED");
            AllianceApi.assertCode(TestNodes.get(hz + "/api/v1/partners/status", (String) null), 401, "E_TOKEN_MISSING");
            assertTrue(TestNodes.get(hz + "/openapi.json").body().contains("/api/v1/partners/status"), "in the OpenAPI contract");

            // the CLI on the node's host says the same
            Path file = root.resolve("hangzhou.properties");
            hangzhou.save(file);
            CliRun table = CliRun.of("partners", "status", "--config", file.toString());
            assertEquals(1, table.exit(), "exit 1 while an enabled partner is unreachable: " + table.out() + table.err());
            Files.createDirectories(SCREENSHOTS);
            Files.writeString(SCREENSHOTS.resolve("7-partners-status-cli.txt"), table.out()); // beside the console's screenshot, for reviewers
            List<String> lines = table.out().lines().filter(l -> l.matches("(jiaxing|huzhou|shaoxing) .*")).toList();
            assertEquals(3, lines.size(), table.out());
            assertTrue(lines.get(0).matches("jiaxing\\s+yes\\s+UNREACHABLE\\s+.*E_PARTNER_UNREACHABLE.*"), table.out());
            assertTrue(lines.get(1).matches("huzhou\\s+yes\\s+REACHABLE\\s+\\S+ \\w+ ANSWERED .*"), table.out());
            assertTrue(lines.get(2).matches("shaoxing\\s+no\\s+UNKNOWN\\s+-\\s.*"), table.out());
            CliRun json = CliRun.of("partners", "status", "--config", file.toString(), "--json");
            assertEquals(1, json.exit(), json.err());
            JsonNode fromCli = Json.mapper().readTree(json.out());
            assertEquals(ids(status), ids(fromCli));
            assertEquals("UNREACHABLE", partner(fromCli, "jiaxing").path("reachable").asText());
            assertEquals(1, partner(fromCli, "jiaxing").path("pending").path("notices").asInt());

            // without a node's data it creates none: a coded error naming the directory
            Path nowhere = root.resolve("no-node-here");
            CliRun none = CliRun.of("partners", "status", "--data-dir", nowhere.toString());
            assertEquals(2, none.exit(), none.out());
            assertTrue(none.err().startsWith("error E_NOT_FOUND: ") && none.err().contains(nowhere.resolve("hangzhou").toString()), none.err());
            assertFalse(Files.exists(nowhere), "no store made by a read");

            // the console shows the stopped partner first, flagged
            keycloak.allowConsoleAt(hz);
            WebDriver browser = browser();
            try {
                browser.get(hz + "/console/");
                WebDriverWait wait = HeadlessChromium.await(browser);
                wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("officer");
                browser.findElement(By.id("password")).sendKeys("officer-pw");
                browser.findElement(By.id("kc-login")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
                wait.until(b -> b.findElements(By.cssSelector("#partners-table tbody tr")).size() == 3);
                List<WebElement> rows = browser.findElements(By.cssSelector("#partners-table tbody tr"));
                assertEquals("jiaxing", rows.get(0).getAttribute("data-partner"));
                assertEquals("unreachable", rows.get(0).getAttribute("class"), "flagged");
                // the console in its default language, 简体中文
                assertTrue(rows.get(0).getText().contains("⚠ 不可达") && rows.get(0).getText().contains("E_PARTNER_UNREACHABLE"),
                        rows.get(0).getText());
                assertEquals("REACHABLE", rows.get(1).getAttribute("data-reachable"));
                assertEquals("", rows.get(1).getAttribute("class"));
                assertEquals("disabled", rows.get(2).getAttribute("class"));
                WebElement summary = browser.findElement(By.id("partners-summary"));
                assertEquals("3 个合作节点中 1 个不可达：jiaxing", summary.getText());
                assertTrue(summary.getCssValue("color").contains("179, 38, 30"), "the summary in the console's alarm colour: "
                        + summary.getCssValue("color"));
                Files.write(SCREENSHOTS.resolve("7-partners-status.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        } finally {
            if (jiaxing != null) {
                jiaxing.close();
            }
            nodes.forEach(Node::close);
        }
    }

    private static JsonNode status(String api, String bearer) {
        try {
            HttpResponse<String> r = TestNodes.get(api + "/api/v1/partners/status", bearer);
            assertEquals(200, r.statusCode(), r.body());
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode partner(JsonNode status, String id) {
        for (JsonNode p : status.path("partners")) {
            if (p.path("partner").asText().equals(id)) {
                return p;
            }
        }
        return Json.mapper().createObjectNode();
    }

    private static List<String> ids(JsonNode status) {
        List<String> out = new ArrayList<>();
        status.path("partners").forEach(p -> out.add(p.path("partner").asText()));
        return out;
    }

    /** A fresh browser, wide enough for the partner table. */
    private WebDriver browser() throws Exception {
        return credit.exchange.gateway.HeadlessChromium.with().arguments("--window-size=1600,1000").start(root);
    }
}
