package credit.exchange.routes.ingest;

import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.IdentifierMappings;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.OwnerOnlyFiles;
import credit.exchange.security.identity.PersonalIdProtector;
import credit.exchange.security.identity.ResidentIdFinder;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Bulk ingest of department files (双公示 and other categories). Each row is stored or rejected
 * with a reason; batches commit one by one, so an import killed midway and run again stores every
 * row exactly once (the natural key source department + document number + version, and the
 * content digest, make re-storing a no-op).
 */
public final class BulkImporter {

    static final int BATCH_ROWS = 10_000;
    /** Database connections writing in parallel, each owning a partition of the record keys. */
    static final int WRITERS = 2;
    private static final int PUBLICITY_DAYS = 7;
    private static final int DEFECTS_IN_SUMMARY = 20;

    private final Database database;
    private final CategoryCatalogue catalogue;
    private final PersonalIdProtector protector;
    private final Clock clock;

    public BulkImporter(Database database, CategoryCatalogue catalogue, PersonalIdProtector protector, Clock clock) {
        this.database = database;
        this.catalogue = catalogue;
        this.protector = protector;
        this.clock = clock;
    }

    public ImportSummary importFile(ImportRequest request, ProgressListener progress) {
        return process(request, progress, false);
    }

    /**
     * Reads and validates the file as an import would, and stores nothing: what a department
     * runs before sending a file. {@code stored} then counts the rows an import would accept
     * (before comparing with what the store already holds).
     */
    public ImportSummary check(ImportRequest request, ProgressListener progress) {
        return process(request, progress, true);
    }

