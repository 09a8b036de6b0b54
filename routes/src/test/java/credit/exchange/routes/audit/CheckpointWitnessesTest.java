package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the audit package keeps of witnessing, both ways: our checkpoints a partner has not
 * countersigned yet (oldest first, within a limit), its countersignatures (kept once), the
 * partners' checkpoints we witnessed (the first kept at a sequence number stays), and each
 * partner's standing as a witness.
 */
@ExtendWith(CleanCreditStore.class)
class CheckpointWitnessesTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private final TestNode node;
    private final CheckpointWitnesses witnesses;

    CheckpointWitnessesTest(TestNode node) {
        this.node = node;
        this.witnesses = new CheckpointWitnesses(node.database());
    }

    @Test
    void ourCheckpoints_awaitEachPartnersCountersignature_oldestFirst_untilItIsKept_once() throws SQLException {
        for (long seq = 10; seq <= 30; seq += 10) {
            checkpoint(seq, T0.plus(Duration.ofMinutes(seq)));
        }

        assertEquals(List.of(10L, 20L), witnesses.awaiting("huzhou", 2).stream().map(CheckpointWitnesses.Unwitnessed::seq).toList());
        assertArrayEquals(new byte[] {(byte) 10}, witnesses.awaiting("huzhou", 1).get(0).headHash());
        keepCountersignature(10, "huzhou", new byte[] {1});
        keepCountersignature(10, "huzhou", new byte[] {2});

        assertEquals(List.of(20L, 30L), witnesses.awaiting("huzhou", 5).stream().map(CheckpointWitnesses.Unwitnessed::seq).toList());
        assertEquals(3, witnesses.awaiting("jiaxing", 5).size(), "each partner countersigns for itself");
        assertEquals(1, node.number("select count(*) from audit_countersignature where seq = 10 and partner = 'huzhou'"
                + " and signed = '\\x01'::bytea"), "the first countersignature stays");
    }

    @Test
    void aPartnersCheckpointWeWitnessed_isKeptOnce_andFoundAgainBySequenceNumber() {
        assertEquals(Optional.empty(), witnesses.witnessed("hangzhou", 7));

        witnesses.keepWitnessed("hangzhou", 7, new byte[] {7}, new byte[] {8}, new byte[] {9});
        witnesses.keepWitnessed("hangzhou", 7, new byte[] {6}, new byte[] {6}, new byte[] {6});

        CheckpointWitnesses.Witnessed kept = witnesses.witnessed("hangzhou", 7).orElseThrow();
        assertArrayEquals(new byte[] {7}, kept.headHash());
        assertArrayEquals(new byte[] {9}, kept.countersigned());
        assertEquals(Optional.empty(), witnesses.witnessed("huzhou", 7), "another partner's trail");
    }

    @Test
    void eachPartnersStanding_countsWhatAwaitsIt_sinceTheOldest_andItsLastCountersignature() throws SQLException {
        checkpoint(1, T0);
        checkpoint(2, T0.plus(Duration.ofMinutes(5)));
        keepCountersignature(1, "huzhou", new byte[] {1});
        keepCountersignature(2, "huzhou", new byte[] {1});

        List<CheckpointWitnesses.Witness> standing = witnesses.witnesses(List.of("jiaxing", "huzhou"));

        assertEquals(List.of("huzhou", "jiaxing"), standing.stream().map(CheckpointWitnesses.Witness::partner).toList());
        CheckpointWitnesses.Witness huzhou = standing.get(0);
        assertEquals(0, huzhou.awaiting());
        assertEquals(Optional.empty(), huzhou.oldestAwaitingSince());
        assertTrue(huzhou.lastCountersignedAt().isPresent());
        CheckpointWitnesses.Witness jiaxing = standing.get(1);
        assertEquals(2, jiaxing.awaiting());
        assertEquals(Optional.of(T0), jiaxing.oldestAwaitingSince());
        assertEquals(Optional.empty(), jiaxing.lastCountersignedAt());
        assertTrue(jiaxing.lagging(T0.plus(Duration.ofMinutes(2)), Duration.ofMinutes(1)));
        assertEquals(false, jiaxing.lagging(T0.plus(Duration.ofSeconds(30)), Duration.ofMinutes(1)));
        assertEquals(List.of(), witnesses.witnesses(List.of()));
    }

    private void checkpoint(long seq, Instant at) throws SQLException {
        try (Connection c = node.database().connection(); PreparedStatement ps = c.prepareStatement(
                "insert into audit_checkpoint (seq, head_hash, at, signed) values (?, ?, ?, '\\x00'::bytea)")) {
            ps.setLong(1, seq);
            ps.setBytes(2, new byte[] {(byte) seq});
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private void keepCountersignature(long seq, String partner, byte[] countersigned) throws java.sql.SQLException {
        node.database().inTransaction(c -> {
            CheckpointWitnesses.keepCountersignature(c, seq, partner, countersigned);
            return null;
        });
    }
}
