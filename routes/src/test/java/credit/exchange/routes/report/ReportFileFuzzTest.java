package credit.exchange.routes.report;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the files {@code gatewayctl report verify} is handed, which
 * come from anyone: any bytes — a signed report with the fuzzer's edits, or arbitrary input — are
 * verified or refused with a coded error; no other exception escapes, and nothing that was changed
 * verifies. {@code mvn verify} runs the seeds; CI fuzzes it for 30 seconds.
 */
class ReportFileFuzzTest {

    private static final ReportSignatureTest.Alliance ALLIANCE = ReportSignatureTest.Alliance.of(Suite.INTL);
    private static final byte[] SIGNED = ALLIANCE.signedReport();

    @FuzzTest(maxDuration = "30s")
    void anyFile_verifiesOrIsRefusedWithACode(FuzzedDataProvider data) {
        byte[] file;
        if (data.consumeBoolean()) {
            file = SIGNED.clone();
            int edits = data.consumeInt(1, 8);
            for (int i = 0; i < edits; i++) {
                file[data.consumeInt(0, file.length - 1)] = data.consumeByte();
            }
        } else {
            file = data.consumeRemainingAsBytes();
        }
        try {
            ReportVerification.verify(file, ALLIANCE.verifier(), number -> Optional.empty());
            if (!java.util.Arrays.equals(file, SIGNED)) {
                throw new AssertionError("a changed report verified");
            }
        } catch (CodedException refused) {
            // refused with a code, as the command prints it
        }
    }
}
