package credit.exchange.routes.mutualquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.access.SubjectAuthorisations;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.mutualquery.QueryMessages.QueryAnswer;
import credit.exchange.routes.mutualquery.QueryMessages.QueryRequest;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.query.Withheld;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.CsvTable;
import credit.exchange.routes.support.Seeds;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.access.SubjectAuthorisation;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inbound partner queries go through the same decision point as local ones: a partner granted
 * class B reads a subject's class B records only on the subject's authorisation registered at this
 * node and granted to that partner, for the purpose and dataset, until revoked; a denial is an
 * answer with its code.
 */
@ExtendWith(CleanCreditStore.class)
class PartnerQueryAuthorisationTest {

    private final TestNode node;
    private PartnerQueryHandler handler;
    private SubjectAuthorisations authorisations;
    private String uscc;
    private final Partner huzhou = new Partner("huzhou", "huzhou", Partner.Level.ALLIANCE_CITY, true, URI.create("https://127.0.0.1:1"),
            Suite.GM, null, Optional.of(new PartnerGrant(Set.of(Classification.A, Classification.B), Set.of(), Map.of())), Set.of(),
            false, Set.of(), Optional.empty(), Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4), Path.of("huzhou.yaml"));

    PartnerQueryAuthorisationTest(TestNode node) {
        this.node = node;
    }

    @BeforeEach
    void aCompanyWithALicenceAndATaxRating() throws Exception {
        Path dir = Files.createTempDirectory("partner-b");
        CsvTable licence = Seeds.companyRows(Seeds.SEED, "licensing", 1, dir);
        uscc = licence.get(1, "XK_XDR_SHXYM");
        node.importFile(licence.write(dir.resolve("licence.csv")), "licensing");
        CsvTable tax = Seeds.companyRows(Seeds.SEED + 3, "redlist", 1, dir).set(1, "MD_XDR_SHXYM", uscc);
        assertEquals(1, node.importFile(tax.write(dir.resolve("tax.csv")), "tax").stored());
        authorisations = node.authorisations();
        handler = new PartnerQueryHandler(node.queries(), authorisations);
    }

    @Test
    void classB_onlyOnTheSubjectsAuthorisationToThePartner() {
        assertEquals(Set.of("licensing"), categories(ask(null, null)), "without datasets: what it may read");
        assertDenied(ask(null, List.of("tax")), "E_AUTHORIZATION_REQUIRED");
        assertDenied(ask(UUID.randomUUID().toString(), List.of("tax")), "E_AUTHORIZATION_REQUIRED");

        SubjectAuthorisation toHuzhou = register("huzhou");
        SubjectAuthorisation toSomeoneElse = register("jiaxing");
        assertEquals(Set.of("tax"), categories(ask(toHuzhou.id(), List.of("tax"))));
        assertEquals(Set.of("licensing", "tax"), categories(ask(toHuzhou.id(), null)));
        assertDenied(ask(toSomeoneElse.id(), List.of("tax")), "E_AUTHORIZATION_GRANTEE");

        authorisations.revoke(toHuzhou.id(), "the subject");
        assertDenied(ask(toHuzhou.id(), List.of("tax")), "E_AUTHORIZATION_REVOKED");
    }

    /** The answer counts what it withheld, per reason, in an optional field that older readers ignore. */
    @Test
    void answer_withoutTheAuthorisation_saysHowManyRecordsItWithheldAndWhy() {
        QueryAnswer answer = ask(null, null);

        assertEquals(Set.of("licensing"), categories(answer));
        assertEquals(List.of(Withheld.of(ErrorCode.E_AUTHORIZATION_REQUIRED, 1)), answer.withheld());
        String json = new String(QueryMessages.write(answer), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"withheld\""), json);

        QueryAnswer withAuthorisation = ask(register("huzhou").id(), null);
        assertEquals(Set.of("licensing", "tax"), categories(withAuthorisation));
        assertEquals(List.of(), withAuthorisation.withheld());
        assertFalse(new String(QueryMessages.write(withAuthorisation), java.nio.charset.StandardCharsets.UTF_8).contains("withheld"),
                "nothing withheld: the field is absent, as in answers of earlier nodes");
        // an earlier node's answer, without the field, still reads
        QueryAnswer earlier = QueryMessages.read("{\"status\":\"ANSWERED\",\"uscc\":\"x\",\"records\":[],\"truncated\":false}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), QueryAnswer.class);
        assertTrue(earlier.withheld() == null || earlier.withheld().isEmpty());
    }

    private SubjectAuthorisation register(String grantee) {
        return authorisations.register(new SubjectAuthorisations.Registration(uscc, grantee, "tender review", Set.of("tax"),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), Optional.of("consent 9"), Optional.empty(), "operator"));
    }

    private QueryAnswer ask(String authorisation, List<String> datasets) {
        byte[] payload = QueryMessages.write(new QueryRequest(uscc, "officer@huzhou", "tender review", authorisation, datasets));
        OpenedEnvelope request = new OpenedEnvelope(new ExchangeHeaders(UUID.randomUUID().toString(), "huzhou", "hangzhou", "query",
                null, Instant.now()), payload, null, new byte[32]);
        return QueryMessages.read(handler.answer(huzhou, request), QueryAnswer.class);
    }

    private static void assertDenied(QueryAnswer answer, String code) {
        assertEquals(QueryAnswer.DENIED, answer.status());
        assertEquals(code, answer.code());
        assertTrue(answer.records().isEmpty(), "no data at all");
    }

    private static Set<String> categories(QueryAnswer answer) {
        assertEquals(QueryAnswer.ANSWERED, answer.status(), answer.message());
        return answer.records().stream().map(CreditRecord::category).collect(Collectors.toSet());
    }
}
