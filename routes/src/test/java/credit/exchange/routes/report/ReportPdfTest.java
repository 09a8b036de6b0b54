package credit.exchange.routes.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report renders to a PDF that stock poppler draws and reads back: Chinese titles, the source of
 * each entry, labelled fields whose long values wrap, page numbers on every page, a QR code that
 * decodes to the verification URL. The first page's image is kept as
 * target/report/credit-report-page-1.png for a person to look at.
 */
class ReportPdfTest {

    private static final Path KEPT = Path.of("target", "report");

    @TempDir
    Path dir;

    @Test
    void aReport_rendersAsAPdf_thatPopplerDrawsAndReads_inChinese_withPageNumbers() throws Exception {
        CreditReport report = SampleReports.threePages();
        Files.createDirectories(KEPT);
        Path pdf = Files.write(KEPT.resolve("credit-report.pdf"), ReportPdf.render(report, ReportFont.find(Optional.empty())));

        Poppler.Result image = Poppler.run(dir, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                pdf.toAbsolutePath().toString(), KEPT.resolve("credit-report-page-1").toAbsolutePath().toString());
        assertEquals(0, image.exit(), image.err());
        Path png = KEPT.resolve("credit-report-page-1.png");
        assertTrue(Files.isRegularFile(png), "pdftoppm wrote the page");
        BufferedImage page = ImageIO.read(png.toFile());
        assertNotNull(page, "the PNG decodes");
        assertEquals(496, page.getWidth(), 2, "A4 portrait at 60 dpi");
        assertEquals(702, page.getHeight(), 2);
        assertTrue(darkPixels(page, 35, 30, 140, 75) > 200, "the title 信用报告 is drawn at the top left");
        assertTrue(darkPixels(page, 360, 35, 460, 115) > 1000, "the QR code is drawn at the top right");

        Poppler.Result text = Poppler.run(dir, "pdftotext", "-layout", pdf.toAbsolutePath().toString(), "-");
        assertEquals(0, text.exit(), text.err());
        String all = text.out();
        List<String> pages = Arrays.stream(all.split("\f")).filter(p -> !p.isBlank()).toList();
        assertTrue(pages.size() >= 3, "three pages or more: " + pages.size());
        for (String expected : List.of("信用报告", "Alliance credit report", "报告编号", SampleReports.NUMBER, "出具机构", "杭州市公共信用信息平台",
                "出具时间", "2026-12-07 15:04:05 (UTC+08:00 Asia/Shanghai)", "查询用途", "政府采购资格审查", "扫码核验",
                "基本信息", "行政许可", "行政处罚", "红名单", "黑名单", "信用承诺", "答复情况", "已答复", "超时",
                "决定文书号", SampleReports.DOCUMENT_NUMBER, "罚款金额（万元）", SampleReports.HUZHOU, "消息编号",
                "签名已验证", "来源：本节点", "无记录", "ABCDEFGHIJ")) {
            assertTrue(all.contains(expected), "the text holds " + expected + "\n" + all);
        }
        assertTrue(all.contains(SampleReports.HUZHOU_MESSAGE) || all.replaceAll("\\s", "").contains(SampleReports.HUZHOU_MESSAGE),
                "the partner's message id");
        for (int i = 0; i < pages.size(); i++) {
            assertTrue(pages.get(i).contains("第 " + (i + 1) + " 页 / 共 " + pages.size() + " 页")
                    && pages.get(i).contains("报告编号 " + SampleReports.NUMBER), "page " + (i + 1) + "'s footer\n" + pages.get(i));
        }
    }

    @Test
    void aFieldTallerThanAPage_continuesOnTheNextPages_underItsRepeatedSource_andCharactersTheFontLacks_becomeAMark() throws Exception {
        CreditReport sample = SampleReports.threePages();
        CreditReport.Source huzhou = sample.sections().get(2).entries().get(1).source();
        String huge = SampleReports.LONG_CHINESE.repeat(40) + "末尾";
        CreditReport report = new CreditReport(sample.number(), sample.node(), sample.nodeName(), sample.issuedAt(), null, "officer\u0007 😀",
                new CreditReport.Subject("自然人", "张三", null, "330102********1234"), "A", List.of(new CreditReport.Section("penalty",
                        "行政处罚", "Penalties", List.of(new CreditReport.Entry(huzhou, List.of(new CreditReport.Field("违法事实", huge),
                                new CreditReport.Field(null, null)))), "")), List.of(), List.of(), sample.verificationUrl());
        Path pdf = Files.write(dir.resolve("long.pdf"), ReportPdf.render(report, ReportFont.find(Optional.empty())));

        Poppler.Result text = Poppler.run(dir, "pdftotext", "-layout", pdf.toString(), "-");
        assertEquals(0, text.exit(), text.err());
        List<String> pages = Arrays.stream(text.out().split("\f")).filter(p -> !p.isBlank()).toList();
        assertTrue(pages.size() >= 3, "the value runs over pages: " + pages.size());
        for (String page : pages.subList(1, pages.size())) {
            assertTrue(page.contains("行政处罚（续）") && page.contains("来源：" + SampleReports.HUZHOU) && page.contains("（续）"),
                    "each further page repeats the section and the source\n" + page);
        }
        assertTrue(pages.get(pages.size() - 1).contains("末尾"), "the value's end");
        assertTrue(text.out().contains("身份证件号码（已脱敏）") && text.out().contains("330102********1234"), "a person by masked ID only");
        assertTrue(text.out().contains("officer ?"), "a control character is a space, a character without a glyph a mark");
    }

