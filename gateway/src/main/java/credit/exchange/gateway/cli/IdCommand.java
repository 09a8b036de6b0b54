package credit.exchange.gateway.cli;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.audit.AuditStore;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.Identifiers;
import credit.exchange.routes.store.IdentifierMappings;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "id", description = "Check identifiers and manage the legacy identifier mapping.",
        subcommands = {IdCommand.Check.class, IdCommand.Map.class, IdCommand.Lookup.class})
final class IdCommand {

    @Command(name = "check", description = {
        "Check identifiers of every kind the node reads.",
            "Check USCCs (GB 32100), resident ID numbers (GB 11643), organisation codes (GB 11714) and",
            "15-digit registration numbers. One line per code: VALID or INVALID, the kind, and the reason.",
            "Exit status 1 if any code is invalid."})
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "CODE")
        List<String> codes;

        @Override
        public Integer call() {
            int invalid = 0;
            for (String code : codes) {
                IdentifierCheck c = Identifiers.check(code);
                System.out.println(describe(c));
                if (!c.valid()) {
                    invalid++;
                }
            }
            return invalid == 0 ? 0 : 1;
        }

        static String describe(IdentifierCheck c) {
            return (c.valid() ? "VALID" : "INVALID") + " " + c.kind() + " " + c.input()
                    + (c.valid() ? "" : ": " + c.reason());
        }
    }

    @Command(name = "map", description = "Import legacy identifier mappings from CSV (header: legacy_code,uscc[,source]).")
    static final class Map implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Option(names = "--file", required = true, paramLabel = "FILE")
        Path file;

        @Option(names = "--source", defaultValue = "operator import", paramLabel = "TEXT", description = "where the mappings come from")
        String source;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = node.load();
            try (CreditStoreConnection store = CreditStoreConnection.open(config);
                 Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                 AuditWriter audit = new AuditWriter(new AuditStore(store.database(), config.nodeId(), config.auditChain()), 1)) {
                IdentifierMappings.ImportResult result = new IdentifierMappings(store.database()).importCsv(r, source);
                // the mappings change how identifiers resolve: an audit event naming the operator
                audit.append(List.of(AuditEvent.by(AuditEvent.ActorKind.OPERATOR, CliOperator.name(), AuditEvent.Action.IDENTIFIER_MAPPING)
                        .outcome(AuditEvent.Outcome.STORED).detail("identifier mappings from " + file.getFileName() + " (" + source + "): "
                                + result.stored() + " stored, " + result.refused().size() + " refused").build()));
                System.out.printf("%d mappings stored, %d refused%n", result.stored(), result.refused().size());
                result.refused().forEach(line -> System.out.println("  refused " + line));
                return result.refused().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "lookup", description = "Show the mappings of a legacy code or of a USCC.")
    static final class Lookup implements Callable<Integer> {

        @Mixin
        NodeOptions node;

        @Parameters(arity = "1", paramLabel = "CODE")
        String code;

        @Override
        public Integer call() throws Exception {
            try (CreditStoreConnection store = CreditStoreConnection.open(node.load())) {
                var found = new IdentifierMappings(store.database()).lookup(code);
                System.out.println(Json.write(found));
                return found.isEmpty() ? 1 : 0;
            }
        }
    }
}
