package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of a statement a node signs ({@link Envelopes#signStatement}): UTF-8, a first line
 * naming the statement's form and version, then one {@code name value} line per field in the
 * form's fixed order, every line ending in a newline. A value is one line. Only that one canonical
 * text parses, so that the same statement always has the same bytes and the same signature covers
 * it.
 */
public final class StatementText {

    private StatementText() {
    }

    /** The statement's text; the fields in their order. A value holding a line break or other control character is refused. */
    public static byte[] render(String form, Map<String, String> fields) {
        StringBuilder text = new StringBuilder(form).append('\n');
        fields.forEach((name, value) -> {
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "a statement's " + name + " is one line without control characters");
            }
            text.append(name).append(' ').append(value).append('\n');
        });
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The fields of a statement of this form, by name, in order.
     *
     * @throws CodedException E_MALFORMED when it is another form, a line is missing or out of order, or anything follows
     */
    public static Map<String, String> parse(byte[] statement, String form, String... names) {
        String[] lines = new String(statement, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length != names.length + 2 || !lines[0].equals(form) || !lines[names.length + 1].isEmpty()) {
            throw new CodedException(ErrorCode.E_MALFORMED, "not a '" + form + "' statement");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            String line = lines[i + 1];
            if (!line.startsWith(names[i] + " ")) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the statement's line " + (i + 2) + " is not its " + names[i]);
            }
            fields.put(names[i], line.substring(names[i].length() + 1));
        }
        return fields;
    }
}
