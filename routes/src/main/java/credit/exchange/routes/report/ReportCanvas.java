package credit.exchange.routes.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

/**
 * The report's pages as a writer sees them: A4 portrait with fixed margins, a cursor running down
 * the page, text in the one embedded font (bold drawn as fill and stroke, since CJK fonts rarely
 * come with a bold face), wrapped paragraphs and bordered table rows that move to the next page
 * whole, or are split by lines with a heading repeated when a row is taller than a page.
 */
final class ReportCanvas {

    static final PDRectangle A4 = PDRectangle.A4;
    static final float LEFT = 50;
    static final float RIGHT = A4.getWidth() - 50;
    static final float WIDTH = RIGHT - LEFT;
    static final float TOP = A4.getHeight() - 48;
    static final float BOTTOM = 58;
    static final Color TEXT = Color.BLACK;
    static final Color MUTED = new Color(0x55, 0x55, 0x55);
    static final Color RULE = new Color(0xA0, 0xA0, 0xA0);
    static final Color SHADE = new Color(0xF0, 0xF0, 0xF0);
    private static final float PADDING = 3;
    private static final float LEADING = 1.4f;

    private final PDDocument document;
    private final PDType0Font font;
    private final IntPredicate draws;
    private final LineBreaker breaker;
    private final List<PDPage> pages = new ArrayList<>();
    private PDPageContentStream stream;
    private float y;
    private float size = 9;

    ReportCanvas(PDDocument document, PDType0Font font, IntPredicate draws) {
        this.document = document;
        this.font = font;
        this.draws = draws;
        this.breaker = new LineBreaker(text -> width(text, size));
        newPage();
    }

    /** A row's cells, each with its lines already broken, and how the row is drawn. */
    record Row(float[] widths, List<List<String>> cells, float size, boolean shadeFirst, boolean header) {
        int lineCount() {
            return cells.stream().mapToInt(List::size).max().orElse(1);
        }

        float height(int lines) {
            return lines * size * LEADING + 2 * PADDING;
        }
    }

