package credit.exchange.routes.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import credit.exchange.security.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the rows of a CSV or JSON import file against a layout. CSV has a header row; JSON is an
 * array of objects whose keys are the column codes. A byte sequence that is not valid in the
 * file's charset decodes to U+FFFD, which the validator rejects in the row that holds it: the
 * rest of the file is still read, and nothing garbled is stored.
 */
final class RowReader {

    enum Format { CSV, JSON }

    /** A row the layout cannot read (wrong number of fields); the reader goes on after it. */
    record BrokenRow(int number, String reason) {
    }

    interface RowSink {
        void row(SourceRow row);

        void broken(BrokenRow row);
    }

    private final ImportLayout layout;
    private final List<String> ignoredHeaders = new ArrayList<>();

    RowReader(ImportLayout layout) {
        this.layout = layout;
    }

    /** Headers of the file that the layout does not know; they are not stored. */
    List<String> ignoredHeaders() {
        return ignoredHeaders;
    }

    void read(InputStream in, Charset charset, Format format, RowSink sink) throws ImportFileException {
        Reader reader = new BufferedReader(new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
        if (format == Format.CSV) {
            readCsv(reader, sink);
        } else {
            readJson(reader, sink);
        }
    }

    private void readCsv(Reader reader, RowSink sink) throws ImportFileException {
        CSVFormat csv = CSVFormat.RFC4180.builder()
                .setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL)
                .get();
        int rowNumber = 0;
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(csv).get()) {
            List<String> headers = parser.getHeaderNames();
            ImportLayout.Column[] byPosition = mapHeaders(headers);
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw unreadable(rowNumber + 1, e);
                }
                rowNumber++;
                if (record.size() != headers.size()) {
                    sink.broken(new BrokenRow(rowNumber,
                            "row has " + record.size() + " fields, the header has " + headers.size()));
                    continue;
                }
                String[] values = new String[layout.columns().size()];
                for (int i = 0; i < byPosition.length; i++) {
                    if (byPosition[i] != null) {
                        values[byPosition[i].index()] = record.get(i);
                    }
                }
                sink.row(new SourceRow(rowNumber, values));
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw unreadable(rowNumber + 1, e);
        }
    }

    private ImportLayout.Column[] mapHeaders(List<String> headers) throws ImportFileException {
        ImportLayout.Column[] byPosition = new ImportLayout.Column[headers.size()];
        boolean any = false;
        for (int i = 0; i < headers.size(); i++) {
            var column = layout.column(headers.get(i));
            if (column.isPresent()) {
                byPosition[i] = column.get();
                any = true;
            } else if (!headers.get(i).isBlank()) {
                ignoredHeaders.add(headers.get(i));
            }
        }
        if (!any) {
            throw new ImportFileException(ErrorCode.E_MALFORMED, 0,
                    "the header names none of the " + layout.name().toLowerCase() + " layout's columns; see docs/import-format.md");
        }
        return byPosition;
    }

    private void readJson(Reader reader, RowSink sink) throws ImportFileException {
        int rowNumber = 0;
        boolean insideRow = false;
        try (JsonParser parser = new JsonFactory().createParser(reader)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ImportFileException(ErrorCode.E_MALFORMED, 0, "a JSON import file must be an array of row objects");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new ImportFileException(ErrorCode.E_MALFORMED, rowNumber + 1, "the JSON array is not closed");
                }
                rowNumber++;
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    sink.broken(new BrokenRow(rowNumber, "array element is not an object of columns"));
                    continue;
                }
                insideRow = true;
                readJsonObject(parser, rowNumber, sink);
                insideRow = false;
            }
        } catch (JsonParseException e) {
            throw new ImportFileException(ErrorCode.E_MALFORMED, insideRow ? rowNumber : rowNumber + 1,
                    "invalid JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                            + ": " + e.getOriginalMessage());
        } catch (IOException | UncheckedIOException e) {
            throw unreadable(insideRow ? rowNumber : rowNumber + 1, e);
        }
    }

    private void readJsonObject(JsonParser parser, int rowNumber, RowSink sink) throws IOException {
        String[] values = new String[layout.columns().size()];
        String brokenField = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            var column = layout.column(key);
            if (value.isScalarValue()) {
                if (column.isPresent() && value != JsonToken.VALUE_NULL) {
                    values[column.get().index()] = parser.getValueAsString();
                } else if (column.isEmpty() && !ignoredHeaders.contains(key)) {
                    ignoredHeaders.add(key);
                }
            } else {
                parser.skipChildren();
                if (column.isPresent()) {
                    brokenField = key;
                }
            }
        }
        if (brokenField != null) {
            sink.broken(new BrokenRow(rowNumber, "field " + brokenField + " is not a single value"));
        } else {
            sink.row(new SourceRow(rowNumber, values));
        }
    }

    private static ImportFileException unreadable(int rowNumber, Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ImportFileException(ErrorCode.E_MALFORMED, rowNumber, "the file cannot be read from row " + rowNumber + " on: " + detail);
    }
}
