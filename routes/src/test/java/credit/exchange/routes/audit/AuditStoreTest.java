package credit.exchange.routes.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.Disclosure;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.audit.AuditChain;
import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import credit.exchange.security.audit.ChainVerifier.BreakKind;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.EnvelopePolicy;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.PeerTrust;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The audit trail in the real PostgreSQL: access decisions written by queries are chained in
 * insertion order, and each kind of tampering an administrator can do with SQL — change, delete,
 * insert, reorder rows, cut the end — is found at its sequence number with its kind.
 */
@ExtendWith(CleanCreditStore.class)
class AuditStoreTest {

    private final TestNode node;

    AuditStoreTest(TestNode node) {
        this.node = node;
    }

    private AuditStore store(Suite suite) {
        return new AuditStore(node.database(), "hangzhou", AuditChain.of(suite));
    }

    /** The access decisions of n queries, as queries record them: through the audit writer, one event each. */
    private void queries(int queries, AuditStore store) {
        try (AuditWriter writer = new AuditWriter(store, 64)) {
            queries(queries, new AccessEvents(writer));
        }
    }

    private static void queries(int queries, AccessEvents events) {
        Caller huzhou = Caller.partner("huzhou", new PartnerGrant(java.util.Set.of(Classification.A), java.util.Set.of(), Map.of()));
        for (int q = 0; q < queries; q++) {
            Map<String, Map.Entry<Classification, AccessDecision>> decisions = new LinkedHashMap<>();
            decisions.put("licensing", Map.entry(Classification.A, new AccessDecision.Allow(Disclosure.PUBLIC)));
            decisions.put("tax", Map.entry(Classification.B, new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED)));
            events.recordAll(huzhou, AccessContext.withoutAuthorisation("U:91330100716105852F", "query " + q, Instant.now()), decisions);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void decisionsAndPendingEvents_areChainedInTheOrderTheyWereWritten_andTheChainVerifies(Suite suite) {
        AuditStore store = store(suite);
        queries(300, store);
        execute("insert into audit_event (actor_kind, actor, action, detail) select 'OPERATOR', 'operator', 'config', 'change ' || n"
                + " from generate_series(1, 7) as n"); // as an action writes its event in its own transaction: pending
        assertEquals(7, new AuditVerifier(store).verify(1).pending());
        queries(10, store);

        assertEquals(7, store.chainAll(4), "only what is pending, in batches");
        AuditVerifier.Verification v = new AuditVerifier(store).verify(1);
        assertTrue(v.result().intact(), v.toString());
        assertEquals(317, v.result().verified());
        assertEquals(317, v.head().orElseThrow().seq());
        assertEquals(0, v.pending());
        assertEquals("change 1", sql("select detail from audit_event where seq = 311"), "pending events follow what was chained");
        assertEquals("licensing A ALLOW PUBLIC,tax B DENY E_NOT_GRANTED", sql("select array_to_string(decisions, ',') from audit_event"
                + " where seq = 1"), "a query's decisions, every dataset's, in its one event");
        assertEquals("DENY E_NOT_GRANTED", sql("select decision || ' ' || reason from audit_event where seq = 1"),
                "the event's decision: DENY if any dataset's is, with the first refusal's code");
        assertEquals(suite == Suite.GM ? "SM3" : "SHA-256", v.head().get().algorithm());
        assertTrue(new AuditVerifier(store).verify(200).result().intact(), "from the middle, on the stored hash before it");
    }

    /** Tampering with SQL, as someone with the database's write access would. */
    enum Tamper {
        MODIFIED("update audit_event set actor = 'someone-else' where seq = 57", BreakKind.MODIFIED, 57),
        /** One dataset's decision inside a query's event, turned from a refusal into a disclosure. */
        ONE_DECISION_MODIFIED("update audit_event set decisions[2] = 'tax B ALLOW PUBLIC' where seq = 57", BreakKind.MODIFIED, 57),
        ONE_DECISION_DELETED("update audit_event set decisions = decisions[1:1] where seq = 57", BreakKind.MODIFIED, 57),
        ONE_DECISION_GARBLED("update audit_event set decisions[1] = '' where seq = 57", BreakKind.MODIFIED, 57),
        DELETED("delete from audit_event where seq = 57", BreakKind.DELETED, 57),
        DELETED_AND_RENUMBERED("delete from audit_event where seq = 57;"
                + " update audit_event set seq = seq + 1000000 where seq > 57;"
                + " update audit_event set seq = seq - 1000001 where seq > 1000000", BreakKind.DELETED, 57),
        INSERTED("update audit_event set seq = seq + 1000000 where seq >= 57;"
                + " update audit_event set seq = seq - 999999 where seq >= 1000000;"
                + " insert into audit_event (seq, at, actor_kind, actor, action, prev_hash, hash)"
                + " select 57, now(), 'PARTNER', 'forger', 'access', hash, hash from audit_event where seq = 56", BreakKind.INSERTED, 57),
        REORDERED("update audit_event set seq = -1 where seq = 57; update audit_event set seq = 57 where seq = 60;"
                + " update audit_event set seq = 60 where seq = -1", BreakKind.REORDERED, 57),
        TAIL_CUT("delete from audit_event where seq > 95", BreakKind.DELETED, 96);

        final String sql;
        final BreakKind kind;
        final long at;

        Tamper(String sql, BreakKind kind, long at) {
            this.sql = sql;
            this.kind = kind;
            this.at = at;
        }
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void tamperingWithRowsInPostgres_isFoundAtItsSequenceNumber_withItsKind(Tamper tamper) {
        AuditStore store = store(Suite.GM);
        queries(100, store);
        execute(tamper.sql);

        AuditVerifier.Verification v = new AuditVerifier(store).verify(1);

        assertEquals(tamper.at, v.result().firstBreak().orElseThrow().seq(), v.toString());
        assertEquals(tamper.kind, v.result().firstBreak().get().kind(), v.result().firstBreak().get().explanation());
        assertEquals(tamper.at - 1, v.result().verified());
    }

    /** Hangzhou's and Huzhou's envelopes under one alliance CA (GM), as the nodes' identities give them. */
    private static final AllianceCa CA = AllianceCa.init(Suite.GM, "Test Alliance GM Root", Duration.ofDays(365),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
    private static final Envelopes HANGZHOU = envelopes(CA.issueNode("hangzhou", Duration.ofDays(30)));
    private static final Envelopes HUZHOU = envelopes(CA.issueNode("huzhou", Duration.ofDays(30)));

    private static Envelopes envelopes(NodeCredentials self) {
        CertificateValidator validator = new CertificateValidator(List.of(CA.certificate()), List.of(CA.crl(Duration.ofDays(3))),
                Clock.systemUTC());
        PeerTrust trust = (presented, expected) -> validator.validate(presented, expected, Usage.SIGNING);
        return new Envelopes(self, trust, new InMemoryReplayGuard(Clock.systemUTC()), Clock.systemUTC(), EnvelopePolicy.DEFAULT);
    }

    @Test
    void signedCheckpoints_areMadeWhenDue_andPinTheChain_soThatARecomputedRewriteIsFound() {
        AuditStore store = store(Suite.GM);
        AuditCheckpoints checkpoints = new AuditCheckpoints(store);
        Instant now = Instant.now();
        queries(20, store); // events 1–20
        assertEquals(20, checkpoints.checkpointIfDue(HANGZHOU, 20, Duration.ofMinutes(1), now).orElseThrow().seq());
        assertTrue(checkpoints.checkpointIfDue(HANGZHOU, 20, Duration.ofMinutes(1), now).isEmpty(), "nothing new: not due");
        queries(80, store); // events 21–100
        assertEquals(100, checkpoints.checkpointIfDue(HANGZHOU, 1000, Duration.ofMinutes(1), now.plusSeconds(61)).orElseThrow().seq(),
                "a minute later, the chain having grown");
        AuditVerifier.Verification intact = new AuditVerifier(store).verify(1, Optional.of(HANGZHOU));
        assertTrue(intact.intact(), intact.toString());
        assertEquals(2, intact.checkpoints());

        // someone with write access changes event 30 and has the chainer recompute every hash after it
        execute("update audit_event set actor = 'someone-else' where seq = 30;"
                + " update audit_event set seq = null, prev_hash = null, hash = null where seq >= 30;"
                + " update audit_chain_head set seq = 29, hash = (select hash from audit_event where seq = 29)");
        store.chainAll(1000);

        assertTrue(new AuditVerifier(store).verify(1).result().intact(), "the chain alone cannot see a rewrite with recomputed hashes");
        AuditVerifier.Verification pinned = new AuditVerifier(store).verify(1, Optional.of(HANGZHOU));
        assertEquals(21, pinned.result().firstBreak().orElseThrow().seq(), pinned.toString());
        assertEquals(BreakKind.MODIFIED, pinned.result().firstBreak().get().kind());
        assertEquals(20, pinned.result().verified(), "events up to the checkpoint it still matches");
    }

    /** An exchange of the countersigning (a checkpoint sent to a partner, or a partner's received), as the exchange flows audit it. */
    private static AuditRecord countersignExchange(String action) {
        return new AuditRecord(0, Instant.now(), null, action.equals("exchange.out") ? "NODE" : "PARTNER", "huzhou", "huzhou", action,
                null, null, null, null, null, null, null, List.of("m-" + System.nanoTime()), "ANSWERED", 3, "checkpoint");
    }

    @Test
    void checkpointIfDue_aHeadMovedOnlyByTheCountersigningsOwnExchanges_isNotSigned_untilARealEventFollows() {
        AuditStore store = store(Suite.GM);
        AuditCheckpoints checkpoints = new AuditCheckpoints(store);
        Instant now = Instant.now();
        queries(4, store); // events 1–4
        assertEquals(4, checkpoints.checkpointIfDue(HANGZHOU, 1000, Duration.ofSeconds(1), now).orElseThrow().seq());
        store.append(List.of(countersignExchange("exchange.out"), countersignExchange("exchange.in"))); // events 5–6

        assertTrue(checkpoints.checkpointIfDue(HANGZHOU, 1000, Duration.ofSeconds(1), now.plusSeconds(60)).isEmpty(),
                "the countersigning's bookkeeping alone makes no checkpoint: nothing new to have countersigned");
        assertTrue(checkpoints.checkpointIfDue(HANGZHOU, 1, Duration.ofSeconds(1), now.plusSeconds(120)).isEmpty(), "nor ever, however long");
        queries(2, store); // events 7–8: a real access
        assertEquals(8, checkpoints.checkpointIfDue(HANGZHOU, 1000, Duration.ofSeconds(1), now.plusSeconds(180)).orElseThrow().seq(),
                "a real event: due, pinning the bookkeeping before it too");

        store.append(List.of(countersignExchange("exchange.out"))); // event 9
        assertEquals(9, checkpoints.checkpointHead(HANGZHOU, now.plusSeconds(240)).orElseThrow().seq(),
                "an export ends at a checkpoint of the head whatever moved it");
        assertTrue(checkpoints.checkpointHead(HANGZHOU, now.plusSeconds(300)).isEmpty(), "pinned already");
        assertTrue(new AuditVerifier(store).verify(1, Optional.of(HANGZHOU)).intact());
    }

    @Test
    void exportEvidence_withoutCrls_isRefusedNamingTheSetting_andWritesNothing() throws Exception {
        AuditStore store = store(Suite.GM);
        queries(4, store);
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("evidence").resolve("bundle.zip");

        CodedException refused = assertThrows(CodedException.class, () -> new AuditRetention(store).exportEvidence(Optional.of(HANGZHOU), 100,
                Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60), EvidenceBundle.Filter.ALL, " ", AuditEvent.ActorKind.OPERATOR, "operator", out));

        assertEquals(ErrorCode.E_CONFIG_INVALID, refused.code());
        assertTrue(refused.getMessage().contains("gateway.trust.crls"), refused.getMessage());
        assertTrue(!java.nio.file.Files.exists(out), "no bundle that could not verify");
        assertEquals("0", sql("select count(*) from audit_checkpoint"), "nothing signed for it either");
    }

    @Test
    void anArchivedRange_isPurged_andTheChainStaysVerifiable_fromItsSignedCheckpoint() throws Exception {
        AuditStore store = store(Suite.GM);
        AuditCheckpoints checkpoints = new AuditCheckpoints(store);
        Instant now = Instant.now();
        queries(20, store); // events 1–20
        checkpoints.checkpointIfDue(HANGZHOU, 20, Duration.ofMinutes(1), now);
        queries(20, store); // events 21–40
        checkpoints.checkpointIfDue(HANGZHOU, 20, Duration.ofMinutes(1), now);
        java.nio.file.Path archives = java.nio.file.Files.createTempDirectory("archives");
        StatementVerifier trust = new StatementVerifier(new CertificateValidator(List.of(CA.certificate()), List.of(CA.crl(Duration.ofDays(3))),
                Clock.systemUTC()));

        CodedException notACheckpoint = assertThrows(CodedException.class, () -> new AuditRetention(store).purge(25, archives, trust, "", "operator"));
        assertEquals(ErrorCode.E_FIELD_INVALID, notACheckpoint.code());
        AuditRetention.Purge purge = new AuditRetention(store).purge(20, archives, trust, "", "operator");

        assertEquals("0", sql("select count(*) from audit_event where seq <= 20"), "events 1–20 left the database");
        EvidenceBundle.Verified archive = EvidenceBundle.verify(archives.resolve(purge.archive()), trust);
        assertTrue(archive.intact() && archive.firstSeq() == 1 && archive.lastSeq() == 20, archive.toString());
        store.chainAll(100); // the archive's export and the purge are events of the trail too
        assertEquals("export purge", sql("select string_agg(action, ' ' order by seq) from audit_event where seq > 40"));
        AuditVerifier.Verification after = new AuditVerifier(store).verify(1, Optional.of(HANGZHOU));
        assertTrue(after.intact(), after.toString());
        assertEquals(21, after.fromSeq(), "the chain starts after the purge, from the hash its signed checkpoint holds");
        assertEquals(42, after.result().lastGoodSeq());
        assertThrows(CodedException.class, () -> new AuditRetention(store).purge(20, archives, trust, "", "operator"), "purged already");

        // the purge's start is pinned: a forged start hash, or an event removed after it, is found
        execute("update audit_purge set through_hash = (select hash from audit_event where seq = 21)");
        AuditVerifier.Verification forged = new AuditVerifier(store).verify(1, Optional.of(HANGZHOU));
        assertTrue(!forged.intact() && forged.checkpointProblems().toString().contains("its signed checkpoint does not hold"), forged.toString());
        execute("update audit_purge set through_hash = (select head_hash from audit_checkpoint where seq = 20); delete from audit_event where seq = 21");
        assertEquals(BreakKind.DELETED, new AuditVerifier(store).verify(1, Optional.of(HANGZHOU)).result().firstBreak().orElseThrow().kind());
    }

    @Test
    void aCheckpointNotSignedByTheNodeWhoseChainItIs_isReported() {
        AuditStore store = store(Suite.GM);
        AuditCheckpoints checkpoints = new AuditCheckpoints(store);
        queries(10, store);
        checkpoints.checkpointIfDue(HUZHOU, 1, Duration.ofMinutes(1), Instant.now());

        AuditVerifier.Verification v = new AuditVerifier(store).verify(1, Optional.of(HANGZHOU));

        assertTrue(v.result().intact(), v.toString());
        assertEquals(List.of("checkpoint 10: E_SIGNATURE_INVALID the checkpoint is signed by huzhou, not hangzhou"), v.checkpointProblems());
        assertTrue(!v.intact());
    }

    @Test
    void anImport_leavesItsEvent_committedWithIt_andChainedAfterwards() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("licences", ".csv");
        credit.exchange.routes.support.Seeds.companyRows(credit.exchange.routes.support.Seeds.SEED, "licensing", 3,
                file.getParent()).write(file);
        node.importFile(file, "licensing");
        AuditStore store = node.audit();

        assertEquals(1, new AuditVerifier(store).verify(1).pending(), "written by the import's closing transaction");
        assertEquals(1, store.chainAll(100));
        assertTrue(sql("select detail from audit_event where action = 'import' and seq = 1").matches("import \\d+ for the departments named in the rows: 3 rows read, 3 stored.*"),
                sql("select detail from audit_event where action = 'import'"));
        assertTrue(new AuditVerifier(store).verify(1).result().intact());
    }

    @Test
    void anotherNodesChain_isNotContinued() {
        queries(2, store(Suite.GM));
        try {
            new AuditStore(node.database(), "huzhou", AuditChain.of(Suite.GM)).append(List.of(event()));
            throw new AssertionError("chained another node's trail");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("node hangzhou's"), expected.getMessage());
        }
    }

    private static AuditRecord event() {
        return new AuditRecord(0, Instant.now(), null, "OPERATOR", "operator", null, "config", null, null, null, null, null, null, null,
                List.of(), null, null, "a change");
    }

    private void execute(String statements) {
        try (Connection c = node.database().connection(); Statement s = c.createStatement()) {
            for (String sql : statements.split(";")) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sql(String query) {
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
