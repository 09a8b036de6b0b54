package credit.exchange.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md §6 is the one list of codes other vendors read: it holds exactly the codes of
 * {@link ErrorCode}, each with its HTTP status and its meaning (the table may add where a code
 * is used). A code added, renamed or given another status without the document fails here, with
 * the rows the table lacks printed ready to paste.
 */
class ErrorTableTest {

    private static final Path PROTOCOL = Path.of(System.getProperty("credit.project.root", ".."), "docs", "protocol.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(E_[A-Z_]+)` \\| (\\d{3}) \\| (.*) \\|$", Pattern.MULTILINE);

    @Test
    void theProtocolsErrorTable_isErrorCode() throws Exception {
        String doc = Files.readString(PROTOCOL, StandardCharsets.UTF_8);
        int start = doc.indexOf("## 6. Error codes");
        assertTrue(start >= 0, "protocol.md has its §6");
        String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
        Map<String, String[]> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            documented.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        List<String> problems = new ArrayList<>();
        StringBuilder missingRows = new StringBuilder();
        for (ErrorCode code : ErrorCode.values()) {
            String[] row = documented.remove(code.name());
            if (row == null) {
                missingRows.append("| `").append(code.name()).append("` | ").append(code.httpStatus()).append(" | ")
                        .append(code.meaning()).append(" |\n");
            } else if (Integer.parseInt(row[0]) != code.httpStatus()) {
                problems.add(code.name() + ": the table says HTTP " + row[0] + ", ErrorCode " + code.httpStatus());
            } else if (!row[1].contains(code.meaning())) {
                problems.add(code.name() + ": the table's meaning \"" + row[1] + "\" does not say \"" + code.meaning() + "\"");
            }
        }
        documented.keySet().forEach(name -> problems.add(name + ": in the table, not in ErrorCode"));
        assertEquals("", missingRows.toString(), "rows §6 lacks");
        assertEquals(List.of(), problems);
    }
}
