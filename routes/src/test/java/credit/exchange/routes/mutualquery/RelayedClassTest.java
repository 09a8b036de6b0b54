package credit.exchange.routes.mutualquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A partner's label does not decide who sees its records here: this node's class for a dataset it keeps does. */
@ExtendWith(CleanCreditStore.class)
class RelayedClassTest {

    private final TestNode node;

    RelayedClassTest(TestNode node) {
        this.node = node;
    }

    private static CreditRecord labelled(String dataset, Classification label) {
        return new CreditRecord(1, dataset, label, SubjectKind.LEGAL_PERSON, "91330100716105852F", null, "某公司", null, "doc", 1, null,
                null, null, null, RecordStatus.ACTIVE, null, null, null, null, Map.of(), null);
    }

    @Test
    void aKnownDataset_isRelayedUnderThisNodesClass_anUnknownOneUnderItsLabel_orAsClassC() {
        assertEquals(Classification.C, PartnerAnswers.relayedClass(node.catalogue(), labelled("social-insurance", Classification.A)),
                "a partner calling social-insurance public does not make it public here");
        assertEquals(Classification.A, PartnerAnswers.relayedClass(node.catalogue(), labelled("licensing", Classification.C)));
        assertEquals(Classification.B, PartnerAnswers.relayedClass(node.catalogue(), labelled("energy-use", Classification.B)));
        assertEquals(Classification.C, PartnerAnswers.relayedClass(node.catalogue(), labelled("energy-use", null)));
    }
}
