package credit.exchange.routes.ingest;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.OwnerOnlyFiles;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How departments feed records in: an upload API, and an inbox folder per record type
 * ({@code inbox/<type>/}) whose files are imported, then deleted: a department file holds
 * resident ID numbers and other personal data in the clear, which the store keeps only protected.
 * A file that cannot be imported at all is kept in {@code inbox/.failed/<type>/} for the operator,
 * and the rejected rows (row, column, code and reason, never a value) are listed in
 * {@code inbox/.rejects/<type>/}; both, and uploads in {@code work/} while they are imported, are
 * owner-only files in owner-only directories ({@link OwnerOnlyFiles}).
 */
public final class IngestRoutes extends ApiRouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);
    private static final String DONE = ".done";
    private static final String FAILED = ".failed";
    private static final String REJECTS = ".rejects";

    private final BulkImporter importer;
    private final Authenticator authenticator;
    private final QualityReport quality;
    private final Path inbox;
    private final Path workDir;

    public IngestRoutes(BulkImporter importer, Authenticator authenticator, QualityReport quality, Path inbox, Path workDir) {
        this.importer = importer;
        this.authenticator = authenticator;
        this.quality = quality;
        this.inbox = inbox;
        this.workDir = workDir;
    }

    /**
     * Makes what earlier versions left readable owner-only: {@code .done} (originals kept forever,
     * mode 644, before they were deleted after import), {@code .failed}, {@code .rejects} and
     * {@code work}. The originals in {@code .done} are not deleted here: that is the operator's
     * decision (docs/operations.md).
     */
    void restrictLeftovers() throws IOException {
        for (String kept : List.of(DONE, FAILED, REJECTS)) {
            OwnerOnlyFiles.restrictTree(inbox.resolve(kept));
        }
        OwnerOnlyFiles.restrictTree(workDir);
        if (Files.isDirectory(inbox.resolve(DONE))) {
            LOG.warn("{} holds department files kept by an earlier version, now owner-only; they hold personal data in the"
                    + " clear: delete them once no longer needed", inbox.resolve(DONE));
        }
    }

    @Override
    protected void configureApi() throws IOException {
        restrictLeftovers();
        rest("/api/v1").description("Department feeds and data quality")
                .post("/imports").id("department-upload")
                    .description("Import a department file (CSV or JSON) of one record type; answers the import summary")
                    .consumes("text/csv,application/json,application/octet-stream").produces("application/json")
                    .param().name("type").type(RestParamType.query).required(true).description("record type, e.g. licensing, penalty, redlist").endParam()
                    .param().name("department").type(RestParamType.query).required(false).description("USCC of the department the file"
                        + " is for: a department's importer files its own (its token's department) only; an operator naming one is held to it")
                        .endParam()
                    .param().name("charset").type(RestParamType.query).required(false).description("e.g. GBK; detected when absent").endParam()
                    .responseMessage(answers(200, "the import summary: {importId, rowsRead, stored, duplicates, rejected, firstDefects: [{rowNumber,"
                            + " field, code, reason}]}; rejected rows are in it, not refusals"))
                    .to("direct:department-upload")
                .get("/quality").id("data-quality")
                    .description("Completeness, validity and timeliness per source department")
                    .produces("application/json")
                    .param().name("department").type(RestParamType.query).required(false).endParam()
                    .responseMessage(answers(200, "per source department: rows, completeness, validity and timeliness"))
                    .to("direct:data-quality");

        from("direct:department-upload").routeId("department-upload").process(this::upload);
        from("direct:data-quality").routeId("data-quality")
                .process(e -> answer(e, 200, quality.byDepartment(e.getMessage().getHeader("department", String.class))));

        // importInboxFile deletes the original and keeps an unimportable one in .failed itself, owner-only, which
        // Camel's move and moveFailed (renames keeping the department's mode) would not; delete=true is the consumer's
        // own account of that (a file already gone counts as deleted)
        fromF("file:%s?recursive=true&minDepth=2&maxDepth=2&readLock=changed&readLockMinAge=1000"
                + "&delete=true&antExclude=**/*.tmp,**/*.part", inbox.toAbsolutePath())
                .routeId("department-inbox")
                .process(e -> importInboxFile(e.getMessage().getBody(java.io.File.class).toPath()));
    }

    private void upload(Exchange exchange) throws IOException {
        var in = exchange.getMessage();
        Caller caller = authenticator.caller(exchange);
        String named = in.getHeader("department", String.class);
        ImportRequest.Sender sender;
        String department;
        if (caller.duties().contains(Caller.Duty.OPERATE)) {
            department = named == null || named.isBlank() ? null : named.strip().toUpperCase(Locale.ROOT);
            sender = new ImportRequest.Sender(AuditEvent.ActorKind.of(caller.kind()), caller.name(), department != null);
        } else {
            // a department's importer (the door admits no one else): its own department's records only
            department = caller.grantee().orElseThrow();
            if (named != null && !named.isBlank() && !named.strip().equalsIgnoreCase(department)) {
                throw new CodedException(ErrorCode.E_NOT_GRANTED, caller.name() + " files records of department " + department
                        + " only, not of " + named.strip());
            }
            sender = new ImportRequest.Sender(AuditEvent.ActorKind.of(caller.kind()), caller.name(), true);
        }
        try (InputStream body = in.getBody(InputStream.class)) {
            answer(exchange, 200, importUpload(body, in.getHeader("type", String.class), department, sender,
                    in.getHeader("charset", String.class)));
        }
    }

    /** An uploaded file: kept owner-only in {@code work/} while it is imported, then deleted. */
    ImportSummary importUpload(InputStream body, String type, String department, ImportRequest.Sender sender, String charsetName)
            throws IOException {
        if (type == null || type.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "give the record type: ?type=licensing|penalty|redlist|...");
        }
        Charset charset = charset(charsetName);
        OwnerOnlyFiles.directory(workDir);
        Path upload = Files.createTempFile(workDir, "upload-", ".dat",
                PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.FILE));
        try {
            if (body == null) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "the request has no file in its body");
            }
            // into the owner-only file itself: Files.copy with REPLACE_EXISTING would make a new file with the umask's mode
            try (OutputStream out = Files.newOutputStream(upload, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.transferTo(out);
            }
            return importer.importFile(new ImportRequest(upload, type.strip(), department, charset, null, sender), ProgressListener.NONE);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /**
     * A file dropped in {@code inbox/<type>/}: imported, its rejects listed owner-only in
     * {@code .rejects/<type>/}, then deleted; a file that cannot be imported is kept, owner-only,
     * in {@code .failed/<type>/} instead.
     */
    void importInboxFile(Path file) throws IOException {
        String type = file.getParent().getFileName().toString();
        String name = BulkImporter.maskedIds(file.getFileName().toString());
        OwnerOnlyFiles.directory(inbox.resolve(REJECTS));
        Path rejectsDir = OwnerOnlyFiles.directory(inbox.resolve(REJECTS).resolve(type));
        Path rejects = rejectsDir.resolve(name + ".rejects.csv");
        try {
            ImportSummary s = importer.importFile(new ImportRequest(file, type, null, null, rejects, ImportRequest.Sender.INBOX), ProgressListener.NONE);
            LOG.info("inbox import of {} ({}): {} rows read, {} stored, {} duplicates, {} rejected",
                    name, type, s.rowsRead(), s.stored(), s.duplicates(), s.rejected());
        } catch (RuntimeException e) {
            // kept for the operator, owner-only; the original is deleted by the consumer like an imported one
            OwnerOnlyFiles.directory(inbox.resolve(FAILED));
            Path kept = OwnerOnlyFiles.copyInto(file, inbox.resolve(FAILED).resolve(type), name);
            String code = e instanceof CodedException coded ? coded.code().name() : ErrorCode.E_INTERNAL.name();
            LOG.error("inbox import of {} ({}) failed with {}; the file is kept as {}: {}", name, type, code, kept,
                    BulkImporter.maskedIds(String.valueOf(e.getMessage())));
        }
        Files.deleteIfExists(file);
    }

    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "unknown charset '" + name + "'; use UTF-8 or GBK");
        }
    }
}
