package credit.exchange.routes.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Classification;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnerDirectoryTest {

    private static final Path SHIPPED = Path.of(System.getProperty("credit.project.root", ".."), "partner-configs");
    private static final List<String> SHIPPED_IDS = List.of("huzhou", "jiaxing", "national", "shanghai", "shaoxing", "zhejiang");

    @TempDir
    static Path certificates;

    @BeforeAll
    static void issueTheShippedPartnersCertificates() throws IOException {
        AllianceCa gm = AllianceCa.init(Suite.GM, "Test GM CA", Duration.ofDays(365));
        AllianceCa intl = AllianceCa.init(Suite.INTL, "Test INTL CA", Duration.ofDays(365));
        for (String id : SHIPPED_IDS) {
            PemFiles.writeCertificate(certificates.resolve(id + ".gm.pem"), gm.issueNode(id, Duration.ofDays(30)).certificate());
            PemFiles.writeCertificate(certificates.resolve(id + ".intl.pem"), intl.issueNode(id, Duration.ofDays(30)).certificate());
        }
        PemFiles.writeCertificate(certificates.resolve("other.gm.pem"), gm.issueNode("other", Duration.ofDays(30)).certificate());
    }

    @Test
    void shippedPartnerFiles_areAllValid() {
        PartnerDirectory directory = new PartnerDirectory(SHIPPED, certificates);

        PartnerDirectory.Reload reload = directory.reload();

        assertEquals(List.of(), reload.problems());
        assertEquals(Set.copyOf(SHIPPED_IDS), Set.copyOf(directory.all().stream().map(Partner::id).toList()));
        Partner huzhou = directory.find("huzhou").orElseThrow();
        assertEquals(Partner.Level.ALLIANCE_CITY, huzhou.level());
        assertEquals(Suite.GM, huzhou.suite());
        assertEquals(Set.of(Classification.A), huzhou.mayQuery().orElseThrow().classes());
        assertEquals("https://127.0.0.1:18441/exchange", huzhou.exchangeUri().toString());
        assertFalse(directory.find("shanghai").orElseThrow().enabled(), "the Shanghai example ships disabled");
        assertEquals(Suite.INTL, directory.find("jiaxing").orElseThrow().suite());
    }

    @Test
    void schemaViolation_isReportedWithFileLineAndReason(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("huzhou.yaml"), huzhouYaml().replace("level: alliance-city", "level: village"));

        PartnerDirectory.Reload reload = new PartnerDirectory(dir, certificates).reload();

        assertEquals(1, reload.problems().size(), reload.problems().toString());
        ConfigProblem problem = reload.problems().get(0);
        assertEquals(dir.resolve("huzhou.yaml"), problem.file());
        assertEquals(3, problem.line());
        assertTrue(problem.reason().startsWith("level"), problem.reason());
    }

    @Test
    void missingAndUnknownFields_areReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("huzhou.yaml"), huzhouYaml().replace("suite: GM\n", "").replace("enabled: true", "enabled: true\ncolour: blue"));

        List<ConfigProblem> problems = new PartnerDirectory(dir, certificates).reload().problems();

        assertTrue(problems.stream().anyMatch(p -> p.reason().contains("suite")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.reason().contains("colour") && p.line() == 5), problems.toString());
    }

    @Test
    void brokenYaml_isReportedAtItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("huzhou.yaml"), huzhouYaml().replace("we-send: [query, notice]", "we-send: [query, notice"));

        List<ConfigProblem> problems = new PartnerDirectory(dir, certificates).reload().problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).reason().startsWith("not valid YAML"), problems.toString());
        assertTrue(problems.get(0).line() >= 11, problems.toString());
    }

    @Test
    void idNotTheFileName_certificateOfAnotherNode_orOfTheOtherSuite_areRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("huzhou2.yaml"), huzhouYaml());
        Files.writeString(dir.resolve("jiaxing.yaml"), huzhouYaml().replace("id: huzhou", "id: jiaxing")
                .replace("huzhou.gm.pem", "other.gm.pem"));
        Files.writeString(dir.resolve("shaoxing.yaml"), huzhouYaml().replace("id: huzhou", "id: shaoxing")
                .replace("huzhou.gm.pem", "shaoxing.intl.pem"));

        List<ConfigProblem> problems = new PartnerDirectory(dir, certificates).reload().problems();

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.reason().contains("must be the file's name")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.reason().contains("is node other's, not jiaxing's")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.reason().contains("is not a GM certificate")), problems.toString());
    }

    @Test
    void reload_appliesAChange_keepsTheLastGoodConfigurationOfAnInvalidFile_andDropsADeletedOne(@TempDir Path dir)
            throws IOException {
        Path huzhou = dir.resolve("huzhou.yaml");
        Path shaoxing = dir.resolve("shaoxing.yaml");
        Files.writeString(huzhou, huzhouYaml());
        Files.writeString(shaoxing, huzhouYaml().replace("huzhou", "shaoxing"));
        PartnerDirectory directory = new PartnerDirectory(dir, certificates);
        directory.reload();

        Files.writeString(huzhou, huzhouYaml().replace("answer-ms: 4000", "answer-ms: 2500"));
        PartnerDirectory.Reload changed = directory.reload();
        assertEquals(List.of("huzhou"), changed.changed());
        assertEquals(Duration.ofMillis(2500), directory.find("huzhou").orElseThrow().answerTimeout());

        Files.writeString(huzhou, huzhouYaml().replace("answer-ms: 4000", "answer-ms: -1"));
        PartnerDirectory.Reload rejected = directory.reload();
        assertEquals(1, rejected.problems().size());
        assertEquals(Duration.ofMillis(2500), directory.find("huzhou").orElseThrow().answerTimeout(),
                "the last good configuration stays in force");
        assertEquals(rejected.problems(), directory.reload().problems(), "an unchanged invalid file stays reported");

        Files.delete(shaoxing);
        directory.reload();
        assertTrue(directory.find("shaoxing").isEmpty());
        assertTrue(directory.find("huzhou").isPresent());
    }

    @Test
    void unchangedFiles_areNotReread() throws IOException {
        PartnerDirectory directory = new PartnerDirectory(SHIPPED, certificates);
        directory.reload();

        PartnerDirectory.Reload again = directory.reload();

        assertEquals(List.of(), again.changed());
        assertEquals(SHIPPED_IDS.size(), again.partners());
    }

    private static String huzhouYaml() throws IOException {
        return Files.readString(SHIPPED.resolve("huzhou.yaml"), StandardCharsets.UTF_8)
                .lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }
}
