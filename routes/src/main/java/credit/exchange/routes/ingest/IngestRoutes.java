package credit.exchange.routes.ingest;

import credit.exchange.routes.api.ApiRouteBuilder;
import credit.exchange.routes.api.Authenticator;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How departments feed records in: an upload API, and an inbox folder per record type
 * ({@code inbox/<type>/}) whose files are imported, then moved to {@code inbox/.done/<type>/}
 * (or {@code inbox/.failed/<type>/} when the file cannot be imported at all), with the rejected
 * rows in {@code inbox/.rejects/<type>/}.
 */
public final class IngestRoutes extends ApiRouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);

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

    @Override
    protected void configureApi() {
        rest("/api/v1").description("Department feeds and data quality")
                .post("/imports").id("department-upload")
                    .description("Import a department file (CSV or JSON) of one record type; answers the import summary")
                    .consumes("text/csv,application/json,application/octet-stream").produces("application/json")
                    .param().name("type").type(RestParamType.query).required(true).description("record type, e.g. licensing, penalty, redlist").endParam()
                    .param().name("department").type(RestParamType.query).required(false).description("USCC of the department the file"
                        + " is for: a department's importer files its own (its token's department) only; an operator naming one is held to it")
                        .endParam()
                    .param().name("charset").type(RestParamType.query).required(false).description("e.g. GBK; detected when absent").endParam()
                    .to("direct:department-upload")
                .get("/quality").id("data-quality")
                    .description("Completeness, validity and timeliness per source department")
                    .produces("application/json")
                    .param().name("department").type(RestParamType.query).required(false).endParam()
                    .to("direct:data-quality");

        from("direct:department-upload").routeId("department-upload").process(this::upload);
        from("direct:data-quality").routeId("data-quality")
                .process(e -> answer(e, 200, quality.byDepartment(e.getMessage().getHeader("department", String.class))));

        fromF("file:%s?recursive=true&minDepth=2&maxDepth=2&readLock=changed&readLockMinAge=1000"
                + "&move=.done/${file:name.noext}-${date:now:yyyyMMddHHmmss}.${file:ext}"
                + "&moveFailed=.failed/${file:name}&antExclude=**/*.tmp,**/*.part", inbox.toAbsolutePath())
                .routeId("department-inbox")
                .process(this::importDropped);
    }

    private void upload(Exchange exchange) throws IOException {
        var in = exchange.getMessage();
        String type = in.getHeader("type", String.class);
        if (type == null || type.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "give the record type: ?type=licensing|penalty|redlist|...");
        }
        Charset charset = charset(in.getHeader("charset", String.class));
        Caller caller = authenticator.caller(exchange);
        String named = in.getHeader("department", String.class);
        ImportRequest.Sender sender;
        String department;
        if (caller.duties().contains(Caller.Duty.OPERATE)) {
            department = named == null || named.isBlank() ? null : named.strip().toUpperCase(Locale.ROOT);
            sender = new ImportRequest.Sender(caller.kind().name(), caller.name(), department != null);
        } else {
            // a department's importer (the door admits no one else): its own department's records only
            department = caller.grantee().orElseThrow();
            if (named != null && !named.isBlank() && !named.strip().equalsIgnoreCase(department)) {
                throw new CodedException(ErrorCode.E_NOT_GRANTED, caller.name() + " files records of department " + department
                        + " only, not of " + named.strip());
            }
            sender = new ImportRequest.Sender(caller.kind().name(), caller.name(), true);
        }
        Files.createDirectories(workDir);
        Path upload = Files.createTempFile(workDir, "upload-", ".dat");
        try {
            try (InputStream body = in.getBody(InputStream.class)) {
                if (body == null) {
                    throw new CodedException(ErrorCode.E_FIELD_MISSING, "the request has no file in its body");
                }
                Files.copy(body, upload, StandardCopyOption.REPLACE_EXISTING);
            }
            ImportSummary summary = importer.importFile(
                    new ImportRequest(upload, type.strip(), department, charset, null, sender),
                    ProgressListener.NONE);
            answer(exchange, 200, summary);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private void importDropped(Exchange exchange) {
        Path file = exchange.getMessage().getBody(java.io.File.class).toPath();
        String type = file.getParent().getFileName().toString();
        Path rejects = inbox.resolve(".rejects").resolve(type).resolve(file.getFileName() + ".rejects.csv");
        ImportSummary s = importer.importFile(new ImportRequest(file, type, null, null, rejects, ImportRequest.Sender.INBOX), ProgressListener.NONE);
        LOG.info("inbox import of {} ({}): {} rows read, {} stored, {} duplicates, {} rejected",
                file.getFileName(), type, s.rowsRead(), s.stored(), s.duplicates(), s.rejected());
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
