package credit.exchange.gateway.cli;

import credit.exchange.routes.partner.ConfigProblem;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.partner.PartnerDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatewayctl partners}: the partner configurations. */
@Command(name = "partners", description = "Partner configurations (partner-configs/).",
        subcommands = {PartnersCommand.Validate.class})
final class PartnersCommand {

    @Command(name = "validate", description = "Check partner files offline, as the node would at start:"
            + " schema, file name, certificate; warn of what a file lacks for the work it sets up. Exit 0 if all are valid, 1 if any is not.")
    static final class Validate implements Callable<Integer> {

        @Parameters(index = "0", defaultValue = "partner-configs", paramLabel = "DIR")
        Path directory;

        @Option(names = "--certificates", paramLabel = "DIR",
                description = "where relative certificate paths are resolved (default: DIR)")
        Path certificates;

        @Override
        public Integer call() {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException(directory + " is not a directory");
            }
            PartnerDirectory partners = new PartnerDirectory(directory, certificates == null ? directory : certificates);
            PartnerDirectory.Reload result = partners.reload();
            partners.all().stream().sorted(Comparator.comparing(Partner::id)).forEach(p -> System.out.printf(
                    "ok       %-10s %-4s %-13s %s  %s%n", p.id(), p.suite(), p.level().configName(),
                    p.enabled() ? "enabled " : "disabled", p.source().getFileName()));
            partners.all().stream().sorted(Comparator.comparing(Partner::id)).flatMap(p -> p.gaps().stream())
                    .forEach(gap -> System.out.println("warning  " + gap));
            for (ConfigProblem problem : result.problems()) {
                System.out.println("invalid  " + problem);
            }
            System.out.printf("%d valid, %d problems%n", partners.all().size(), result.problems().size());
            return result.problems().isEmpty() ? 0 : 1;
        }
    }
}
