package credit.exchange.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the tables a Java source names in SQL: the string literals and text blocks (never comments or code) are
 * read, and a table counts where SQL puts a table name (after from, join, into, update, table, copy, truncate,
 * analyze, references, or a comma of such a list) or qualifies a column with it ({@code outbox.id}). Prose that
 * merely uses the word ("the subject's authorisation") is not SQL and does not count.
 */
final class SqlTableScanner {

    /** A table named in SQL at a line of a source. */
    record Use(String table, int line) {
    }

    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)\\b(?:from|join|into|update|table|copy|truncate|analyze|vacuum|references)\\s+(?:only\\s+)?");
    /** Where a keyword's list of tables ends. */
    private static final Pattern LIST_END = Pattern.compile(
            "(?i)\\b(?:where|on|set|using|group|order|limit|returning|values|select|join|for)\\b|[();]");

    /** What makes a literal SQL at all: a statement's or clause's keyword. */
    private static final Pattern SQL_STATEMENT = Pattern.compile("(?i)\\b(?:select|insert|update|delete|where|from|join|set)\\b");

    private final Pattern qualified;
    private final Pattern name;

    SqlTableScanner(Collection<String> tables) {
        String names = String.join("|", tables.stream().sorted((a, b) -> b.length() - a.length()).toList());
        qualified = Pattern.compile("(?i)(?<![\\w.])(" + names + ")\\.[a-z_*]");
        name = Pattern.compile("(?i)(" + names + ")(?!\\w)");
    }

    /** The tables this source names in SQL, each with the line where its literal begins. */
    List<Use> scan(String source) {
        List<Use> uses = new ArrayList<>();
        for (Literal literal : literals(source)) {
            String text = literal.text();
            Matcher k = KEYWORD.matcher(text);
            while (k.find()) {
                // the keyword's list, "from a x, b y where" or "truncate a, b": each item's first word
                Matcher end = LIST_END.matcher(text).region(k.end(), text.length());
                String list = text.substring(k.end(), end.find() ? end.start() : text.length());
                for (String item : list.split(",")) {
                    Matcher t = name.matcher(item.strip());
                    if (t.lookingAt()) {
                        uses.add(new Use(t.group(1).toLowerCase(Locale.ROOT), literal.line()));
                    }
                }
            }
            // a qualified column ("outbox.id") counts in SQL only, not in a word such as the action "outbox.replay"
            Matcher q = qualified.matcher(SQL_STATEMENT.matcher(text).find() ? text : "");
            while (q.find()) {
                uses.add(new Use(q.group(1).toLowerCase(Locale.ROOT), literal.line()));
            }
        }
        return uses;
    }

    private record Literal(String text, int line) {
    }

    /** The string literals and text blocks of a Java source, skipping comments and character literals. */
    private static List<Literal> literals(String s) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2) + 2;
                line += count(s, i, end);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (!s.startsWith("\"\"\"", end) || s.charAt(end - 1) == '\\') {
                    end++;
                }
                out.add(new Literal(s.substring(i + 3, end), line));
                line += count(s, i, end);
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (s.charAt(end) != c) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    out.add(new Literal(s.substring(i + 1, end), line));
                }
                i = end + 1;
            } else {
                if (c == '\n') {
                    line++;
                }
                i++;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
