package credit.exchange.routes.ingest;

import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * What to import: a file of one record category, optionally the department that sent it (used
 * when rows lack their data source unit code) and its charset (detected when absent: UTF-8, or
 * GB18030, the superset of GBK, when the bytes are not UTF-8).
 *
 * @param rejectsFile where to write the rejects CSV, or null for none
 */
public record ImportRequest(Path file, String category, String department, Charset charset, Path rejectsFile) {
}
