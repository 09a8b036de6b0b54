package credit.exchange.security.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Suite;
import credit.exchange.security.audit.ChainVerifier.BreakKind;
import credit.exchange.security.audit.ChainVerifier.ChainedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of break, made to a chain in memory as someone with write access to the table would
 * make it: the verifier reports the first broken sequence number and the kind.
 */
class ChainVerifierTest {

    private static final Instant T0 = Instant.parse("2026-11-27T03:00:00Z");

    private static AuditRecord event(long seq, String actor) {
        return new AuditRecord(seq, T0.plusMillis(seq), "hangzhou", "PARTNER", actor, actor, "access", "U:91330100716105852F", "A",
                "penalty", "tender review", null, "ALLOW", "PUBLIC", List.of("m-" + seq), "ANSWERED", 3, null);
    }

    /** A chain of n events as the chainer writes it. */
    private static List<ChainedRecord> chain(AuditChain chain, int n) {
        List<ChainedRecord> out = new ArrayList<>();
        byte[] previous = AuditChain.GENESIS;
        for (long seq = 1; seq <= n; seq++) {
            AuditRecord r = event(seq, seq % 2 == 0 ? "huzhou" : "jiaxing");
            byte[] hash = chain.hash(r, previous);
            out.add(new ChainedRecord(r, previous, hash));
            previous = hash;
        }
        return out;
    }

    private static ChainVerifier.Result verify(AuditChain chain, List<ChainedRecord> rows) {
        ChainVerifier verifier = new ChainVerifier(chain, 1, AuditChain.GENESIS);
        for (ChainedRecord r : rows) {
            if (!verifier.accept(r)) {
                break;
            }
        }
        return verifier.finish();
    }

    private static ChainedRecord withSeq(ChainedRecord r, long seq) {
        return new ChainedRecord(r.record().atPosition(seq), r.prevHash(), r.hash());
    }

    private static ChainedRecord withActor(ChainedRecord r, String actor) {
        AuditRecord a = r.record();
        return new ChainedRecord(new AuditRecord(a.seq(), a.at(), a.node(), a.actorKind(), actor, a.partner(), a.action(), a.subjectKey(),
                a.classification(), a.dataset(), a.purpose(), a.authorisationId(), a.decision(), a.reason(), a.messageIds(), a.outcome(),
                a.latencyMs(), a.detail()), r.prevHash(), r.hash());
    }

    /** The tampering someone with the database's write access can do, each at position p. */
    enum Tamper {
        MODIFIED_CONTENT, MODIFIED_AND_REHASHED, DELETED_GAP, DELETED_RENUMBERED, INSERTED_UNHASHED, INSERTED_HASHED, REORDERED
    }

    private static List<ChainedRecord> tamper(AuditChain chain, List<ChainedRecord> original, Tamper how, int p) {
        List<ChainedRecord> rows = new ArrayList<>(original);
        int i = p - 1;
        switch (how) {
            case MODIFIED_CONTENT -> rows.set(i, withActor(rows.get(i), "nobody"));
            case MODIFIED_AND_REHASHED -> {
                ChainedRecord changed = withActor(rows.get(i), "nobody");
                rows.set(i, new ChainedRecord(changed.record(), changed.prevHash(), chain.hash(changed.record(), changed.prevHash())));
            }
            case DELETED_GAP -> rows.remove(i);
            case DELETED_RENUMBERED -> {
                rows.remove(i);
                for (int j = i; j < rows.size(); j++) {
                    rows.set(j, withSeq(rows.get(j), j + 1));
                }
            }
            case INSERTED_UNHASHED, INSERTED_HASHED -> {
                AuditRecord forged = event(p, "forger");
                byte[] prev = rows.get(i).prevHash();
                rows.add(i, new ChainedRecord(forged, prev, how == Tamper.INSERTED_HASHED ? chain.hash(forged, prev) : new byte[32]));
                for (int j = i + 1; j < rows.size(); j++) {
                    rows.set(j, withSeq(rows.get(j), j + 1));
                }
            }
            case REORDERED -> {
                ChainedRecord a = rows.get(i);
                ChainedRecord b = rows.get(i + 3);
                rows.set(i, withSeq(b, p));
                rows.set(i + 3, withSeq(a, p + 3));
            }
        }
        return rows;
    }

