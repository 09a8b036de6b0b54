package credit.exchange.routes.report;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import credit.exchange.routes.model.FieldLabels;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Renders a {@link CreditReport} as the PDF a reader is handed (unsigned; {@link ReportSignature}
 * signs it): A4 portrait, in Chinese with an English subtitle, the verification QR code at the top
 * right, the partners' answers, each section with its entries' sources and labelled fields, the
 * notes, and on every page the report number and 第 X 页 / 共 Y 页. The document information names
 * the report ({@value #REPORT_NUMBER}, {@value #ISSUING_NODE}, {@value #VERIFICATION_URL}) for the
 * verifier. The same report renders to the same bytes.
 */
public final class ReportPdf {

    /** Document information key: the report number. */
    public static final String REPORT_NUMBER = "ReportNumber";
    /** Document information key: the issuing node's id. */
    public static final String ISSUING_NODE = "IssuingNode";
    /** Document information key: where the report is verified (the QR code's content). */
    public static final String VERIFICATION_URL = "VerificationUrl";
    static final String CREATOR = "credit exchange gateway";
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Map<String, String> OUTCOMES = Map.of("ANSWERED", "已答复", "DENIED", "拒绝", "FAILED", "失败",
            "TIMED_OUT", "超时");
    private static final float QR_SIDE = 84;
    private static final float QR_COLUMN = 118;
    private static final float[] FIELD_COLUMNS = {128, ReportCanvas.WIDTH - 128};
    private static final float[] PARTNER_COLUMNS = {100, 36, 34, 78, 97, ReportCanvas.WIDTH - 345};
    private static final float PARTNER_SIZE = 7.5f;
    private static final float SOURCE_SIZE = 8.5f;

    private ReportPdf() {
    }

    /** The report as an unsigned PDF. */
    public static byte[] render(CreditReport report, ReportFont font) {
        try (ReportFont.Opened opened = font.open(); PDDocument document = new PDDocument()) {
            ReportCanvas canvas = new ReportCanvas(document, opened.embed(document), opened::draws);
            header(canvas, report, qr(document, report.verificationUrl()));
            subject(canvas, report.subject());
            partners(canvas, report.partners());
            for (CreditReport.Section section : report.sections()) {
                section(canvas, section);
            }
            notes(canvas, report.notes());
            canvas.footers((page, pages) -> "报告编号 " + report.number() + " · 第 " + page + " 页 / 共 " + pages + " 页");
            information(document, report);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out, CompressParameters.NO_COMPRESSION); // objects in the clear: signing appends to them
            return out.toByteArray();
        } catch (IOException | UncheckedIOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the report " + report.number() + " could not be rendered", e);
        }
    }

    /** A time as reports show it: in Asia/Shanghai, with the zone said. */
    static String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        ZonedDateTime local = instant.atZone(CHINA);
        return TIME.format(local) + " (UTC" + local.getOffset().getId().replace("Z", "+00:00") + " " + CHINA.getId() + ")";
    }

    private static void header(ReportCanvas canvas, CreditReport report, PDImageXObject qr) {
        float top = canvas.y();
        float qrX = ReportCanvas.RIGHT - QR_SIDE - (QR_COLUMN - QR_SIDE) / 2;
        canvas.image(qr, qrX, top, QR_SIDE);
        canvas.moveTo(top - QR_SIDE - 2);
        float captionX = ReportCanvas.RIGHT - QR_COLUMN;
        canvas.paragraph("扫码核验", captionX + (QR_COLUMN - canvas.width("扫码核验", 9)) / 2, QR_COLUMN, 9, ReportCanvas.TEXT, true);
        canvas.paragraph(report.verificationUrl(), captionX, QR_COLUMN, 6, ReportCanvas.MUTED, false);
        float qrBottom = canvas.y();

        canvas.moveTo(top);
        float textWidth = ReportCanvas.WIDTH - QR_COLUMN - 12;
        canvas.paragraph("信用报告", ReportCanvas.LEFT, textWidth, 24, ReportCanvas.TEXT, true);
        canvas.paragraph("Alliance credit report", ReportCanvas.LEFT, textWidth, 10, ReportCanvas.MUTED, false);
        canvas.space(8);
        String issuer = report.nodeName() + "（" + report.node() + "）";
        String[][] meta = {{"报告编号", report.number()}, {"出具机构", issuer}, {"出具时间", time(report.issuedAt())},
            {"查询用途", report.purpose()}, {"查询人", report.issuedTo()}, {"可查看类别", report.classesShown()}};
        float labelWidth = 62;
        for (String[] line : meta) {
            float rowTop = canvas.y();
            canvas.paragraph(line[0], ReportCanvas.LEFT, labelWidth, 9.5f, ReportCanvas.MUTED, false);
            canvas.moveTo(rowTop);
            canvas.paragraph(line[1], ReportCanvas.LEFT + labelWidth, textWidth - labelWidth, 9.5f, ReportCanvas.TEXT, false);
        }
        canvas.moveTo(Math.min(canvas.y(), qrBottom) - 8);
        canvas.rule(1);
        canvas.space(6);
    }

    private static void subject(ReportCanvas canvas, CreditReport.Subject subject) {
        heading(canvas, "报告主体", "Subject");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {FieldLabels.label("subjectKind"), subject.kindZh()});
        rows.add(new String[] {FieldLabels.label("partyName"), subject.name()});
        if (subject.uscc() != null && !subject.uscc().isBlank()) {
            rows.add(new String[] {FieldLabels.label("uscc"), subject.uscc()});
        }
        if (subject.maskedPersonId() != null && !subject.maskedPersonId().isBlank()) {
            rows.add(new String[] {FieldLabels.label("maskedPersonId"), subject.maskedPersonId()});
        }
        for (String[] row : rows) {
            canvas.draw(canvas.row(FIELD_COLUMNS, Arrays.asList(row), 9, true, false), () -> heading(canvas, "报告主体（续）", "Subject"));
        }
        canvas.space(10);
    }

    private static void partners(ReportCanvas canvas, List<CreditReport.PartnerOutcome> partners) {
        if (partners.isEmpty()) {
            return;
        }
        ReportCanvas.Row header = canvas.row(PARTNER_COLUMNS, List.of("城市", "结果", "记录数", "代码", "说明", "消息编号"), PARTNER_SIZE, false,
                true);
        Runnable continued = () -> {
            heading(canvas, "答复情况（续）", "Partners' answers");
            canvas.draw(header, () -> { });
        };
        canvas.keep(40 + header.height(header.lineCount()) * 2);
        heading(canvas, "答复情况", "Partners' answers");
        canvas.draw(header, () -> { });
        for (CreditReport.PartnerOutcome partner : partners) {
            String outcome = OUTCOMES.getOrDefault(partner.outcome(), partner.outcome());
            canvas.draw(canvas.row(PARTNER_COLUMNS, List.of(text(partner.nameZh()), text(outcome), String.valueOf(partner.records()),
                    text(partner.code()), text(partner.message()), text(partner.messageId())), PARTNER_SIZE, false, false), continued);
        }
        canvas.space(10);
    }

    private static void section(ReportCanvas canvas, CreditReport.Section section) {
        List<CreditReport.Entry> entries = section.entries();
        float firstBlock = 30 + (entries.isEmpty() ? 14 : sourceHeight(canvas, source(entries.get(0).source()))
                + keptTogether(canvas, entries.get(0)));
        canvas.keep(firstBlock);
        heading(canvas, section.titleZh(), section.titleEn());
        if (entries.isEmpty()) {
            canvas.paragraph(text(section.emptyNote()), ReportCanvas.LEFT, ReportCanvas.WIDTH, 9, ReportCanvas.MUTED, false);
        }
        for (int i = 0; i < entries.size(); i++) {
            CreditReport.Entry entry = entries.get(i);
            String source = source(entry.source());
            if (i > 0 && !canvas.fits(sourceHeight(canvas, source) + keptTogether(canvas, entry))) {
                canvas.newPage();
                continuedTitle(canvas, section);
            }
            canvas.paragraph(source, ReportCanvas.LEFT, ReportCanvas.WIDTH, SOURCE_SIZE, ReportCanvas.MUTED, false);
            canvas.space(2);
            Runnable continued = () -> {
                continuedTitle(canvas, section);
                canvas.paragraph(source + "（续）", ReportCanvas.LEFT, ReportCanvas.WIDTH, SOURCE_SIZE, ReportCanvas.MUTED, false);
                canvas.space(2);
            };
            for (CreditReport.Field field : entry.fields()) {
                canvas.draw(canvas.row(FIELD_COLUMNS, List.of(text(field.labelZh()), text(field.value())), 9, true, false), continued);
            }
            canvas.space(i + 1 < entries.size() ? 8 : 0);
        }
        canvas.space(12);
    }

    private static float sourceHeight(ReportCanvas canvas, String source) {
        return canvas.lines(source, SOURCE_SIZE, ReportCanvas.WIDTH).size() * canvas.lineHeight(SOURCE_SIZE) + 2;
    }

    private static void continuedTitle(ReportCanvas canvas, CreditReport.Section section) {
        canvas.paragraph(text(section.titleZh()) + "（续）", ReportCanvas.LEFT, ReportCanvas.WIDTH, 10, ReportCanvas.TEXT, true);
        canvas.space(2);
    }

    /** How much of an entry starts on one page: all of it when it is short (up to half a page), else its first field. */
    private static float keptTogether(ReportCanvas canvas, CreditReport.Entry entry) {
        float whole = 0;
        for (CreditReport.Field field : entry.fields()) {
            ReportCanvas.Row row = canvas.row(FIELD_COLUMNS, List.of(text(field.labelZh()), text(field.value())), 9, true, false);
            whole += row.height(row.lineCount());
        }
        return whole <= (ReportCanvas.TOP - ReportCanvas.BOTTOM) / 2 ? whole : firstRowHeight(canvas, entry);
    }

    private static float firstRowHeight(ReportCanvas canvas, CreditReport.Entry entry) {
        if (entry.fields().isEmpty()) {
            return 0;
        }
        CreditReport.Field first = entry.fields().get(0);
        ReportCanvas.Row row = canvas.row(FIELD_COLUMNS, List.of(text(first.labelZh()), text(first.value())), 9, true, false);
        return Math.min(row.height(row.lineCount()), 120);
    }

    /** Where an entry came from, as its source line says it. */
    static String source(CreditReport.Source source) {
        if (source.local()) {
            return "来源：本节点 " + text(source.nameZh());
        }
        StringBuilder line = new StringBuilder("来源：").append(text(source.nameZh()));
        if (source.messageId() != null) {
            line.append(" 消息编号 ").append(source.messageId());
        }
        if (source.answeredAt() != null) {
            line.append(" 答复时间 ").append(time(source.answeredAt()));
        }
        return line.append(source.signatureVerified() ? " 签名已验证" : " 签名未验证").toString();
    }

    private static void notes(ReportCanvas canvas, List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        canvas.keep(60);
        heading(canvas, "说明", "Notes");
        for (int i = 0; i < notes.size(); i++) {
            float top = canvas.y();
            canvas.paragraph((i + 1) + ".", ReportCanvas.LEFT, 16, 9, ReportCanvas.TEXT, false);
            canvas.moveTo(top);
            canvas.paragraph(notes.get(i), ReportCanvas.LEFT + 16, ReportCanvas.WIDTH - 16, 9, ReportCanvas.TEXT, false);
            canvas.space(3);
        }
    }

    private static void heading(ReportCanvas canvas, String zh, String en) {
        canvas.keep(30);
        canvas.space(4);
        float top = canvas.y();
        canvas.paragraph(text(zh), ReportCanvas.LEFT, ReportCanvas.WIDTH, 13, ReportCanvas.TEXT, true);
        if (en != null && !en.isBlank()) {
            float after = canvas.y();
            float x = ReportCanvas.LEFT + canvas.width(text(zh), 13) + 8;
            if (x + canvas.width(en, 8.5f) <= ReportCanvas.RIGHT) {
                canvas.text(en, x, ReportCanvas.baseline(top, 13), 8.5f, ReportCanvas.MUTED, false); // on the title's baseline
            }
            canvas.moveTo(Math.min(after, top - 18));
        }
        canvas.space(4);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static PDImageXObject qr(PDDocument document, String url) throws IOException {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(url, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.CHARACTER_SET, "UTF-8",
                            EncodeHintType.MARGIN, 1));
            int scale = 4;
            BufferedImage image = new BufferedImage(matrix.getWidth() * scale, matrix.getHeight() * scale, BufferedImage.TYPE_BYTE_BINARY);
            for (int x = 0; x < image.getWidth(); x++) {
                for (int y = 0; y < image.getHeight(); y++) {
                    image.setRGB(x, y, matrix.get(x / scale, y / scale) ? 0x000000 : 0xFFFFFF);
                }
            }
            return LosslessFactory.createFromImage(document, image);
        } catch (WriterException | IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the verification URL cannot be put in a QR code", e);
        }
    }

    private static void information(PDDocument document, CreditReport report) {
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle("信用报告 " + report.number());
        info.setAuthor(report.nodeName() + " (" + report.node() + ")");
        info.setCreator(CREATOR);
        info.setSubject(report.subject().name());
        GregorianCalendar issued = GregorianCalendar.from(report.issuedAt().atZone(CHINA));
        info.setCreationDate(issued);
        info.setModificationDate(issued);
        info.setCustomMetadataValue(REPORT_NUMBER, report.number());
        info.setCustomMetadataValue(ISSUING_NODE, report.node());
        info.setCustomMetadataValue(VERIFICATION_URL, report.verificationUrl());
        // the file identifier from the report, not the clock: the same report renders to the same bytes
        byte[] id = sha256(report.number() + "\n" + report.node() + "\n" + report.issuedAt());
        COSArray ids = new COSArray();
        ids.add(new COSString(Arrays.copyOf(id, 16)));
        ids.add(new COSString(Arrays.copyOf(id, 16)));
        document.getDocument().getTrailer().setItem(org.apache.pdfbox.cos.COSName.ID, ids);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
