package credit.exchange.routes.report;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The CJK font a credit report embeds (subsetted): the file configured ({@code gateway.report.font}),
 * else the first of the well-known places Linux distributions install one. PDFBox embeds TrueType
 * outlines only (not the CFF outlines of Noto Sans CJK / Source Han), so only fonts with a
 * {@code glyf} table qualify; in a collection (.ttc) the face is chosen by family name. A font
 * without Chinese glyphs does not qualify either: a report set in it would show empty boxes.
 */
public final class ReportFont {

    /** Where distributions put TrueType-outline CJK fonts, best first (Debian's fonts-wqy-zenhei first). */
    public static final List<Path> WELL_KNOWN = List.of(
            Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
            Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
            Path.of("/usr/share/fonts/truetype/arphic/uming.ttc"),
            Path.of("/usr/share/fonts/truetype/arphic/ukai.ttc"),
            Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
            Path.of("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"), // Fedora, RHEL
            Path.of("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
            Path.of("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"), // openSUSE
            Path.of("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
            Path.of("/usr/share/fonts/TTF/wqy-zenhei.ttc"), // Arch
            Path.of("/usr/share/fonts/wenquanyi/wqy-zenhei.ttc")); // Alpine

    /** Preferred faces of a collection: the proportional Hei faces, not the Mono or bitmap (Sharp) ones. */
    private static final List<String> PREFERRED_FAMILIES = List.of("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN",
            "AR PL UKai CN");

    private static final String MISSING = ErrorCode.E_FONT_MISSING.meaning();

    private final Path file;
    private final String family;

    private ReportFont(Path file, String family) {
        this.file = file;
        this.family = family;
    }

    /**
     * The configured font file (which must qualify: no silent fallback from what an operator chose),
     * else the first well-known one that does; {@code E_FONT_MISSING} when there is none.
     */
    public static ReportFont find(Optional<Path> configured) {
        if (configured.isPresent()) {
            Path file = configured.get();
            return probe(file).orElseThrow(() -> new CodedException(ErrorCode.E_FONT_MISSING, "gateway.report.font (" + file
                    + ") is not a readable TrueType font with Chinese glyphs: " + MISSING));
        }
        for (Path candidate : WELL_KNOWN) {
            Optional<ReportFont> found = Files.isRegularFile(candidate) ? probe(candidate) : Optional.empty();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new CodedException(ErrorCode.E_FONT_MISSING, MISSING);
    }

    /** The font file. */
    public Path file() {
        return file;
    }

    /** The family of the face used (for a collection, the face chosen in it). */
    public String family() {
        return family;
    }

    @Override
    public String toString() {
        return family + " (" + file + ")";
    }

    private static Optional<ReportFont> probe(Path file) {
        try (Opened opened = open(file, null)) {
            return Optional.of(new ReportFont(file, opened.family));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Opens the font for one document; it must stay open until the document is saved (the subset is made then). */
    Opened open() throws IOException {
        return open(file, family);
    }

    private static Opened open(Path file, String family) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a file");
        }
        if (isCollection(file)) {
            TrueTypeCollection collection = new TrueTypeCollection(file.toFile());
            try {
                List<TrueTypeFont> faces = new ArrayList<>();
                collection.processAllFonts(faces::add);
                TrueTypeFont chosen = choose(faces, family);
                return new Opened(chosen, collection, chosen.getNaming().getFontFamily());
            } catch (IOException | RuntimeException e) {
                collection.close();
                throw e;
            }
        }
        TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBufferedFile(file.toFile()));
        try {
            if (!qualifies(font)) {
                throw new IOException("no TrueType outlines or no Chinese glyphs");
            }
            return new Opened(font, null, font.getNaming() == null ? file.getFileName().toString() : font.getNaming().getFontFamily());
        } catch (IOException | RuntimeException e) {
            font.close();
            throw e;
        }
    }

    private static TrueTypeFont choose(List<TrueTypeFont> faces, String family) throws IOException {
        List<String> wanted = family == null ? PREFERRED_FAMILIES : List.of(family);
        for (String name : wanted) {
            for (TrueTypeFont face : faces) {
                if (face.getNaming() != null && name.equals(face.getNaming().getFontFamily()) && qualifies(face)) {
                    return face;
                }
            }
        }
        if (family == null) {
            for (TrueTypeFont face : faces) {
                if (face.getNaming() != null && qualifies(face)) {
                    return face;
                }
            }
        }
        throw new IOException("no face of the collection has TrueType outlines and Chinese glyphs");
    }

    private static boolean qualifies(TrueTypeFont font) throws IOException {
        if (!font.getTableMap().containsKey("glyf")) {
            return false; // CFF outlines: PDFBox cannot embed them as a Type0 font
        }
        CmapLookup cmap = font.getUnicodeCmapLookup(false);
        return cmap != null && "信用报告杭州".codePoints().allMatch(c -> cmap.getGlyphId(c) != 0);
    }

    private static boolean isCollection(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4), java.nio.charset.StandardCharsets.ISO_8859_1).equals("ttcf");
        }
    }

    /** The font opened for one document. */
    static final class Opened implements Closeable {
        private final TrueTypeFont font;
        private final Closeable owner;
        private final String family;
        private final CmapLookup cmap;

        private Opened(TrueTypeFont font, Closeable owner, String family) throws IOException {
            this.font = font;
            this.owner = owner;
            this.family = family;
            this.cmap = font.getUnicodeCmapLookup(false);
        }

        /** Embeds the font, subsetted to the characters the document shows. */
        PDType0Font embed(PDDocument document) throws IOException {
            return PDType0Font.load(document, font, true);
        }

        /** Whether the font draws this character (else the report shows a replacement). */
        boolean draws(int codePoint) {
            return cmap.getGlyphId(codePoint) != 0;
        }

        @Override
        public void close() throws IOException {
            if (owner != null) {
                owner.close();
            } else {
                font.close();
            }
        }
    }
}
