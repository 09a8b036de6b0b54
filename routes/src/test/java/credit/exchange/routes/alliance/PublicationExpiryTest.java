package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.access.Caller;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads and the publication-expiry job apply one rule (RecordStatus): what the job withdraws as
 * EXPIRED is what no read served already, and the job changes no answer.
 */
@ExtendWith(CleanCreditStore.class)
class PublicationExpiryTest {

    private final TestNode node;

    @TempDir
    Path dir;

    PublicationExpiryTest(TestNode node) {
        this.node = node;
    }

    @Test
    void expiryJob_withdrawsExactlyWhatReadsNoLongerServe_andChangesNoAnswer() {
        CsvTable penalties = Seeds.companyRows(Seeds.SEED, "penalty", 2, dir);
        String uscc = penalties.get(1, "CF_XDR_SHXYM");
        penalties.set(2, "CF_XDR_SHXYM", uscc).set(2, "CF_XDR_MC", penalties.get(1, "CF_XDR_MC"))
                .set(1, "CF_JDRQ", "2016-11-14").set(1, "CF_GSJZQ", "2019-11-14")
                .set(2, "CF_GSJZQ", "2099-12-31");
        assertEquals(2, node.importFile(penalties.write(dir.resolve("penalties.csv")), "penalty").stored());
        Set<String> before = served(uscc);

        int expired = new CreditRepairs(node.database(), new AllianceNotices(node.database(), java.time.Clock.systemUTC()), "test-node", java.time.Clock.systemUTC()).expire(1000);

        assertEquals(1, expired);
        assertEquals(Set.of(penalties.get(2, "CF_WSH")), before);
        assertEquals(before, served(uscc), "the job withdrew what no read served; every answer stays as it was");
        assertEquals(List.of("WITHDRAWN"), node.rows("select status from credit_record where document_number = ?",
                penalties.get(1, "CF_WSH")).stream().map(r -> String.valueOf(r.get("status"))).toList());
        assertEquals(List.of("EXPIRED"), node.rows("select reason from credit_repair where document_number = ?",
                penalties.get(1, "CF_WSH")).stream().map(r -> String.valueOf(r.get("reason"))).toList());
    }

    private Set<String> served(String uscc) {
        return node.queries().byUscc(Caller.operator(), uscc, 0, 50).records().stream().map(CreditRecord::documentNumber)
                .collect(Collectors.toSet());
    }
}
