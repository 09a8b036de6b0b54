package credit.exchange.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnersCommandTest {

    private static final Path SHIPPED = Path.of(System.getProperty("credit.project.root", ".."), "partner-configs");

    @Test
    void validate_acceptsTheShippedFiles_andReportsAnInvalidFileWithItsLine(@TempDir Path dir) throws Exception {
        Path certs = dir.resolve("certs");
        Files.createDirectories(certs);
        AllianceCa gm = AllianceCa.init(Suite.GM, "Test GM CA", Duration.ofDays(365));
        AllianceCa intl = AllianceCa.init(Suite.INTL, "Test INTL CA", Duration.ofDays(365));
        for (String id : List.of("huzhou", "jiaxing", "national", "shanghai", "shaoxing", "zhejiang")) {
            PemFiles.writeCertificate(certs.resolve(id + ".gm.pem"), gm.issueNode(id, Duration.ofDays(30)).certificate());
            PemFiles.writeCertificate(certs.resolve(id + ".intl.pem"), intl.issueNode(id, Duration.ofDays(30)).certificate());
        }

        CliRun valid = CliRun.of("partners", "validate", SHIPPED.toString(), "--certificates", certs.toString());
        assertEquals(0, valid.exit(), valid.out());
        assertTrue(valid.out().contains("6 valid, 0 problems"), valid.out());
        assertTrue(!valid.out().contains("warning"), "the shipped files set up only work they allow: " + valid.out());

        // the shipped province file of an earlier release: records pushed to it, notices not sent
        Path lacking = dir.resolve("lacking");
        Files.createDirectories(lacking);
        Files.writeString(lacking.resolve("zhejiang.yaml"), Files.readString(SHIPPED.resolve("zhejiang.yaml"))
                .replaceAll("we-send: \\[query, notice\\]", "we-send: [query]"));
        CliRun warned = CliRun.of("partners", "validate", lacking.toString(), "--certificates", certs.toString());
        assertEquals(0, warned.exit(), warned.out());
        assertTrue(warned.out().contains("warning  " + lacking.resolve("zhejiang.yaml") + ": we-send lacks notice, but push hands zhejiang"
                + " records"), warned.out());

        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("huzhou.yaml"), Files.readString(SHIPPED.resolve("huzhou.yaml"))
                .replace("suite: GM", "suite: RSA"));
        CliRun invalid = CliRun.of("partners", "validate", broken.toString(), "--certificates", certs.toString());
        assertEquals(1, invalid.exit(), invalid.out());
        assertTrue(invalid.out().contains("huzhou.yaml:7: suite"), invalid.out());
    }

}
