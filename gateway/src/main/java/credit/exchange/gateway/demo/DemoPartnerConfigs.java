package credit.exchange.gateway.demo;

import credit.exchange.gateway.demo.DemoAlliance.Member;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The demo members' partner files: who may ask whom for what, in which suite, which alliance
 * notices go between them, and the push flows (the cities' pulls by the province, their
 * double-publicity pushes to the nation). Written under each member's directory of the alliance.
 */
final class DemoPartnerConfigs {

    /** The alliance notices the demo's cities send each other (docs/protocol.md §13). */
    private static final List<String> NOTICE_KINDS = List.of("sanction", "sanction-response", "sanction-lift", "recognition",
            "recognition-withdrawal", "repair", "objection", "filing");

    private final DemoAlliance alliance;
    private final int basePort;

    DemoPartnerConfigs(DemoAlliance alliance, int basePort) {
        this.alliance = alliance;
        this.basePort = basePort;
    }

    /** Writes {@code self}'s partner files, one per other member. */
    void write(Member self) throws IOException {
        Path dir = alliance.root().resolve(self.id()).resolve("partner-configs");
        Files.createDirectories(dir);
        for (Member p : DemoAlliance.MEMBERS) {
            if (p.equals(self)) {
                continue;
            }
            Suite suite = DemoAlliance.suiteBetween(self.id(), p.id());
            // the alliance cities do their joint work with each other: notices go both ways between them; the
            // province and the nation take repair and objection notices of the records the cities hand them
            boolean alliance = self.level().equals("alliance-city") && p.level().equals("alliance-city");
            boolean holder = !self.level().equals("alliance-city") && p.level().equals("alliance-city");
            boolean toHolder = self.level().equals("alliance-city") && !p.level().equals("alliance-city");
            List<String> kinds = alliance ? NOTICE_KINDS : holder ? List.of("repair", "objection") : List.of();
            String yaml = """
                    # %s's configuration for partner %s, written by ./gatewayctl demo.
                    id: %s
                    name: %s
                    level: %s
                    enabled: true
                    suite: %s
                    endpoint: https://127.0.0.1:%d
                    certificate: %s.%s.pem
                    may-start:
                      query:
                        classes: [A]
                    %s
                    we-send: [query%s]
                    rate-limit: {per-second: 50, burst: 100}
                    timeouts: {connect-ms: 1000, answer-ms: 4000}
                    retry: {attempts: 2, backoff-ms: 200}
                    """.formatted(self.id(), p.id(), p.id(), p.name(), p.level(), suite, basePort + DemoAlliance.MEMBERS.indexOf(p), p.id(),
                    suite.name().toLowerCase(Locale.ROOT), String.join("\n", Stream.of(
                            p.level().equals("alliance-city") && self.id().equals("national") ? "  publicity: {}" : "",
                            kinds.isEmpty() ? "" : "  notice: {kinds: [" + String.join(", ", kinds) + "]}").filter(x -> !x.isEmpty()).toList()),
                    alliance || toHolder ? ", notice" : "").replace("\n\n", "\n") + pushFlows(self, p);
            Files.writeString(dir.resolve(p.id() + ".yaml"), yaml, StandardCharsets.UTF_8);
        }
    }

    /**
     * The push flows of the demo: every city hands the province licensing, penalty, red- and
     * black-list records to pull, Hangzhou's over SOAP and the others' over REST, and delivers
     * licensing and penalty decisions to the nation within 7 days.
     */
    private String pushFlows(Member self, Member partner) {
        boolean selfCity = self.level().equals("alliance-city");
        if (selfCity && partner.id().equals("zhejiang")) {
            return "push: {mode: pull, datasets: [licensing, penalty, redlist, blacklist], visibility-ms: 30000}\n";
        }
        if (selfCity && partner.id().equals("national")) {
            return "push: {mode: push, datasets: [licensing, penalty], deadline-days: 7,\n"
                    + "       delivery-retry: {attempts: 8, first-backoff-ms: 1000, max-backoff-ms: 60000}}\n";
        }
        if (self.id().equals("zhejiang") && partner.level().equals("alliance-city")) {
            return partner.id().equals("hangzhou")
                    ? "pull-from: {binding: soap, soap-endpoint: " + alliance.soapUrl(partner) + ", batch: 500, interval-ms: 500}\n"
                    : "pull-from: {binding: rest, batch: 500, interval-ms: 500}\n";
        }
        return "";
    }
}