    private ImportSummary process(ImportRequest request, ProgressListener progress, boolean checkOnly) {
        RecordCategory category = catalogue.find(request.category()).orElseThrow(() -> new CodedException(
                ErrorCode.E_UNKNOWN_TYPE, "unknown record type '" + request.category() + "'; known types: "
                        + String.join(", ", catalogue.all().stream().map(RecordCategory::code).toList())));
        long started = System.nanoTime();
        FileFacts facts = FileFacts.examine(request.file());
        Charset charset = request.charset() != null ? request.charset()
                : facts.validUtf8() ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        ImportLayout layout = ImportLayout.named(category.layout());

        List<Connection> connections = new ArrayList<>();
        Run run = null;
        try {
            for (int i = 0; i < (checkOnly ? 1 : WRITERS); i++) {
                connections.add(database.connection());
            }
            deleteStaleRejects(request);
            run = new Run(request, category, layout, connections, facts, legacyCodes(connections.get(0)), checkOnly);
            String fileProblem = null;
            try (InputStream in = new CountingStream(Files.newInputStream(request.file()), facts.size(), run, progress)) {
                InputStream body = FileFacts.skipUtf8Bom(new BufferedInputStream(in, 1 << 16), charset);
                RowReader reader = new RowReader(layout);
                run.reader = reader;
                try {
                    reader.read(body, charset, facts.json() ? RowReader.Format.JSON : RowReader.Format.CSV, run);
                } catch (ImportFileException e) {
                    fileProblem = e.getMessage();
                    run.reject(new Defect(e.rowNumber(), "-", e.code(), e.getMessage()));
                }
            }
            run.finishWriting();
            ImportSummary summary = run.summary(charset, fileProblem, (System.nanoTime() - started) / 1_000_000);
            if (!checkOnly) {
                run.bookkeeping.finishRun(run.importId, summary, facts.digest(), run.quality, request.sender());
            }
            run.closeRejects();
            return summary;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE,
                    "the credit store failed during the import; rows committed so far are kept, run the import again to finish: "
                            + e.getMessage(), e);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "cannot read " + request.file().getFileName() + ": " + e.getMessage(), e);
        } finally {
            if (run != null) {
                run.stopWriters(); // before the connections close under them
            }
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing a broken connection; the import's own outcome is already decided
                }
            }
        }
    }

    /**
     * Text about a file (its name, its unknown headers) with every resident ID number masked: a
     * file named after a person, or without a header row, would otherwise carry one into the
     * import's record, its summary and the log.
     */
    static String maskedIds(String text) {
        return text == null ? null : ResidentIdFinder.replace(text, f -> ResidentIdNumber.mask(f.number()));
    }

    private static void deleteStaleRejects(ImportRequest request) throws IOException {
        if (request.rejectsFile() != null) {
            Files.deleteIfExists(request.rejectsFile()); // rejects of an earlier run of this file no longer apply
        }
    }

    private static LegacyCodes legacyCodes(Connection connection) throws SQLException {
        Map<String, LegacyCodes.Mapping> mappings = new HashMap<>();
        for (IdentifierMappings.Mapping m : IdentifierMappings.all(connection)) {
            mappings.put(m.legacyCode(), new LegacyCodes.Mapping(m.legacyCode(), m.kind(), m.uscc(), m.legacyCheckFailed()));
        }
        return code -> java.util.Optional.ofNullable(mappings.get(code));
    }

    /** The state of one import while it runs; receives rows from the reader. */
    private final class Run implements RowReader.RowSink {
        final ImportRequest request;
        final RecordCategory category;
        final IngestStore bookkeeping;
        final RowValidator validator;
        final long importId;
        final LocalDate today;
        final Map<String, DepartmentQuality> quality = new LinkedHashMap<>();
        final List<Partition> partitions = new ArrayList<>();
        final List<Defect> firstDefects = new ArrayList<>();
        RowReader reader;
        CSVPrinter rejectsOut;
        int rowsRead;
        int stored;
        int duplicates;
        int rejectedRows;

        Run(ImportRequest request, RecordCategory category, ImportLayout layout, List<Connection> connections,
            FileFacts facts, LegacyCodes legacy, boolean checkOnly) throws SQLException {
            this.request = request;
            this.category = category;
            this.validator = new RowValidator(layout, request.department(), request.sender().ownDepartmentOnly(), legacy, protector);
            this.today = LocalDate.now(clock.withZone(DecisionDates.CHINA));
            List<IngestStore> stores = new ArrayList<>();
            for (int i = 0; i < connections.size(); i++) {
                stores.add(checkOnly ? null : new IngestStore(connections.get(i), category, i));
            }
            this.bookkeeping = stores.get(0);
            this.importId = checkOnly ? 0
                    : bookkeeping.startRun(maskedIds(request.file().getFileName().toString()), facts.digest(), request.department());
            for (IngestStore store : stores) {
                partitions.add(new Partition(new BatchWriter(store, importId, facts.digest())));
            }
        }

        @Override
        public void row(SourceRow row) {
            rowsRead++;
            RowValidator.Outcome outcome = validator.validate(row);
            String department = validator.departmentOf(row);
            if (!outcome.valid()) {
                rejectedRows++;
                outcome.defects().forEach(this::reject);
                account(department, false, null);
                return;
            }
            RecordDraft draft = outcome.draft();
            account(department, true, draft);
            String key = draft.sourceDepartment() + '\u0000' + draft.documentNumber();
            if (!partitions.get(Math.floorMod(key.hashCode(), partitions.size())).add(key, draft)) {
                duplicates++;
            }
        }

        @Override
        public void broken(RowReader.BrokenRow row) {
            rowsRead++;
            rejectedRows++;
            reject(new Defect(row.number(), "-", ErrorCode.E_MALFORMED, row.reason()));
            account(validator.departmentOf(null), false, null);
        }

        void reject(Defect defect) {
            partitions.get(0).rejects.add(defect);
            if (firstDefects.size() < DEFECTS_IN_SUMMARY) {
                firstDefects.add(defect);
            }
            if (request.rejectsFile() != null) {
                try {
                    if (rejectsOut == null) {
                        Writer w = OwnerOnlyFiles.newWriter(request.rejectsFile());
                        rejectsOut = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                                .setHeader("row", "field", "code", "reason").get());
                    }
                    rejectsOut.printRecord(defect.rowNumber(), defect.field(), defect.code().name(), defect.reason());
                } catch (IOException e) {
                    throw new CodedException(ErrorCode.E_INTERNAL, "cannot write the rejects file " + request.rejectsFile(), e);
                }
            }
        }

        private void account(String department, boolean valid, RecordDraft draft) {
            boolean publicity = valid && category.doublePublicity();
            boolean late = publicity && today.isAfter(draft.decisionDate().plusDays(PUBLICITY_DAYS));
            quality.merge(department,
                    new DepartmentQuality(department, 1, valid ? 1 : 0, draft == null ? 0 : draft.expectedFields(),
                            draft == null ? 0 : draft.expectedFieldsFilled(), publicity ? 1 : 0, late ? 1 : 0),
                    (a, b) -> a.plus(b.rowsRead(), b.rowsValid(), b.fieldsExpected(), b.fieldsFilled(),
                            b.doublePublicity(), b.late()));
        }

        /** Waits for every batch handed over to be committed. */
        void finishWriting() {
            for (Partition p : partitions) {
                p.flush();
            }
            for (Partition p : partitions) {
                int[] counts = p.writer.await();
                stored += counts[0];
                duplicates += counts[1];
            }
        }

        void stopWriters() {
            partitions.forEach(p -> p.writer.stop());
        }

        ImportSummary summary(Charset charset, String fileProblem, long elapsedMillis) {
            return new ImportSummary(importId, maskedIds(request.file().getFileName().toString()), category.code(), charset.name(), rowsRead,
                    stored, duplicates, rejectedRows, List.copyOf(firstDefects),
                    rejectsOut == null ? null : maskedIds(request.rejectsFile().toString()),
                    reader == null ? List.of() : reader.ignoredHeaders().stream().map(BulkImporter::maskedIds).toList(),
                    maskedIds(fileProblem),
                    List.copyOf(quality.values()), elapsedMillis);
        }

        void closeRejects() throws IOException {
            if (rejectsOut != null) {
                rejectsOut.close(true);
            }
        }
    }

    /** Counts bytes read for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        private final long total;
        private final Run run;
        private final ProgressListener listener;
        private long count;
        private long lastReported;

        CountingStream(InputStream in, long total, Run run, ProgressListener listener) {
            super(in);
            this.total = total;
            this.run = run;
            this.listener = listener;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            count += n;
            if (count - lastReported >= (1 << 20) || count == total) {
                lastReported = count;
                listener.progress(count, total, run.rowsRead);
            }
        }
    }
}
