package credit.exchange.routes.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's poppler-utils (pdftoppm, pdftotext, pdfsig): what a reader's PDF software makes of a
 * report. Missing tools fail the test with the package to install; they are never a reason to skip.
 */
final class Poppler {

    record Result(int exit, String out, String err) {
    }

    private Poppler() {
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Path out = Files.createTempFile(dir, args.get(0), ".out");
        Path err = Files.createTempFile(dir, args.get(0), ".err");
        Process process;
        try {
            process = new ProcessBuilder(args).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(args.get(0) + " is not installed: install poppler-utils (Debian: apt-get install poppler-utils)", e);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(args.get(0) + " did not finish: " + args);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
