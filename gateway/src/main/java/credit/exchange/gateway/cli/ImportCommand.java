package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.ingest.BulkImporter;
import credit.exchange.routes.ingest.DepartmentQuality;
import credit.exchange.routes.ingest.ImportRequest;
import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.ingest.ProgressListener;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.identity.PersonalIdProtector;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", description = {
        "Import a department file (CSV with a header row, or a JSON array of objects) of one record type.",
        "Good rows are stored, bad rows are listed with row, field and reason in a rejects file.",
        "Importing the same file again stores nothing twice."})
final class ImportCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--file", required = true, paramLabel = "FILE")
    Path file;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "record type: licensing, penalty, redlist, blacklist, commitment, judgment-debtor, tax, social-insurance")
    String type;

    @Option(names = "--department", paramLabel = "USCC", description = "the sending department, for rows without a data source unit code")
    String department;

    @Option(names = "--charset", paramLabel = "NAME", description = "file encoding, e.g. GBK (default: UTF-8, or GB18030 when the file is not UTF-8)")
    Charset charset;

    @Option(names = "--rejects", paramLabel = "FILE", description = "where to write rejected rows (default: <node dir>/rejects/<file>-<time>.csv)")
    Path rejects;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Option(names = "--dry-run", description = "validate the file and report, store nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no such file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new CodedException(ErrorCode.E_FILE_UNREADABLE, "permission denied: " + file);
        }
        NodeConfig config = node.load();
        Path rejectsFile = rejects != null ? rejects : config.nodeDir().resolve("rejects")
                .resolve(file.getFileName() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".csv");
        PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
        try (CreditStoreConnection store = CreditStoreConnection.openOrCreate(config)) {
            BulkImporter importer = new BulkImporter(store.database(), CategoryCatalogue.load(store.database()), protector,
                    GatewayCtl.CLOCK);
            ProgressListener progress = System.console() != null ? new ProgressBar(System.err) : ProgressListener.NONE;
            // the import's audit event names the account that runs the command, as every operator command's does
            ImportRequest request = new ImportRequest(file, type, department, charset, rejectsFile,
                    new ImportRequest.Sender(AuditEvent.ActorKind.OPERATOR, CliOperator.name(), false));
            ImportSummary summary = dryRun ? importer.check(request, progress) : importer.importFile(request, progress);
            if (System.console() != null) {
                System.err.println();
            }
            if (json) {
                System.out.println(Json.write(summary));
            } else {
                print(summary, System.out);
            }
            return exitStatus(summary, System.err);
        }
    }

    /**
     * The exit status of an import (docs/operations.md, "Exit statuses"): 0 every row stored (or
     * held already), 1 some rows rejected and the others stored, 2 the file not imported — it could
     * not be read to its end, holds no data row, or every row was rejected — with an error line.
     */
    static int exitStatus(ImportSummary s, PrintStream err) {
        return switch (s.outcome()) {
            case STORED -> CliErrors.OK;
            case PARTLY_REJECTED -> CliErrors.FOUND_PROBLEMS;
            case FAILED -> {
                if (s.fileProblem() != null) {
                    err.println("error E_MALFORMED: " + s.file() + " cannot be read: " + s.fileProblem()
                            + (s.stored() + s.duplicates() > 0 ? " (the " + (s.stored() + s.duplicates()) + " rows before it are kept)" : ""));
                } else if (s.rowsRead() == 0) {
                    err.println("error E_FIELD_MISSING: " + s.file() + " holds no data row");
                } else {
                    String code = s.firstDefects().isEmpty() ? "E_FIELD_INVALID" : s.firstDefects().get(0).code().name();
                    err.println("error " + code + ": every one of the " + s.rowsRead() + " rows of " + s.file() + " was rejected"
                            + (s.rejectsFile() != null ? "; the reasons are in " + s.rejectsFile() : ""));
                }
                yield CliErrors.FAILED;
            }
        };
    }

    static void print(ImportSummary s, PrintStream out) {
        boolean check = s.importId() == 0;
        out.printf("%s of %s (%s, read as %s)%n", check ? "check (nothing stored)" : "import #" + s.importId(), s.file(),
                s.category(), s.charset());
        out.printf("  rows read   %,d%n  %s  %,d%n  duplicates  %,d%n  rejected    %,d%n",
                s.rowsRead(), check ? "acceptable" : "stored    ", s.stored(), s.duplicates(), s.rejected());
        out.printf("  time        %.1f s (%,.0f rows/s)%n", s.elapsedMillis() / 1000.0, s.rowsPerSecond());
        if (s.fileProblem() != null) {
            out.println("  FILE PROBLEM: " + s.fileProblem());
        }
        if (!s.ignoredColumns().isEmpty()) {
            out.println("  ignored columns (not in the layout): " + String.join(", ", s.ignoredColumns()));
        }
        if (!s.firstDefects().isEmpty()) {
            out.println("  rejects (first " + s.firstDefects().size() + "):");
            s.firstDefects().forEach(d -> out.printf("    row %d  %s  %s  %s%n", d.rowNumber(), d.field(), d.code(), d.reason()));
        }
        if (s.rejectsFile() != null) {
            out.println("  all rejects: " + s.rejectsFile());
        }
        out.println("  data quality by source department (completeness / validity / timeliness):");
        for (DepartmentQuality q : s.quality()) {
            out.printf("    %-20s %5.1f%% / %5.1f%% / %5.1f%%  (%d rows, %d late)%n", q.department(),
                    100 * q.completeness(), 100 * q.validity(), 100 * q.timeliness(), q.rowsRead(), q.late());
        }
    }

    /** A one-line progress bar on the terminal. */
    private static final class ProgressBar implements ProgressListener {
        private final PrintStream out;

        ProgressBar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void progress(long bytesRead, long totalBytes, int rowsRead) {
            int width = 40;
            int filled = totalBytes == 0 ? width : (int) (width * bytesRead / totalBytes);
            out.printf("\r[%s%s] %3d%%  %,d rows", "#".repeat(filled), " ".repeat(width - filled),
                    totalBytes == 0 ? 100 : 100 * bytesRead / totalBytes, rowsRead);
            out.flush();
        }
    }
}