    void newPage() {
        closeStream();
        PDPage page = new PDPage(A4);
        document.addPage(page);
        pages.add(page);
        try {
            stream = new PDPageContentStream(document, page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y = TOP;
    }

    List<PDPage> pages() {
        return pages;
    }

    float y() {
        return y;
    }

    void moveTo(float newY) {
        y = newY;
    }

    void space(float points) {
        y -= points;
    }

    /** Whether this much fits above the bottom margin. */
    boolean fits(float height) {
        return y - height >= BOTTOM;
    }

    /** A new page unless this much still fits. */
    void keep(float height) {
        if (!fits(height) && y < TOP) {
            newPage();
        }
    }

    /** Only what the font draws: control characters become spaces, characters without a glyph a replacement mark. */
    String printable(String text) {
        StringBuilder out = new StringBuilder();
        (text == null ? "" : text).codePoints().forEach(c -> {
            if (c == '\n') {
                out.append('\n');
            } else if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                out.append(' ');
            } else {
                out.appendCodePoint(draws.test(c) ? c : draws.test('?') ? '?' : ' ');
            }
        });
        return out.toString();
    }

    float width(String text, float fontSize) {
        try {
            return font.getStringWidth(printable(text)) / 1000 * fontSize;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines(String text, float fontSize, float columnWidth) {
        float kept = size;
        size = fontSize;
        try {
            return breaker.lines(printable(text), columnWidth);
        } finally {
            size = kept;
        }
    }

    float lineHeight(float fontSize) {
        return fontSize * LEADING;
    }

    /** The baseline of a line of this size whose line box starts at {@code lineTop}: the glyphs centred in the leading. */
    static float baseline(float lineTop, float fontSize) {
        return lineTop - fontSize * LEADING + fontSize * (LEADING - 1) / 2 + fontSize * 0.12f;
    }

    /** Text with its baseline at (x, baseline). */
    void text(String text, float x, float baseline, float fontSize, Color color, boolean bold) {
        try {
            stream.beginText();
            stream.setFont(font, fontSize);
            stream.setNonStrokingColor(color);
            if (bold) {
                stream.setStrokingColor(color);
                stream.setLineWidth(fontSize * 0.035f);
                stream.setRenderingMode(RenderingMode.FILL_STROKE);
            } else {
                stream.setRenderingMode(RenderingMode.FILL);
            }
            stream.newLineAtOffset(x, baseline);
            stream.showText(printable(text));
            stream.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A wrapped paragraph at the cursor, breaking to the next page between its lines. */
    void paragraph(String text, float x, float columnWidth, float fontSize, Color color, boolean bold) {
        for (String line : lines(text, fontSize, columnWidth)) {
            keep(lineHeight(fontSize));
            text(line, x, baseline(y, fontSize), fontSize, color, bold);
            y -= lineHeight(fontSize);
        }
    }

    Row row(float[] widths, List<String> cells, float fontSize, boolean shadeFirst, boolean header) {
        List<List<String>> broken = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            broken.add(lines(i < cells.size() ? cells.get(i) : "", fontSize, widths[i] - 2 * PADDING));
        }
        return new Row(widths, broken, fontSize, shadeFirst, header);
    }

    /**
     * Draws a row at the cursor. It moves to the next page whole when it fits there; a row taller than
     * a page is split between lines. Either way {@code continued} draws what the new page repeats first.
     */
    void draw(Row row, Runnable continued) {
        int total = row.lineCount();
        if (!fits(row.height(total)) && row.height(total) <= TOP - BOTTOM - 60) {
            newPage();
            continued.run();
        }
        int from = 0;
        while (from < total) {
            int count = Math.min(total - from, (int) Math.floor((y - BOTTOM - 2 * PADDING) / (row.size() * LEADING)));
            if (count <= 0) {
                newPage();
                continued.run();
                continue;
            }
            drawPart(row, from, count);
            from += count;
            if (from < total) {
                newPage();
                continued.run();
            }
        }
    }

    private void drawPart(Row row, int from, int count) {
        float height = row.height(count);
        float x = LEFT;
        try {
            for (int i = 0; i < row.widths().length; i++) {
                float w = row.widths()[i];
                if (row.header() || (i == 0 && row.shadeFirst())) {
                    stream.setNonStrokingColor(SHADE);
                    stream.addRect(x, y - height, w, height);
                    stream.fill();
                }
                stream.setStrokingColor(RULE);
                stream.setLineWidth(0.5f);
                stream.addRect(x, y - height, w, height);
                stream.stroke();
                List<String> lines = row.cells().get(i);
                for (int l = from; l < Math.min(lines.size(), from + count); l++) {
                    float lineTop = y - PADDING - (l - from) * lineHeight(row.size());
                    boolean label = i == 0 && row.shadeFirst();
                    text(lines.get(l), x + PADDING, baseline(lineTop, row.size()), row.size(), label ? MUTED : TEXT, row.header());
                }
                x += w;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y -= height;
    }

    /** A horizontal rule across the text width at the cursor. */
    void rule(float lineWidth) {
        try {
            stream.setStrokingColor(RULE);
            stream.setLineWidth(lineWidth);
            stream.moveTo(LEFT, y);
            stream.lineTo(RIGHT, y);
            stream.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void image(PDImageXObject image, float x, float top, float side) {
        try {
            stream.drawImage(image, x, top - side, side, side);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stamps each page's footer once all pages exist (it names their number); the last thing drawn. */
    void footers(java.util.function.BiFunction<Integer, Integer, String> footer) {
        closeStream();
        for (int i = 0; i < pages.size(); i++) {
            try (PDPageContentStream footerStream = new PDPageContentStream(document, pages.get(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                stream = footerStream;
                String text = footer.apply(i + 1, pages.size());
                stream.setStrokingColor(RULE);
                stream.setLineWidth(0.5f);
                stream.moveTo(LEFT, BOTTOM - 18);
                stream.lineTo(RIGHT, BOTTOM - 18);
                stream.stroke();
                text(text, LEFT + (WIDTH - width(text, 8)) / 2, BOTTOM - 30, 8, MUTED, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                stream = null;
            }
        }
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                stream = null;
            }
        }
    }
}
