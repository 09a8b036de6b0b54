package credit.exchange.routes.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The departments' double-publicity sample files: every party identifier and authority code is
 * valid except the defects planted on purpose and listed in defects.json. The samples are
 * test-data/samples (a verbatim copy of shared/samples); the system property
 * {@code credit.samples.dir} names another folder.
 */
class SampleFilesTest {

    private static final Path SAMPLES = Path.of(System.getProperty("credit.samples.dir", "../test-data/samples"));
    private static final String NATURAL_PERSON = "自然人";

    /** The identifier defects the samples' README promises, as "file row column" -> reason. */
    private static final Map<String, String> PLANTED_IDENTIFIER_DEFECTS = Map.of(
            "licensing 7 XK_XDR_SHXYM", "check character wrong",
            "penalty 5 CF_XDR_SHXYM", "letter O is not in the code alphabet",
            "penalty 12 CF_XDR_ZJHM", "ID check digit wrong");

    @Test
    void defectsFile_listsExactlyTheThreeIdentifierDefects() throws IOException {
        assertEquals(new TreeMap<>(PLANTED_IDENTIFIER_DEFECTS), identifierDefectsFromFile());
    }

    @Test
    void sampleFiles_haveNoQuotedFieldsAndEqualFieldCounts() throws IOException {
        for (Sample sample : Sample.values()) {
            String text = Files.readString(sample.path(), sample.charset);
            assertFalse(text.contains("\""), sample + " has quotes; splitting on commas would be wrong");
            Table table = read(sample);
            assertEquals(40, table.rows.size(), sample + " rows");
            for (int r = 0; r < table.rows.size(); r++) {
                assertEquals(table.header.size(), table.rows.get(r).length, sample + " row " + (r + 1));
            }
        }
    }

    @Test
    void partyIdentifiers_areAllValidExceptThePlantedDefects() throws IOException {
        Map<String, String> invalid = new TreeMap<>();
        int checked = 0;
        for (Sample sample : Sample.values()) {
            Table table = read(sample);
            String p = sample.prefix;
            for (int r = 0; r < table.rows.size(); r++) {
                boolean person = NATURAL_PERSON.equals(table.get(r, p + "XDR_LB"));
                String column = p + (person ? "XDR_ZJHM" : "XDR_SHXYM");
                String value = table.get(r, column);
                IdentifierCheck check = person ? ResidentIdNumber.check(value) : Uscc.check(value);
                checked++;
                if (!check.valid()) {
                    invalid.put(sample.label + " " + (r + 1) + " " + column, check.reason());
                }
            }
        }
        assertEquals(80, checked);
        assertEquals(new TreeMap<>(PLANTED_IDENTIFIER_DEFECTS).keySet(), invalid.keySet(), "invalid: " + invalid);
    }

    @Test
    void plantedDefects_haveReasonsContainingTheDefectsFileWording() throws IOException {
        Map<String, IdentifierCheck> checks = new LinkedHashMap<>();
        checks.put("licensing 7 XK_XDR_SHXYM", Uscc.check(read(Sample.LICENSING).get(6, "XK_XDR_SHXYM")));
        checks.put("penalty 5 CF_XDR_SHXYM", Uscc.check(read(Sample.PENALTY).get(4, "CF_XDR_SHXYM")));
        checks.put("penalty 12 CF_XDR_ZJHM", ResidentIdNumber.check(read(Sample.PENALTY).get(11, "CF_XDR_ZJHM")));
        Map<String, String> fromFile = identifierDefectsFromFile();
        for (Map.Entry<String, IdentifierCheck> e : checks.entrySet()) {
            IdentifierCheck check = e.getValue();
            assertFalse(check.valid(), e.getKey());
            String expected = fromFile.get(e.getKey());
            assertTrue(check.reason().contains(expected), e.getKey() + ": '" + check.reason() + "' lacks '" + expected + "'");
        }
    }

    @Test
    void plantedDefects_areClassifiedAndExplainedTheSameWayByIdentifiers() throws IOException {
        IdentifierCheck letterO = Identifiers.check(read(Sample.PENALTY).get(4, "CF_XDR_SHXYM"));
        assertEquals(IdentifierKind.USCC, letterO.kind());
        assertTrue(letterO.reason().contains("letter O"), letterO.reason());

        IdentifierCheck checkCharacter = Identifiers.check(read(Sample.LICENSING).get(6, "XK_XDR_SHXYM"));
        assertEquals(IdentifierKind.USCC, checkCharacter.kind());
        assertTrue(checkCharacter.reason().contains("check character"), checkCharacter.reason());

        IdentifierCheck checkDigit = Identifiers.check(read(Sample.PENALTY).get(11, "CF_XDR_ZJHM"));
        assertEquals(IdentifierKind.RESIDENT_ID, checkDigit.kind());
        assertTrue(checkDigit.reason().contains("check digit"), checkDigit.reason());
    }

