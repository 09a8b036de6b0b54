package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading rows of CSV and JSON import files against a layout, without a database. */
class RowReaderTest {

    /** What the reader handed over, row by row: "n:COLUMN=value,..." or "n:broken". */
    private static final class Collected implements RowReader.RowSink {
        final List<String> rows = new ArrayList<>();

        @Override
        public void row(SourceRow row) {
            Map<String, String> values = new TreeMap<>();
            for (ImportLayout.Column column : ImportLayout.PENALTY.columns()) {
                if (row.values()[column.index()] != null) {
                    values.put(column.code(), row.value(column));
                }
            }
            rows.add(row.number() + ":" + values);
        }

        @Override
        public void broken(RowReader.BrokenRow row) {
            rows.add(row.number() + ":broken");
        }
    }

    @Test
    void csv_rowsAreNumberedFromOne_headerExcluded_blankLinesSkipped() throws Exception {
        List<String> rows = readCsv("CF_WSH,CF_NR\n罚1,警告\n\n罚2,\"罚款,没收\"\n", StandardCharsets.UTF_8);

        assertEquals(List.of("1:{NR=警告, WSH=罚1}", "2:{NR=罚款,没收, WSH=罚2}"), rows);
    }

    @Test
    void csv_headersMatch_withOrWithoutPrefix_inAnyCase() throws Exception {
        List<String> rows = readCsv("cf_wsh,NR, Bz \n罚1,警告,备注\n", StandardCharsets.UTF_8);

        assertEquals(List.of("1:{BZ=备注, NR=警告, WSH=罚1}"), rows);
    }

    @Test
    void csv_unknownHeaders_areIgnoredAndListed() throws Exception {
        RowReader reader = new RowReader(ImportLayout.PENALTY);
        Collected sink = new Collected();

        reader.read(stream("CF_WSH,内部编号\n罚1,0001\n", StandardCharsets.UTF_8), StandardCharsets.UTF_8, RowReader.Format.CSV, sink);

        assertEquals(List.of("1:{WSH=罚1}"), sink.rows);
        assertEquals(List.of("内部编号"), reader.ignoredHeaders());
    }

    @Test
    void csv_rowWithWrongFieldCount_isBroken_andReadingGoesOn() throws Exception {
        List<String> rows = readCsv("CF_WSH,CF_NR\n罚1\n罚2,警告\n罚3,警告,多余\n", StandardCharsets.UTF_8);

        assertEquals(List.of("1:broken", "2:{NR=警告, WSH=罚2}", "3:broken"), rows);
    }

    @Test
    void csv_inGbk_isDecodedWhenNamed() throws Exception {
        Charset gbk = Charset.forName("GBK");

        assertEquals(List.of("1:{NR=警告, WSH=杭市场罚字〔2016〕2000号}"), readCsv("CF_WSH,CF_NR\n杭市场罚字〔2016〕2000号,警告\n", gbk));
    }

    @Test
    void json_lowerCaseKeys_numbersAndNulls_areRead() throws Exception {
        List<String> rows = readJson("[{\"cf_wsh\": \"罚1\", \"cf_nr_fk\": 9.2, \"cf_nr\": null}, {\"CF_WSH\": \"罚2\"}]");

        assertEquals(List.of("1:{NR_FK=9.2, WSH=罚1}", "2:{WSH=罚2}"), rows);
    }

    @Test
    void json_emptyArray_hasNoRows() throws Exception {
        assertEquals(List.of(), readJson("[]"));
    }

    private static List<String> readCsv(String text, Charset charset) throws ImportFileException {
        Collected sink = new Collected();
        new RowReader(ImportLayout.PENALTY).read(stream(text, charset), charset, RowReader.Format.CSV, sink);
        return sink.rows;
    }

    private static List<String> readJson(String text) throws ImportFileException {
        Collected sink = new Collected();
        new RowReader(ImportLayout.PENALTY).read(stream(text, StandardCharsets.UTF_8), StandardCharsets.UTF_8, RowReader.Format.JSON, sink);
        return sink.rows;
    }

    private static ByteArrayInputStream stream(String text, Charset charset) {
        return new ByteArrayInputStream(text.getBytes(charset));
    }
}
