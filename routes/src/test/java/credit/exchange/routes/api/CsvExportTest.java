package credit.exchange.routes.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The one CSV writer: the BOM first, RFC 4180 with CRLF, every cell back as written through a CSV
 * reader, and every cell a spreadsheet could take for a formula neutralised with an apostrophe.
 */
class CsvExportTest {

    private static final String DANGEROUS = "=+-@\t\r";

    @Property(tries = 300)
    void anyCells_comeBackThroughACsvReader_asNeutralised_andTheFileStartsWithTheBom(@ForAll("tables") List<List<String>> table)
            throws IOException {
        List<String> header = table.get(0);
        List<List<String>> rows = table.subList(1, table.size());

        byte[] file = CsvExport.write(header, rows);

        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(file, 3), "UTF-8's BOM first");
        List<List<String>> read = read(file);
        assertEquals(table.size(), read.size());
        for (int r = 0; r < table.size(); r++) {
            assertEquals(table.get(r).stream().map(CsvExport::neutralised).toList(), read.get(r), "row " + r);
            for (String cell : read.get(r)) {
                assertTrue(cell.isEmpty() || DANGEROUS.indexOf(cell.charAt(0)) < 0, "no cell starts a formula: " + cell);
            }
        }
    }

    @Property(tries = 300)
    void everyDangerousFirstCharacter_isNeutralisedWithAnApostrophe_andTheRestKept(@ForAll("dangerous") char first,
                                                                                    @ForAll("text") String rest) throws IOException {
        String cell = first + rest;

        List<List<String>> read = read(CsvExport.write(List.of("列"), List.of(List.of(cell, "x"))));

        assertEquals("'" + cell, read.get(1).get(0));
    }

    @Property(tries = 300)
    void aCellStartingWithAnythingElse_isWrittenAsItIs(@ForAll("text") String cell) throws IOException {
        if (!cell.isEmpty() && DANGEROUS.indexOf(cell.charAt(0)) >= 0) {
            return;
        }
        assertEquals(cell, read(CsvExport.write(List.of("列"), List.of(List.of(cell)))).get(1).get(0));
    }

    @Example
    void theFile_isRfc4180WithCrlf_andChineseInUtf8() {
        byte[] file = CsvExport.write(List.of("主体名称", "内容"), List.of(List.of("杭州千岛网络有限公司", "a,\"b\"\nc"),
                List.of("=HYPERLINK(\"http://x.example\",\"点击\")", "-2")));

        assertEquals("\uFEFF主体名称,内容\r\n杭州千岛网络有限公司,\"a,\"\"b\"\"\nc\"\r\n\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点击\"\")\",'-2\r\n",
                new String(file, StandardCharsets.UTF_8));
    }

    @Example
    void csvIsAsked_byFormat_orByAcceptNamingItFirst() {
        assertTrue(CsvExport.asked("csv", null));
        assertTrue(CsvExport.asked(" CSV ", "application/json"));
        assertFalse(CsvExport.asked("json", "text/csv"), "an explicit format wins");
        assertTrue(CsvExport.asked(null, "text/csv;q=0.9, application/json"));
        assertFalse(CsvExport.asked(null, "application/json, text/csv"));
        assertFalse(CsvExport.asked(null, "*/*"));
        assertFalse(CsvExport.asked(null, null));
        assertEquals(ErrorCode.E_FIELD_INVALID, assertThrows(CodedException.class, () -> CsvExport.asked("xlsx", null)).code());
    }

    @Provide
    Arbitrary<Character> dangerous() {
        return Arbitraries.of('=', '+', '-', '@', '\t', '\r');
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("=+-@\t\r\n\",' ;'").withCharRange('a', 'z').withCharRange('0', '9')
                .withCharRange('\u4e00', '\u4fff').ofMaxLength(24);
        Arbitrary<String> astral = Arbitraries.of("𠮷野家", "😀", "行政许可", "");
        return Combinators.combine(chars, astral, chars).as((a, b, c) -> a + b + c);
    }

    @Provide
    Arbitrary<List<List<String>>> tables() {
        return Arbitraries.integers().between(1, 5).flatMap(width ->
                text().list().ofSize(width).list().ofMinSize(1).ofMaxSize(6));
    }

    /** As a spreadsheet reads the file: the BOM says UTF-8 and is no part of the first cell; then RFC 4180. */
    static List<List<String>> read(byte[] file) throws IOException {
        String text = new String(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "the BOM");
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord record : CSVFormat.RFC4180.parse(new StringReader(text.substring(1)))) {
            rows.add(record.toList());
        }
        return rows;
    }
}
