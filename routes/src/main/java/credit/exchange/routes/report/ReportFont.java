package credit.exchange.routes.report;

import java.nio.file.Path;
import java.util.Optional;

/** STUB until the PDF work lands. */
public final class ReportFont {
    public static ReportFont find(Optional<Path> configured) {
        return new ReportFont();
    }
}