    @Test
    void theQrCode_holdsTheVerificationUrl_andTheFont_isEmbeddedAsASubset() throws Exception {
        CreditReport report = SampleReports.threePages();
        Path pdf = Files.write(dir.resolve("report.pdf"), ReportPdf.render(report, ReportFont.find(Optional.empty())));
        Poppler.Result image = Poppler.run(dir, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdf.toString(),
                dir.resolve("page").toString());
        assertEquals(0, image.exit(), image.err());
        BufferedImage page = ImageIO.read(dir.resolve("page.png").toFile());
        BufferedImage corner = page.getSubimage(page.getWidth() * 2 / 3, 0, page.getWidth() / 3, page.getHeight() / 5);
        int[] pixels = corner.getRGB(0, 0, corner.getWidth(), corner.getHeight(), null, 0, corner.getWidth());
        Result decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(corner.getWidth(), corner.getHeight(), pixels))));
        assertEquals(report.verificationUrl(), decoded.getText());

        Poppler.Result fonts = Poppler.run(dir, "pdffonts", pdf.toString());
        assertEquals(0, fonts.exit(), fonts.err());
        assertTrue(fonts.out().lines().anyMatch(l -> l.contains("WenQuanYiZenHei") && l.contains("CID TrueType")
                && l.matches(".*\\byes\\s+yes\\s+yes\\b.*")), "embedded, subsetted, with Unicode: " + fonts.out());
    }

    @Test
    void theDocumentInformation_namesTheReport_forTheVerifier() throws Exception {
        CreditReport report = SampleReports.threePages();
        try (PDDocument document = Loader.loadPDF(ReportPdf.render(report, ReportFont.find(Optional.empty())))) {
            PDDocumentInformation info = document.getDocumentInformation();
            assertEquals("信用报告 " + SampleReports.NUMBER, info.getTitle());
            assertEquals("credit exchange gateway", info.getCreator());
            assertEquals(SampleReports.NUMBER, info.getCustomMetadataValue("ReportNumber"));
            assertEquals("hangzhou", info.getCustomMetadataValue("IssuingNode"));
            assertEquals(report.verificationUrl(), info.getCustomMetadataValue("VerificationUrl"));
            assertEquals(595, document.getPage(0).getMediaBox().getWidth(), 1, "A4");
            assertEquals(842, document.getPage(0).getMediaBox().getHeight(), 1, "A4 portrait");
        }
    }

    @Test
    void theSameReport_rendersToTheSameBytes() {
        ReportFont font = ReportFont.find(Optional.empty());
        assertArrayEquals(ReportPdf.render(SampleReports.threePages(), font), ReportPdf.render(SampleReports.threePages(), font));
    }

    @Test
    void theFont_isDebiansWenQuanYiZenHei_andAConfiguredFileWithoutChineseGlyphs_isRefusedWithE_FONT_MISSING() throws Exception {
        ReportFont found = ReportFont.find(Optional.empty());
        assertEquals(Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), found.file(), "fonts-wqy-zenhei is installed here");
        assertEquals("WenQuanYi Zen Hei", found.family());
        assertEquals(found.file(), ReportFont.find(Optional.of(found.file())).file(), "configured, it is used");

        CodedException notAFont = assertThrows(CodedException.class,
                () -> ReportFont.find(Optional.of(Files.writeString(dir.resolve("font.ttf"), "not a font"))));
        assertEquals(ErrorCode.E_FONT_MISSING, notAFont.code());
        assertTrue(notAFont.getMessage().contains("fonts-wqy-zenhei"), notAFont.getMessage());
        assertEquals(ErrorCode.E_FONT_MISSING, assertThrows(CodedException.class,
                () -> ReportFont.find(Optional.of(dir.resolve("missing.ttf")))).code());
        Path latinOnly = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        if (Files.isRegularFile(latinOnly)) {
            assertEquals(ErrorCode.E_FONT_MISSING, assertThrows(CodedException.class, () -> ReportFont.find(Optional.of(latinOnly))).code(),
                    "a font without Chinese glyphs would print boxes");
        }
    }

    @Test
    void lines_breakBetweenChineseCharacters_atLatinSpaces_andHardWhereAWordIsTooLong_neverBeforeClosingPunctuation() {
        LineBreaker breaker = new LineBreaker(String::length); // one unit a char
        assertEquals(List.of("信用报告", "由本节点", "出具。"), breaker.lines("信用报告由本节点出具。", 4));
        assertEquals(List.of("信用报", "告，本", "节点"), breaker.lines("信用报告，本节点", 3));
        assertEquals(List.of("the quick", "brown fox"), breaker.lines("the quick brown fox", 10));
        assertEquals(List.of("ABCDE", "FGHIJ", "K"), breaker.lines("ABCDEFGHIJK", 5));
        assertEquals(List.of("第一行", "", "第三行"), breaker.lines("第一行\n\n第三行", 10));
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int dark = 0;
        for (int x = x0; x < Math.min(x1, image.getWidth()); x++) {
            for (int y = y0; y < Math.min(y1, image.getHeight()); y++) {
                int rgb = image.getRGB(x, y);
                int luminance = ((rgb >> 16 & 0xFF) * 299 + (rgb >> 8 & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
                dark += luminance < 110 ? 1 : 0;
            }
        }
        return dark;
    }
}
