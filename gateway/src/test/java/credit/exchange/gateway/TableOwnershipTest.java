package credit.exchange.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owning package of routes/, which alone names it in SQL; every other package (the gateway's
 * demo, benches, CLI and operations included) uses the owner's typed operations. A schema change then shows in
 * one package and the compiler finds its callers. Migrations are exempt.
 */
class TableOwnershipTest {

    private static final Path MIGRATIONS = ProjectSources.ROOT.resolve("routes/src/main/resources/db/migration");

    /** Table → the routes/ package that owns it (issue 21's ownership map). */
    private static final Map<String, String> OWNERS = owners(Map.of(
            "audit", "audit_event audit_chain_head audit_checkpoint audit_countersignature audit_witnessed audit_purge",
            "delivery", "outbox outbox_attempt",
            "push", "push_subscription pull_receipt received_batch received_delivery"
                    + " withdrawn_message objected_message",
            "alliance", "alliance_notice alliance_notice_answer alliance_received credit_list_entry credit_objection"
                    + " credit_repair credit_service_filing recognition_withdrawal",
            "exchange", "exchange_message sent_exchange",
            "access", "subject_authorisation",
            "ingest", "import_run import_quality import_reject",
            "store", "credit_record subject record_category identifier_mapping",
            "report", "credit_report"));

    private static final String ROUTES = "routes/src/main/java/credit/exchange/routes/";
    private static final String GATEWAY = "gateway/src/main/java/credit/exchange/gateway/";
    private static final String TO_MOVE = "to move behind the owner's typed operation";

    /**
     * Named exceptions, "source table" → why. A bench may keep bare SQL only where bare SQL is what it measures
     * (a bound of docs/PERFORMANCE.md). Entries marked "to move" are violations still waiting for their owner's
     * operation: the list may only shrink, and an entry that no longer matches fails the test until deleted.
     */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry(GATEWAY + "bench/LookupBench.java subject",
                    "the bound of docs/PERFORMANCE.md, select id from subject where uscc = ?, measured bare next to the local query")
    );

    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)");
    private static final Pattern DROP_TABLE = Pattern.compile("(?i)drop\\s+table\\s+(?:if\\s+exists\\s+)?(\\w+)");
    private static final Pattern ROUTES_PACKAGE = Pattern.compile("routes/src/main/java/credit/exchange/routes/(\\w+)/.*");

    @Test
    void everyTableOfTheMigrationsHasExactlyOneOwner() {
        assertEquals(new TreeSet<>(migrationTables()), new TreeSet<>(OWNERS.keySet()),
                "a new table is given its owning package here, in the same commit as its migration");
    }

    @Test
    void noTableIsNamedInSqlOutsideItsOwningPackage() {
        SqlTableScanner scanner = new SqlTableScanner(OWNERS.keySet());
        Map<String, String> violations = new TreeMap<>();
        for (String module : List.of("security", "routes", "gateway")) {
            for (Path source : ProjectSources.files(ProjectSources.ROOT.resolve(module).resolve("src/main/java"), ".java")) {
                String relative = ProjectSources.relative(source);
                Matcher routes = ROUTES_PACKAGE.matcher(relative);
                String owner = routes.matches() ? routes.group(1) : null;
                for (SqlTableScanner.Use use : scanner.scan(ProjectSources.read(source))) {
                    if (!OWNERS.get(use.table()).equals(owner)) {
                        violations.putIfAbsent(relative + " " + use.table(),
                                relative + ":" + use.line() + " names " + use.table() + ", owned by routes/" + OWNERS.get(use.table()));
                    }
                }
            }
        }
        Set<String> unexplained = new TreeSet<>(violations.keySet());
        unexplained.removeAll(ALLOWED.keySet());
        Set<String> stale = new TreeSet<>(ALLOWED.keySet());
        stale.removeAll(violations.keySet());
        assertTrue(unexplained.isEmpty(), "tables named in SQL outside their owning package (use the owner's typed operation):\n"
                + unexplained.stream().map(violations::get).collect(Collectors.joining("\n")));
        assertTrue(stale.isEmpty(), "allowed exceptions that no longer occur; delete them: " + stale);
    }

    @Test
    void theScannerFindsTablesInSqlAndNotInProseOrComments() {
        SqlTableScanner scanner = new SqlTableScanner(List.of("outbox", "subject", "credit_record", "audit_event", "audit_chain_head"));
        String source = """
                class Planted {
                    // select * from outbox    (a comment, not SQL)
                    /* insert into subject */
                    String prose = "the subject's authorisation comes from the subject";
                    String word = "outbox";
                    String insert = "insert into outbox (partner, payload) values (?, ?)";
                    String block = \"""
                            select r.id
                              from credit_record r, subject s
                             where s.id = r.subject_id\""";
                    String qualified = "select subject.uscc";
                    String list = "truncate audit_event, audit_chain_head";
                    char quote = '"';
                    String after = "update outbox set state = 'DEAD'";
                }
                """;
        assertEquals(List.of(
                        new SqlTableScanner.Use("outbox", 6),
                        new SqlTableScanner.Use("credit_record", 7),
                        new SqlTableScanner.Use("subject", 7),
                        new SqlTableScanner.Use("subject", 11),
                        new SqlTableScanner.Use("audit_event", 12),
                        new SqlTableScanner.Use("audit_chain_head", 12),
                        new SqlTableScanner.Use("outbox", 14)),
                scanner.scan(source));
    }

    private static Map<String, String> owners(Map<String, String> tablesByOwner) {
        Map<String, String> owners = new TreeMap<>();
        tablesByOwner.forEach((owner, tables) -> {
            for (String table : tables.split(" ")) {
                owners.put(table, owner);
            }
        });
        return owners;
    }

    /** The tables the migrations create and none drops (a dropped table is not created again). */
    private static Set<String> migrationTables() {
        Set<String> tables = new TreeSet<>();
        Set<String> dropped = new TreeSet<>();
        for (Path migration : ProjectSources.files(MIGRATIONS, ".sql")) {
            String sql = ProjectSources.read(migration);
            Matcher m = CREATE_TABLE.matcher(sql);
            while (m.find()) {
                tables.add(m.group(1).toLowerCase(Locale.ROOT));
            }
            Matcher d = DROP_TABLE.matcher(sql);
            while (d.find()) {
                dropped.add(d.group(1).toLowerCase(Locale.ROOT));
            }
        }
        tables.removeAll(dropped);
        return tables;
    }
}
