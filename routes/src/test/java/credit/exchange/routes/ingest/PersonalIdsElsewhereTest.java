package credit.exchange.routes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import credit.exchange.security.identity.ResidentIdFinder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The outside tester's finding (issue 18): resident ID numbers a department puts in free text or
 * in another identifier's column were stored and served in the clear. A valid number and one with
 * a wrong check character (a typo still identifies a person), in content, remarks and the tax
 * registration number column: after the import neither is in the clear in any table, query answer
 * (anonymous or operator), rejects file or log line, and inbox files leave nothing readable behind.
 */
@ExtendWith(CleanCreditStore.class)
class PersonalIdsElsewhereTest {

    private static final int ROWS = 8;
    private static final int IN_TEXT = 1;
    private static final int IN_REMARKS = 2;
    private static final int IN_DOCUMENT_NUMBER = 3;
    private static final int REPRESENTATIVE_TYPO = 4;
    private static final int IN_AUTHORITY_CODE = 5;

    private final TestNode node;
    private final String valid;
    private final String nearValid;
    private CsvTable penalties;
    private ListAppender<ILoggingEvent> log;

    @TempDir
    Path dir;

    PersonalIdsElsewhereTest(TestNode node) {
        this.node = node;
        var ids = Seeds.identifiers(1818);
        this.valid = ids.residentId();
        String other = ids.residentId();
        String typo = other.substring(0, 17) + (other.charAt(17) == '0' ? '1' : '0');
        this.nearValid = ResidentIdFinder.find(typo).get(0).kind() == ResidentIdFinder.Kind.NEAR_VALID ? typo
                : other.substring(0, 17) + (other.charAt(17) == '2' ? '3' : '2');
    }

    @BeforeEach
    void penaltiesWithIdNumbersOutsideTheIdColumns() {
        assertEquals(ResidentIdFinder.Kind.VALID, ResidentIdFinder.find(valid).get(0).kind());
        assertEquals(ResidentIdFinder.Kind.NEAR_VALID, ResidentIdFinder.find(nearValid).get(0).kind());
        penalties = Seeds.companyRows(Seeds.SEED, "penalty", ROWS, dir);
        penalties.set(IN_TEXT, "CF_NR", "经查，当事人法定代表人（身份证号：" + valid + "）未取得许可。")
                .set(IN_TEXT, "CF_XDR_SWDJ", nearValid);
        penalties.set(IN_REMARKS, "BZ", "经办人" + nearValid.toLowerCase() + "；复核人" + valid)
                .set(IN_REMARKS, "CF_SY", valid);
        penalties.set(IN_DOCUMENT_NUMBER, "CF_WSH", "杭罚" + valid);
        penalties.set(REPRESENTATIVE_TYPO, "CF_FR_ZJLX", "身份证").set(REPRESENTATIVE_TYPO, "CF_FR_ZJHM", nearValid);
        penalties.set(IN_AUTHORITY_CODE, "CF_CFJGDM", valid);

        log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        ((Logger) LoggerFactory.getLogger("credit.exchange")).setLevel(Level.ALL);
    }

