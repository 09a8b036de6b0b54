package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.PersonalIdKeys;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.push.ReceivedRecords;
import credit.exchange.routes.query.LocalQueryService;
import credit.exchange.routes.query.RecordExport;
import credit.exchange.routes.query.RecordQuery;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.identity.PersonalIdProtector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "query", description = "Print a subject's credit records as JSON (the same answer as the local API, for the operator),"
        + " or write them all as CSV (--csv: UTF-8 with BOM, Chinese headers, formula-looking cells neutralised; an audited export).")
final class QueryCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @ArgGroup(multiplicity = "1")
    Subject subject;

    static final class Subject {
        @Option(names = "--uscc", paramLabel = "CODE", description = "unified social credit code")
        String uscc;

        @Option(names = "--id", paramLabel = "NUMBER", description = "resident ID number (never printed back)")
        String residentId;

        @Option(names = "--name", paramLabel = "PREFIX", description = "subject name prefix")
        String name;
    }

    @Option(names = "--page", defaultValue = "0")
    int page;

    @Option(names = "--size", defaultValue = "50")
    int size;

    @Option(names = "--csv", description = "every record (at most 5000; --page and --size do not apply) as CSV, as GET /api/v1/records?format=csv")
    boolean csv;

    @Option(names = "--out", paramLabel = "FILE", description = "with --csv: write the file here (default: standard output)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null && !csv) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "--out goes with --csv");
        }
        NodeConfig config = node.load();
        try (CreditStoreConnection store = CreditStoreConnection.open(config); // before the keys: a read makes no key file either
             AuditWriter audit = new AuditWriter(new AuditStore(store.database(), config.nodeId(), config.auditChain()), 1000)) {
            PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
            // the operator's reads are audited like anyone's
            CategoryCatalogue catalogue = CategoryCatalogue.load(store.database());
            LocalQueryService service = new LocalQueryService(store.database(), catalogue,
                    new AccessPolicy(), protector, new AccessEvents(audit), new ReceivedRecords(), GatewayCtl.CLOCK);
            Caller operator = Caller.operator();
            RecordQuery query = subject.uscc != null ? RecordQuery.uscc(subject.uscc, LocalQueryService.Basis.NONE)
                    : subject.residentId != null ? RecordQuery.residentId(subject.residentId, LocalQueryService.Basis.NONE)
                    : RecordQuery.namePrefix(subject.name);
            if (!csv) {
                System.out.println(Json.write(service.page(operator, query, page, size)));
                return 0;
            }
            RecordExport.Exported file = new RecordExport(service, catalogue, audit, GatewayCtl.CLOCK).export(operator, query);
            if (out == null) {
                System.out.write(file.csv());
                System.out.flush();
            } else {
                Files.write(out, file.csv());
                System.err.println(file.rows() + " records written to " + out);
            }
            return 0;
        }
    }
}
