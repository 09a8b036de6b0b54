package credit.exchange.routes.partner;

import java.nio.file.Path;

/**
 * Why a partner configuration file was rejected: the file, the line (1-based; 0 when the
 * problem concerns the file as a whole) and a reason an operator can act on.
 */
public record ConfigProblem(Path file, int line, String reason) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
    }
}
