package credit.exchange.routes.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Breaks a value into lines of a column's width, as Chinese typesetting does: a line may break
 * between any two CJK characters, Latin text breaks at spaces, and a word wider than the column
 * (a long number, a URL) is broken where it must. Closing punctuation (，。、）》…) never starts a
 * line; line breaks in the value are kept.
 */
final class LineBreaker {

    private static final String NO_LINE_START = "，。、；：？！）》」』】〕〉”’,.;:?!)]}%";

    private final ToDoubleFunction<String> width;

    /** @param width the printed width of a text in the column's units */
    LineBreaker(ToDoubleFunction<String> width) {
        this.width = width;
    }

    List<String> lines(String text, double columnWidth) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : (text == null ? "" : text).split("\r\n|\r|\n", -1)) {
            breakParagraph(paragraph.strip(), columnWidth, lines);
        }
        return lines;
    }

    private void breakParagraph(String paragraph, double columnWidth, List<String> lines) {
        StringBuilder line = new StringBuilder();
        for (String unit : units(paragraph)) {
            String candidate = line + unit;
            if (width.applyAsDouble(candidate.stripTrailing()) <= columnWidth) {
                line.append(unit);
                continue;
            }
            if (!line.toString().isBlank()) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
            }
            String rest = unit.stripLeading();
            while (width.applyAsDouble(rest.stripTrailing()) > columnWidth && rest.length() > 1) {
                int fit = fitting(rest, columnWidth);
                lines.add(rest.substring(0, fit));
                rest = rest.substring(fit);
            }
            line.append(rest);
        }
        lines.add(line.toString().stripTrailing());
    }

    /** How many chars of {@code text} fit the width: at least one code point, never half a surrogate pair. */
    private int fitting(String text, double columnWidth) {
        int end = text.offsetByCodePoints(0, 1);
        while (end < text.length()) {
            int next = text.offsetByCodePoints(end, 1);
            if (width.applyAsDouble(text.substring(0, next)) > columnWidth) {
                break;
            }
            end = next;
        }
        return end;
    }

    /** The pieces between which a line may break: each CJK character alone, a Latin word with its trailing spaces. */
    static List<String> units(String text) {
        List<String> units = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean glued = NO_LINE_START.indexOf(c) >= 0;
            if (glued) {
                if (word.length() > 0) {
                    word.appendCodePoint(c);
                } else if (!units.isEmpty() && !units.get(units.size() - 1).endsWith(" ")) {
                    units.set(units.size() - 1, units.get(units.size() - 1) + Character.toString(c));
                } else {
                    word.appendCodePoint(c);
                }
            } else if (isCjk(c)) {
                flush(word, units);
                units.add(Character.toString(c));
            } else if (c == ' ') {
                word.append(' ');
                flush(word, units);
            } else {
                if (word.length() > 0 && word.charAt(word.length() - 1) == ' ') {
                    flush(word, units);
                }
                word.appendCodePoint(c);
            }
        }
        flush(word, units);
        return units;
    }

    private static void flush(StringBuilder word, List<String> units) {
        if (word.length() > 0) {
            units.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isCjk(int c) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
    }
}
