package credit.exchange.routes.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * An import file held in memory so that a test can plant defects at known rows before writing
 * it. Rows are numbered from 1, header excluded, as the importer and the departments count them.
 */
public final class CsvTable {

    private final List<String> header;
    private final List<List<String>> rows;

    private CsvTable(List<String> header, List<List<String>> rows) {
        this.header = List.copyOf(header);
        this.rows = rows;
    }

    public static CsvTable withHeader(List<String> header) {
        return new CsvTable(header, new ArrayList<>());
    }

    public static CsvTable read(Path file) {
        return read(file, StandardCharsets.UTF_8);
    }

    public static CsvTable read(Path file, Charset charset) {
        try (Reader in = Files.newBufferedReader(file, charset);
             CSVParser parser = CSVParser.builder().setReader(in)
                     .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(new ArrayList<>(record.toList()));
            }
            return new CsvTable(parser.getHeaderNames(), rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> header() {
        return header;
    }

    public int size() {
        return rows.size();
    }

    public String get(int rowNumber, String column) {
        return row(rowNumber).get(index(column));
    }

    /** Sets one cell; the column must be in the header. */
    public CsvTable set(int rowNumber, String column, String value) {
        row(rowNumber).set(index(column), value);
        return this;
    }

    /** A copy of a row's cells, in header order. */
    public List<String> cells(int rowNumber) {
        return List.copyOf(row(rowNumber));
    }

    /** Replaces a row by arbitrary cells; a count other than the header's makes a broken row. */
    public CsvTable replace(int rowNumber, List<String> cells) {
        rows.set(rowNumber - 1, new ArrayList<>(cells));
        return this;
    }

    /** Appends a row and returns its number. */
    public int add(List<String> cells) {
        rows.add(new ArrayList<>(cells));
        return rows.size();
    }

    /** Appends a copy of an existing row and returns the new row's number. */
    public int addCopyOf(int rowNumber) {
        return add(row(rowNumber));
    }

    /** An independent copy, to change without changing this table. */
    public CsvTable copy() {
        CsvTable copy = withHeader(header);
        rows.forEach(copy::add);
        return copy;
    }

    /** A new table with the same header and only the given rows (renumbered from 1). */
    public CsvTable subset(int... rowNumbers) {
        CsvTable subset = withHeader(header);
        for (int n : rowNumbers) {
            subset.add(row(n));
        }
        return subset;
    }

    /** Writes the table as UTF-8 CSV (RFC 4180 quoting) and returns the file. */
    public Path write(Path file) {
        return write(file, StandardCharsets.UTF_8);
    }

    public Path write(Path file, Charset charset) {
        try (Writer out = Files.newBufferedWriter(file, charset);
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private List<String> row(int rowNumber) {
        if (rowNumber < 1 || rowNumber > rows.size()) {
            throw new IndexOutOfBoundsException("row " + rowNumber + " of " + rows.size());
        }
        return rows.get(rowNumber - 1);
    }

    private int index(String column) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(column + " is not in the header " + header);
        }
        return i;
    }
}
