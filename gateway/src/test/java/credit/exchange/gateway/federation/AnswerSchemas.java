package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.infra.CreditStoreConnection;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.PayloadSchemas;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.VerifiedContent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;

/**
 * The node's real answers against docs/schemas/&lt;type&gt;.answer.schema.json: an answer payload
 * that disagrees with its schema fails the test, naming the field.
 */
final class AnswerSchemas {

    private AnswerSchemas() {
    }

    /** @param answerType the answer's exchange type attribute, e.g. {@code query-answer} */
    static void assertValid(String answerType, byte[] payload) throws Exception {
        assertTrue(answerType.endsWith("-answer"), answerType);
        String schema = answerType.substring(0, answerType.length() - "-answer".length()) + ".answer.schema.json";
        List<PayloadSchemas.Problem> problems = PayloadSchemas.problems(PayloadSchemas.schema(schema), Json.mapper().readTree(payload));
        assertEquals(List.of(), problems, answerType + " " + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Every answer {@code answering} keeps for duplicates (exchange_message), opened with the keys
     * of the requester it was sealed to, checked against its type's schema.
     *
     * @param requesters the nodes whose answers to check, by node id (others are skipped)
     * @return the answer types checked
     */
    static Set<String> assertKeptAnswersValid(NodeConfig answering, Map<String, NodeConfig> requesters) throws Exception {
        Set<String> types = new TreeSet<>();
        try (var store = CreditStoreConnection.open(answering); Connection c = store.database().connection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select sender, answer from exchange_message where answer is not null")) {
            while (rs.next()) {
                NodeConfig requester = requesters.get(rs.getString(1));
                if (requester == null) {
                    continue;
                }
                byte[] sealed = rs.getBytes(2);
                NodeEnvelopes envelopes = NodeIdentity.load(requester, Clock.systemUTC()).orElseThrow()
                        .envelopes(new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC());
                // the cryptographic layer only: a kept answer may be older than the freshness window
                VerifiedContent answer = envelopes.suite(NodeEnvelopes.suiteOf(sealed, EnvelopePolicy.DEFAULT)).openContent(sealed);
                Attribute type = answer.signedAttributes().get(ExchangeAttributes.EXCHANGE_TYPE);
                String answerType = ((ASN1String) type.getAttrValues().getObjectAt(0)).getString();
                assertValid(answerType, answer.payload());
                types.add(answerType);
            }
        }
        return types;
    }
}
