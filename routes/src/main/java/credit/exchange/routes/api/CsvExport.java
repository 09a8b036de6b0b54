package credit.exchange.routes.api;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one CSV form of every export a person opens in a spreadsheet (record queries, the officer
 * console's searches, {@code gatewayctl query --csv}): UTF-8 with a byte order mark first, which
 * Chinese spreadsheet programs (Excel, WPS) need to read the file as UTF-8 rather than GBK;
 * RFC 4180 records (comma, double quotes where needed, CRLF). A cell whose first character would
 * make a spreadsheet read it as a formula ({@code = + - @}, tab, carriage return) is neutralised
 * with a leading apostrophe, as OWASP advises against CSV injection: shown as text, never run.
 */
public final class CsvExport {

    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    /** UTF-8's byte order mark, the file's first three bytes. */
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** First characters a spreadsheet may take as the start of a formula. */
    static final String DANGEROUS_FIRST = "=+-@\t\r";
    /** Beside the label of a time column: the zone its times are in (China has kept +08:00 all year since 1991). */
    public static final String ZONE_SHOWN = "（UTC+08:00 Asia/Shanghai）";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private CsvExport() {
    }

    /** The cell as written: prefixed with an apostrophe if its first character is one a spreadsheet may take for a formula. */
    public static String neutralised(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        return DANGEROUS_FIRST.indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    /** A time as a cell: Asia/Shanghai, 24-hour, to the second ({@code 2026-12-07 16:30:00}); empty for none. */
    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** A time in a file's name: Asia/Shanghai, {@code 20261207-163000}. */
    public static String fileTime(Instant at) {
        return FILE_TIME.format(at);
    }

    /** The file: the BOM, the header, then each row; every cell neutralised. */
    public static byte[] write(List<String> header, List<List<String>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BOM);
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8); CSVPrinter printer = new CSVPrinter(w, FORMAT)) {
            printer.printRecord(header.stream().map(CsvExport::neutralised).toList());
            for (List<String> row : rows) {
                printer.printRecord(row.stream().map(CsvExport::neutralised).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /**
     * Whether a request asks for CSV: {@code format=csv}, or, without a format, {@code text/csv}
     * as the first type its {@code Accept} header names. Any format but {@code csv} or {@code json}
     * is E_FIELD_INVALID.
     */
    public static boolean asked(String format, String accept) {
        if (format != null && !format.isBlank()) {
            String f = format.strip().toLowerCase(Locale.ROOT);
            if (!f.equals("csv") && !f.equals("json")) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "format is json (the default) or csv");
            }
            return f.equals("csv");
        }
        if (accept == null || accept.isBlank()) {
            return false;
        }
        String first = accept.split(",", 2)[0].split(";", 2)[0].strip();
        return first.equalsIgnoreCase("text/csv");
    }

    /** Answers the file as an attachment of this name (ASCII, no quotes), never cached. */
    public static void answer(Exchange exchange, String filename, byte[] csv) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(csv);
    }

    /** E_EXPORT_TOO_LARGE: the export would hold more rows than {@code max}; the caller narrows the query. */
    public static CodedException tooLarge(long rows, int max, String narrowBy) {
        return new CodedException(ErrorCode.E_EXPORT_TOO_LARGE, "the export would hold " + rows + " rows, more than the "
                + max + " an export may hold; narrow the query (" + narrowBy + ")");
    }
}
