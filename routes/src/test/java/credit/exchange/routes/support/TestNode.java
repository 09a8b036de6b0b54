package credit.exchange.routes.support;

import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.ingest.BulkImporter;
import credit.exchange.routes.ingest.ImportRequest;
import credit.exchange.routes.ingest.ImportSummary;
import credit.exchange.routes.ingest.ProgressListener;
import credit.exchange.routes.ingest.QualityReport;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordDisclosure;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.IdentifierMappings;
import credit.exchange.security.Suite;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.SignedConsents;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.identity.PersonalIdProtector;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest and query side of one node, wired as the gateway wires it, over the shared test
 * credit store: importer, query service, quality report and identifier mappings. Its clock stands
 * still at {@link #TODAY} (noon in Hangzhou) so that timeliness figures do not depend on the day
 * the tests run.
 */
public final class TestNode {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    public static final LocalDate TODAY = LocalDate.of(2025, 6, 30);

    private final Database database;
    private final CategoryCatalogue catalogue;
    private final PersonalIdProtector protector;
    private final Clock clock;
    private AccessEvents accessEvents;

    private TestNode(Database database, PersonalIdProtector protector, Clock clock) {
        this.database = database;
        this.protector = protector;
        this.clock = clock;
        try {
            this.catalogue = CategoryCatalogue.load(database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the category catalogue", e);
        }
    }

    /** A node with fresh personal-ID keys over the shared store; the store is not emptied here. */
    public static TestNode onSharedStore() {
        return new TestNode(EmbeddedCreditStore.database(), Protectors.withFreshKeys(), clockAt(TODAY));
    }

    private static Clock clockAt(LocalDate day) {
        return Clock.fixed(day.atTime(LocalTime.NOON).atZone(CHINA).toInstant(), CHINA);
    }

    public Database database() {
        return database;
    }

    public PersonalIdProtector protector() {
        return protector;
    }

    public BulkImporter importer() {
        return new BulkImporter(database, catalogue, protector, clock);
    }

    public LocalQueryService queries() {
        return new LocalQueryService(database, catalogue, new AccessPolicy(), protector, accessEvents(), clock);
    }

    /** The audit trail's chain of this test node (the store's one chain: node "test-node", SM3). */
    public AuditStore audit() {
        return new AuditStore(database, "test-node", AuditChain.of(Suite.GM));
    }

    /** Access decisions recorded through one audit writer per test node. */
    public synchronized AccessEvents accessEvents() {
        if (accessEvents == null) {
            accessEvents = new AccessEvents(new AuditWriter(audit(), 1000));
        }
        return accessEvents;
    }

    /** Queries under dataset disclosures configured as {@code gateway.disclosure.<dataset>} would be. */
    public LocalQueryService queries(Map<String, String> disclosures) {
        return new LocalQueryService(database, catalogue, new AccessPolicy(RecordDisclosure.parse(disclosures, catalogue)), protector,
                accessEvents(), clock);
    }

    /** The subjects' authorisations, with no subject CA trusted (a signed consent is refused E_CERT_UNTRUSTED). */
    public SubjectAuthorisations authorisations() {
        return new SubjectAuthorisations(database, protector, new SignedConsents(List.of(), List.of(), clock));
    }

    public CategoryCatalogue catalogue() {
        return catalogue;
    }

    public QualityReport quality() {
        return new QualityReport(database);
    }

    public IdentifierMappings mappings() {
        return new IdentifierMappings(database);
    }

    /** Imports a UTF-8 or GB18030 file (charset detected) without a default department or rejects file. */
    public ImportSummary importFile(Path file, String category) {
        return importFile(new ImportRequest(file, category, null, null, null));
    }

    public ImportSummary importFile(Path file, String category, Charset charset) {
        return importFile(new ImportRequest(file, category, null, charset, null));
    }

    public ImportSummary importFile(ImportRequest request) {
        return importer().importFile(request, ProgressListener.NONE);
    }

    /** Imports identifier mappings from CSV text with a header legacy_code,uscc. */
    public IdentifierMappings.ImportResult importMappings(String csv) {
        try {
            return mappings().importCsv(new StringReader(csv), "test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number a query answers, e.g. {@code count("select count(*) from subject")}. */
    public long number(String sql, Object... arguments) {
        List<Map<String, Object>> rows = rows(sql, arguments);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalArgumentException("expected one value from: " + sql);
        }
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    public long rowCount(String table) {
        return number("select count(*) from " + table);
    }

    /** Every row a query answers, as column name to value, in the query's order. */
    public List<Map<String, Object>> rows(String sql, Object... arguments) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                ps.setObject(i + 1, arguments[i]);
            }
            List<Map<String, Object>> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    result.add(row);
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + sql, e);
        }
    }
}
