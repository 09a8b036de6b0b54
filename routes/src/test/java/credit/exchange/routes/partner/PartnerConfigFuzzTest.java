package credit.exchange.routes.partner;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Coverage-guided fuzzing (Jazzer) of partner files, which operators edit by hand: any text is
 * read as a partner or rejected with its problems (file, line, what is wrong); no exception
 * escapes the reader. Half the inputs are the shipped Huzhou file with the fuzzer's edits, half
 * arbitrary text. {@code mvn verify} runs the seeds; CI fuzzes it for 30 seconds.
 */
class PartnerConfigFuzzTest {

    private static final Path DIR;
    private static final String SHIPPED;

    static {
        try {
            DIR = Files.createTempDirectory("partner-fuzz");
            AllianceCa gm = AllianceCa.init(Suite.GM, "Fuzz GM Root", Duration.ofDays(365));
            AllianceCa intl = AllianceCa.init(Suite.INTL, "Fuzz INTL Root", Duration.ofDays(365));
            PemFiles.writeCertificate(DIR.resolve("huzhou.gm.pem"), gm.issueNode("huzhou", Duration.ofDays(30)).certificate());
            PemFiles.writeCertificate(DIR.resolve("huzhou.intl.pem"), intl.issueNode("huzhou", Duration.ofDays(30)).certificate());
            SHIPPED = Files.readString(Path.of(System.getProperty("credit.project.root", ".."), "partner-configs", "huzhou.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final PartnerConfigReader reader = new PartnerConfigReader(DIR);

    @FuzzTest(maxDuration = "30s")
    void anyText_isReadAsAPartner_orRejectedWithItsProblems(FuzzedDataProvider data) throws IOException {
        String text;
        if (data.consumeBoolean()) {
            StringBuilder edited = new StringBuilder(SHIPPED);
            int edits = data.consumeInt(1, 6);
            for (int i = 0; i < edits && edited.length() > 0; i++) {
                int at = data.consumeInt(0, edited.length() - 1);
                int length = data.consumeInt(0, Math.min(12, edited.length() - at));
                edited.replace(at, at + length, data.consumeString(12));
            }
            text = edited.toString();
        } else {
            text = data.consumeRemainingAsString();
        }
        Path file = DIR.resolve("huzhou.yaml");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes ?, as an editor would save it
        PartnerConfigReader.Result result = reader.read(file);
        if (result instanceof PartnerConfigReader.Result.Rejected rejected && rejected.problems().isEmpty()) {
            throw new AssertionError("a rejection names at least one problem");
        }
    }
}