    private static BreakKind kindOf(Tamper how) {
        return switch (how) {
            case MODIFIED_CONTENT, MODIFIED_AND_REHASHED -> BreakKind.MODIFIED;
            case DELETED_GAP, DELETED_RENUMBERED -> BreakKind.DELETED;
            case INSERTED_UNHASHED, INSERTED_HASHED -> BreakKind.INSERTED;
            case REORDERED -> BreakKind.REORDERED;
        };
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void anIntactChain_verifiesToItsHead(Suite suite) {
        AuditChain chain = AuditChain.of(suite);
        List<ChainedRecord> rows = chain(chain, 500);

        ChainVerifier.Result result = verify(chain, rows);

        assertTrue(result.intact(), result.toString());
        assertEquals(500, result.verified());
        assertEquals(500, result.lastGoodSeq());
        assertEquals(List.of(rows.get(499).hash()[0]), List.of(result.lastGoodHash()[0]));
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void eachKindOfBreak_isFoundAtItsSequenceNumber(Tamper how) {
        AuditChain chain = AuditChain.of(Suite.INTL);
        List<ChainedRecord> rows = tamper(chain, chain(chain, 200), how, 57);

        ChainVerifier.Result result = verify(chain, rows);

        assertEquals(57, result.firstBreak().orElseThrow().seq(), result.toString());
        assertEquals(kindOf(how), result.firstBreak().get().kind(), result.firstBreak().get().explanation());
        assertEquals(56, result.verified(), "every event before the break verified");
    }

    @Property(tries = 200)
    void anyTamperingAnywhere_isFoundWhereItWasMade_inBothSuites(@ForAll Tamper how, @ForAll @IntRange(min = 1, max = 90) int at,
                                                                 @ForAll Suite suite) {
        AuditChain chain = AuditChain.of(suite);
        ChainVerifier.Result result = verify(chain, tamper(chain, chain(chain, 100), how, at));

        assertEquals(at, result.firstBreak().orElseThrow().seq(), how + " at " + at + ": " + result);
        assertEquals(kindOf(how), result.firstBreak().get().kind(), how + " at " + at + ": " + result.firstBreak().get().explanation());
    }

    @org.junit.jupiter.api.Test
    void aRewriteWithRecomputedHashes_isInvisibleToTheChainAlone_butNotToAPinnedCheckpoint() {
        AuditChain chain = AuditChain.of(Suite.INTL);
        List<ChainedRecord> original = chain(chain, 120);
        List<ChainedRecord> rewritten = new ArrayList<>(original.subList(0, 29));
        byte[] previous = original.get(28).hash();
        for (ChainedRecord r : original.subList(29, 120)) {
            AuditRecord record = r.seq() == 30 ? withActor(r, "nobody").record() : r.record();
            byte[] hash = chain.hash(record, previous);
            rewritten.add(new ChainedRecord(record, previous, hash));
            previous = hash;
        }
        assertTrue(verify(chain, rewritten).intact(), "consistent");

        ChainVerifier pinned = new ChainVerifier(chain, 1, AuditChain.GENESIS);
        pinned.pin(20, original.get(19).hash());
        pinned.pin(100, original.get(99).hash());
        rewritten.forEach(pinned::accept);
        ChainVerifier.Result result = pinned.finish();

        assertEquals(21, result.firstBreak().orElseThrow().seq(), result.toString());
        assertEquals(BreakKind.MODIFIED, result.firstBreak().get().kind());
        assertEquals(20, result.verified());
    }

    @org.junit.jupiter.api.Test
    void aVerificationFromTheMiddle_startsFromTheTrustedHashBeforeIt() {
        AuditChain chain = AuditChain.of(Suite.GM);
        List<ChainedRecord> rows = chain(chain, 300);
        ChainVerifier verifier = new ChainVerifier(chain, 101, rows.get(99).hash());
        rows.subList(100, 300).forEach(verifier::accept);

        ChainVerifier.Result result = verifier.finish();

        assertTrue(result.intact());
        assertEquals(200, result.verified());
        ChainVerifier wrongStart = new ChainVerifier(chain, 101, rows.get(98).hash());
        rows.subList(100, 300).forEach(wrongStart::accept);
        assertEquals(100, wrongStart.finish().firstBreak().orElseThrow().seq(), "the event before the start was not the one trusted");
    }
}
