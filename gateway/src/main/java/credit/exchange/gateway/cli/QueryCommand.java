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
import credit.exchange.routes.query.RecordPage;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.identity.PersonalIdProtector;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "query", description = "Print a subject's credit records as JSON (the same answer as the local API, for the operator).")
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

    @Override
    public Integer call() throws Exception {
        NodeConfig config = node.load();
        try (CreditStoreConnection store = CreditStoreConnection.open(config); // before the keys: a read makes no key file either
             AuditWriter audit = new AuditWriter(new AuditStore(store.database(), config.nodeId(), config.auditChain()), 1000)) {
            PersonalIdProtector protector = new PersonalIdProtector(PersonalIdKeys.load(config));
            // the operator's reads are audited like anyone's
            LocalQueryService service = new LocalQueryService(store.database(), CategoryCatalogue.load(store.database()),
                    new AccessPolicy(), protector, new AccessEvents(audit), new ReceivedRecords(store.database()), GatewayCtl.CLOCK);
            Caller operator = Caller.operator();
            RecordPage result = subject.uscc != null
                    ? service.byUsccWithReceived(operator, subject.uscc, LocalQueryService.Basis.NONE, page, size)
                    : subject.residentId != null ? service.byResidentId(operator, subject.residentId, page, size)
                    : service.byNamePrefix(operator, subject.name, page, size);
            System.out.println(Json.write(result));
            return 0;
        }
    }
}
