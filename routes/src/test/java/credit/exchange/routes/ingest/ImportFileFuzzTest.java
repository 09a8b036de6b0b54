package credit.exchange.routes.ingest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import credit.exchange.routes.support.Protectors;
import credit.exchange.routes.support.Samples;
import credit.exchange.security.identity.PersonalIdProtector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Coverage-guided fuzzing (Jazzer) of department files, read and validated as an import reads
 * them: any bytes, as CSV or JSON, in UTF-8 or GB18030, give rows (each accepted or rejected with
 * its defects), broken rows, or a coded file problem; no other exception escapes. Half the inputs
 * are a sample file of the departments' with the fuzzer's edits. {@code mvn verify} runs the
 * seeds; CI fuzzes it for 30 seconds.
 */
class ImportFileFuzzTest {

    private static final byte[] SAMPLE;
    private static final PersonalIdProtector PROTECTOR = Protectors.withFreshKeys();

    static {
        try {
            SAMPLE = Files.readAllBytes(Samples.DIR.resolve("licensing-sample.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyFile_givesRowsDefectsOrACodedFileProblem(FuzzedDataProvider data) {
        boolean json = data.consumeBoolean();
        Charset charset = data.consumeBoolean() ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        byte[] file;
        if (!json && data.consumeBoolean()) {
            file = SAMPLE.clone();
            int edits = data.consumeInt(1, 8);
            for (int i = 0; i < edits; i++) {
                file[data.consumeInt(0, file.length - 1)] = data.consumeByte();
            }
        } else {
            file = data.consumeRemainingAsBytes();
        }
        RowValidator validator = new RowValidator(ImportLayout.LICENSING, null, LegacyCodes.NONE, PROTECTOR);
        try {
            new RowReader(ImportLayout.LICENSING).read(new ByteArrayInputStream(file), charset,
                    json ? RowReader.Format.JSON : RowReader.Format.CSV, new RowReader.RowSink() {
                        @Override
                        public void row(SourceRow row) {
                            RowValidator.Outcome outcome = validator.validate(row);
                            if (outcome.draft() == null && outcome.defects().isEmpty()) {
                                throw new AssertionError("a row is accepted or rejected with its defects");
                            }
                        }

                        @Override
                        public void broken(RowReader.BrokenRow row) {
                        }
                    });
        } catch (ImportFileException expected) {
            // a file problem with its code (not CSV, not a JSON array, no known header, …)
        }
    }
}