    @AfterEach
    void stopCapturingLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger("credit.exchange")).setLevel(null);
    }

    @Test
    void import_idsInTextAndOtherColumns_areInNoTableInTheClear() {
        ImportSummary summary = node.importFile(new ImportRequest(penalties.write(dir.resolve("penalty.csv")), "penalty",
                null, null, dir.resolve("rejects/penalty.csv.rejects.csv")));

        assertEquals(ROWS - 3, summary.stored(), summary.firstDefects().toString());
        assertNoTableHoldsTheNumbers();
    }

    @Test
    void import_storesTheMaskInTheText_andTheNumbersSealedForTheNode() {
        node.importFile(penalties.write(dir.resolve("penalty.csv")), "penalty");

        Map<String, Object> record = node.rows("select content, attributes::text as attributes, personal_ids_sealed"
                + " from credit_record where document_number = ?", penalties.get(IN_TEXT, "CF_WSH")).get(0);

        assertEquals("经查，当事人法定代表人（身份证号：" + ResidentIdNumber.mask(valid) + "）未取得许可。", record.get("content"));
        assertTrue(((String) record.get("attributes")).contains(ResidentIdNumber.mask(nearValid)), (String) record.get("attributes"));
        assertEquals("CF_XDR_SWDJ=" + nearValid + "\nCF_NR=" + valid,
                node.protector().unseal((byte[]) record.get("personal_ids_sealed")));
        assertEquals(1L, node.number("select count(*) from credit_record where personal_ids_sealed is null and document_number = ?",
                penalties.get(ROWS, "CF_WSH")), "a row without numbers seals nothing");
    }

    @Test
    void import_rowsKeyedOrIdentifiedByANumber_areRejectedWithoutEchoingIt() throws IOException {
        Path rejects = dir.resolve("rejects/penalty.csv.rejects.csv");

        ImportSummary summary = node.importFile(new ImportRequest(penalties.write(dir.resolve("penalty.csv")), "penalty",
                null, null, rejects));

        assertEquals(List.of(
                        new RejectAt(IN_DOCUMENT_NUMBER, "CF_WSH", ErrorCode.E_FIELD_INVALID),
                        new RejectAt(REPRESENTATIVE_TYPO, "CF_FR_ZJHM", ErrorCode.E_IDENTIFIER_INVALID),
                        new RejectAt(IN_AUTHORITY_CODE, "CF_CFJGDM", ErrorCode.E_IDENTIFIER_INVALID)),
                summary.firstDefects().stream().map(d -> new RejectAt(d.rowNumber(), d.field(), d.code())).toList());
        assertNothingOfTheNumbersIn("rejects file", Files.readString(rejects, StandardCharsets.UTF_8));
        assertNothingOfTheNumbersIn("summary", summary.toString());
    }

    @Test
    void import_twice_storesNothingTheSecondTime() {
        Path file = penalties.write(dir.resolve("penalty.csv"));
        ImportSummary first = node.importFile(file, "penalty");

        ImportSummary second = node.importFile(file, "penalty");

        assertEquals(0, second.stored());
        assertEquals(first.stored(), second.duplicates(), "the digest, over the numbers' keyed hashes, is stable");
    }

    @Test
    void queries_anonymousAndOperator_answerOnlyTheMask() {
        node.importFile(penalties.write(dir.resolve("penalty.csv")), "penalty");

        for (int row : List.of(IN_TEXT, IN_REMARKS)) {
            String uscc = penalties.get(row, "CF_XDR_SHXYM");
            for (Caller caller : List.of(Caller.anonymous(), Caller.operator())) {
                RecordPage page = node.queries().byUscc(caller, uscc, 0, 50);
                assertFalse(page.records().isEmpty(), caller + " sees the class A record");
                for (CreditRecord record : page.records()) {
                    assertNothingOfTheNumbersIn(caller.kind() + " answer", record.toString());
                }
            }
        }
        CreditRecord operatorView = node.queries().byUscc(Caller.operator(), penalties.get(IN_TEXT, "CF_XDR_SHXYM"), 0, 50)
                .records().stream().filter(r -> r.documentNumber().equals(penalties.get(IN_TEXT, "CF_WSH"))).findFirst().orElseThrow();
        assertTrue(operatorView.content().contains(ResidentIdNumber.mask(valid)), operatorView.content());
    }

    @Test
    void query_recordStoredInTheClearByAnEarlierVersion_isAnsweredMasked() {
        node.importFile(penalties.write(dir.resolve("penalty.csv")), "penalty");
        String documentNumber = penalties.get(ROWS, "CF_WSH");
        node.rows("update credit_record set content = ?, attributes = jsonb_build_object('BZ', ?::text) where document_number = ?"
                + " returning id", "旧数据 " + valid, nearValid, documentNumber);

        for (CreditRecord record : node.queries().byUscc(Caller.anonymous(), penalties.get(ROWS, "CF_XDR_SHXYM"), 0, 50).records()) {
            assertNothingOfTheNumbersIn("answer", record.toString());
        }
    }

    @Test
    void import_naturalPersonsOwnNumberInTheirUsccAndTaxColumns_isStoredAndAnsweredMasked() {
        CsvTable licences = Seeds.rows(Seeds.SEED, "licensing", 30, 30, dir);
        int person = 1;
        while (!licences.get(person, "XK_XDR_LB").equals("自然人")) {
            person++;
        }
        String own = licences.get(person, "XK_XDR_ZJHM");
        licences.set(person, "XK_XDR_SHXYM", own).set(person, "XK_XDR_SWDJ", own)
                .set(person, "XK_NR", "许可内容，经办人身份证" + valid);

        ImportSummary summary = node.importFile(licences.write(dir.resolve("licensing.csv")), "licensing");

        assertEquals(licences.size(), summary.stored(), summary.firstDefects().toString());
        assertNoTableHoldsTheNumbers();
        for (Map<String, Object> row : node.rows("select row_to_json(r)::text as dump from credit_record r")) {
            assertFalse(((String) row.get("dump")).contains(own.substring(6, 17)), "the person's own number in the clear");
        }
        for (Caller caller : List.of(Caller.operator(), Caller.anonymous())) {
            for (CreditRecord record : node.queries().byResidentId(caller, own, 0, 50).records()) {
                assertFalse(record.toString().contains(own.substring(6, 17)), caller.kind() + " answer: " + record);
                assertNothingOfTheNumbersIn(caller.kind() + " answer", record.toString());
            }
        }
        assertEquals(1, node.queries().byResidentId(Caller.operator(), own, 0, 50).records().size());
    }

    @Test
    void inbox_fileNamedAfterAPerson_isImportedDeleted_andLeavesOwnerOnlyRejects() throws IOException {
        Path inbox = dir.resolve("inbox");
        Path dropped = penalties.write(Files.createDirectories(inbox.resolve("penalty")).resolve("penalty-" + valid + ".csv"));
        IngestRoutes routes = new IngestRoutes(node.importer(), null, node.quality(), inbox, dir.resolve("work"));

        routes.importInboxFile(dropped);

        assertFalse(Files.exists(dropped), "the original is deleted once imported");
        assertFalse(Files.exists(inbox.resolve(".done")));
        assertEquals(ROWS - 3, node.number("select count(*) from credit_record"));
        Path rejectsDir = inbox.resolve(".rejects/penalty");
        List<Path> rejects = list(rejectsDir);
        assertEquals(1, rejects.size());
        assertEquals("rwx------", mode(inbox.resolve(".rejects")));
        assertEquals("rwx------", mode(rejectsDir));
        assertEquals("rw-------", mode(rejects.get(0)));
        assertNothingOfTheNumbersIn("rejects file name", rejects.get(0).getFileName().toString());
        assertNothingOfTheNumbersIn("rejects file", Files.readString(rejects.get(0), StandardCharsets.UTF_8));
        assertNoTableHoldsTheNumbers();
        assertNothingOfTheNumbersIn("log", logText());
    }

    @Test
    void inbox_fileThatCannotBeImported_isKeptOwnerOnlyInFailed() throws IOException {
        Path inbox = dir.resolve("inbox");
        Path dropped = penalties.write(Files.createDirectories(inbox.resolve("no-such-type")).resolve("list.csv"));
        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-r--r--"));

        new IngestRoutes(node.importer(), null, node.quality(), inbox, dir.resolve("work")).importInboxFile(dropped);

        assertFalse(Files.exists(dropped));
        Path kept = inbox.resolve(".failed/no-such-type/list.csv");
        assertTrue(Files.exists(kept));
        assertEquals("rw-------", mode(kept));
        assertEquals("rwx------", mode(kept.getParent()));
        assertEquals("rwx------", mode(inbox.resolve(".failed")));
        assertNothingOfTheNumbersIn("log", logText());
    }

    @Test
    void upload_isOwnerOnlyWhileImported_andGoneAfter() throws IOException {
        Path work = dir.resolve("work");
        byte[] csv = Files.readAllBytes(penalties.write(dir.resolve("penalty.csv")));
        List<String> modesWhileReading = new ArrayList<>();
        InputStream bytes = new ByteArrayInputStream(csv);
        InputStream body = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (modesWhileReading.isEmpty()) {
                    modesWhileReading.add(mode(work));
                    list(work).forEach(f -> modesWhileReading.add(mode(f)));
                }
                return bytes.read(b, off, len);
            }
        };

        ImportSummary summary = new IngestRoutes(node.importer(), null, node.quality(), dir.resolve("inbox"), work)
                .importUpload(body, "penalty", null, ImportRequest.Sender.OPERATOR, null);

        assertEquals(ROWS - 3, summary.stored());
        assertEquals(List.of("rwx------", "rw-------"), modesWhileReading);
        assertEquals(List.of(), list(work));
        assertNothingOfTheNumbersIn("log", logText());
    }

    @Test
    void restrictLeftovers_ofAnEarlierVersion_areMadeOwnerOnly() throws IOException {
        Path inbox = dir.resolve("inbox");
        Path old = Files.createDirectories(inbox.resolve(".done/penalty")).resolve("penalty-20250101.csv");
        Files.writeString(old, "MD_XDR_MC\n" + valid + "\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(old.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        new IngestRoutes(node.importer(), null, node.quality(), inbox, dir.resolve("work")).restrictLeftovers();

        assertEquals("rw-------", mode(old));
        assertEquals("rwx------", mode(old.getParent()));
        assertEquals("rwx------", mode(inbox.resolve(".done")));
    }

    private record RejectAt(int row, String field, ErrorCode code) {
    }

    private void assertNoTableHoldsTheNumbers() {
        List<Map<String, Object>> tables = node.rows("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type = 'BASE TABLE'");
        assertTrue(tables.size() > 10, "tables: " + tables);
        for (Map<String, Object> table : tables) {
            String name = (String) table.get("table_name");
            for (Map<String, Object> row : node.rows("select row_to_json(t)::text as dump from \"" + name + "\" t")) {
                assertNothingOfTheNumbersIn("table " + name, (String) row.get("dump"));
            }
        }
    }

    /** Neither number, nor its birth date and sequence (what the mask hides), nor its bytes as hex. */
    private void assertNothingOfTheNumbersIn(String where, String text) {
        for (String id : List.of(valid, nearValid)) {
            String hidden = id.substring(6, 17);
            String hex = HexFormat.of().formatHex(id.substring(0, 17).getBytes(StandardCharsets.US_ASCII));
            String shown = text.replace(id, ResidentIdNumber.mask(id));
            assertFalse(text.contains(hidden), where + " holds " + ResidentIdNumber.mask(id) + " in the clear: " + shown);
            assertFalse(text.contains(hex), where + " holds " + ResidentIdNumber.mask(id) + " as bytes");
        }
    }

    private String logText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : log.list) {
            text.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