    @Test
    void partyIdentifiers_areRecognisedByKindFromShapeAlone() throws IOException {
        for (Sample sample : Sample.values()) {
            Table table = read(sample);
            String p = sample.prefix;
            for (int r = 0; r < table.rows.size(); r++) {
                boolean person = NATURAL_PERSON.equals(table.get(r, p + "XDR_LB"));
                String value = table.get(r, p + (person ? "XDR_ZJHM" : "XDR_SHXYM"));
                assertEquals(person ? IdentifierKind.RESIDENT_ID : IdentifierKind.USCC,
                        Identifiers.check(value).kind(), sample + " row " + (r + 1) + " " + value);
            }
        }
    }

    @Test
    void naturalPersons_carryNoCreditCode_andLegalPersonsNoIdNumber() throws IOException {
        for (Sample sample : Sample.values()) {
            Table table = read(sample);
            String p = sample.prefix;
            for (int r = 0; r < table.rows.size(); r++) {
                boolean person = NATURAL_PERSON.equals(table.get(r, p + "XDR_LB"));
                assertEquals(person, table.get(r, p + "XDR_SHXYM").isEmpty(), sample + " row " + (r + 1));
                assertEquals(person, !table.get(r, p + "XDR_ZJHM").isEmpty(), sample + " row " + (r + 1));
            }
        }
    }

    @Test
    void authorityCodes_areAllValidCreditCodes() throws IOException {
        Map<Sample, List<String>> columns = Map.of(
                Sample.LICENSING, List.of("XK_XKJGDM", "XK_LYDWDM"),
                Sample.PENALTY, List.of("CF_CFJGDM", "CF_SJLYDM"));
        int checked = 0;
        for (Map.Entry<Sample, List<String>> e : columns.entrySet()) {
            Table table = read(e.getKey());
            for (String column : e.getValue()) {
                for (int r = 0; r < table.rows.size(); r++) {
                    IdentifierCheck check = Uscc.check(table.get(r, column));
                    assertTrue(check.valid(), e.getKey() + " row " + (r + 1) + " " + column + ": " + check.reason());
                    checked++;
                }
            }
        }
        assertEquals(160, checked);
    }

    private static Map<String, String> identifierDefectsFromFile() throws IOException {
        String json = Files.readString(SAMPLES.resolve("defects.json"), StandardCharsets.UTF_8);
        Map<String, String> defects = new TreeMap<>();
        // The file's shape is fixed ({"licensing": [[row, column, reason], ...], "penalty": ...}) and the
        // project keeps JSON libraries out of this package, so two patterns are enough.
        Matcher section = Pattern.compile("\"(\\w+)\"\\s*:\\s*\\[((?:\\s*\\[[^\\]]*\\]\\s*,?)*)\\s*\\]").matcher(json);
        Pattern entry = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*\"([^\"]*)\"\\s*,\\s*\"([^\"]*)\"\\s*\\]");
        while (section.find()) {
            Matcher m = entry.matcher(section.group(2));
            while (m.find()) {
                String column = m.group(2);
                if (column.endsWith("_SHXYM") || column.endsWith("_ZJHM")) {
                    defects.put(section.group(1) + " " + m.group(1) + " " + column, m.group(3));
                }
            }
        }
        return defects;
    }

    private static Table read(Sample sample) throws IOException {
        List<String> lines = Files.readAllLines(sample.path(), sample.charset);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isEmpty()) {
                rows.add(line.split(",", -1));
            }
        }
        return new Table(header, rows);
    }

    private enum Sample {
        LICENSING("licensing", "licensing-sample.csv", StandardCharsets.UTF_8, "XK_"),
        PENALTY("penalty", "penalty-sample-gbk.csv", Charset.forName("GBK"), "CF_");

        final String label;
        final String file;
        final Charset charset;
        final String prefix;

        Sample(String label, String file, Charset charset, String prefix) {
            this.label = label;
            this.file = file;
            this.charset = charset;
            this.prefix = prefix;
        }

        Path path() {
            Path path = SAMPLES.resolve(file);
            assertTrue(Files.isReadable(path), path + " is missing; set -Dcredit.samples.dir");
            return path;
        }
    }

    private record Table(List<String> header, List<String[]> rows) {

        String get(int row, String column) {
            int index = header.indexOf(column);
            assertTrue(index >= 0, "no column " + column);
            return rows.get(row)[index];
        }
    }
}
