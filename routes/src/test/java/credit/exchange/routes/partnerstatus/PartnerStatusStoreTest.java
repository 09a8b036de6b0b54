package credit.exchange.routes.partnerstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.partner.PartnerDirectory;
import credit.exchange.routes.partnerstatus.PartnerStatus.Reachability;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.PemFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner status computed from the tables the flows write, on the real PostgreSQL, with the
 * shipped partner files: each column from its own table, each partner's rows kept apart, the
 * windows (failures in the last hour, envelopes received in the last 24 hours) where they end.
 */
@ExtendWith(CleanCreditStore.class)
class PartnerStatusStoreTest {

    private static final Path SHIPPED = Path.of(System.getProperty("credit.project.root", ".."), "partner-configs");
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    static Path certificates;

    private final TestNode node;

    PartnerStatusStoreTest(TestNode node) {
        this.node = node;
    }

    @BeforeAll
    static void issueTheShippedPartnersCertificates() throws Exception {
        AllianceCa gm = AllianceCa.init(Suite.GM, "Test GM CA", Duration.ofDays(365));
        AllianceCa intl = AllianceCa.init(Suite.INTL, "Test INTL CA", Duration.ofDays(365));
        for (String id : List.of("huzhou", "jiaxing", "national", "shanghai", "shaoxing", "zhejiang")) {
            PemFiles.writeCertificate(certificates.resolve(id + ".gm.pem"), gm.issueNode(id, Duration.ofDays(30)).certificate());
            PemFiles.writeCertificate(certificates.resolve(id + ".intl.pem"), intl.issueNode(id, Duration.ofDays(30)).certificate());
        }
    }

    @Test
    void eachColumn_comesFromItsTable_perPartner_withinItsWindow() throws Exception {
        // exchanges this node started
        sent("jiaxing", "query", ago(Duration.ofHours(2)), "ANSWERED");
        sent("jiaxing", "notice", ago(Duration.ofMinutes(30)), "E_PARTNER_UNREACHABLE");
        sent("jiaxing", "checkpoint", ago(Duration.ofMinutes(5)), "E_TIMEOUT");
        sent("huzhou", "checkpoint", ago(Duration.ofHours(3)), "E_PARTNER_UNREACHABLE");
        sent("huzhou", "query", ago(Duration.ofMinutes(1)), "ANSWERED");
        sent("shaoxing", "query", ago(Duration.ofMinutes(2)), "E_RATE_LIMITED");
        // envelopes received (the audit trail's exchange.in events)
        received(1, "huzhou", "query", ago(Duration.ofMinutes(3)), "ANSWERED", null);
        received(2, "huzhou", "checkpoint", ago(Duration.ofMinutes(2)), "ANSWERED", null);
        received(3, "jiaxing", "query", ago(Duration.ofMinutes(40)), "REFUSED", "E_STALE");
        received(4, "zhejiang", "pull", ago(Duration.ofHours(30)), "ANSWERED", null);
        // outbox deliveries
        for (String state : List.of("READY", "RETRY_WAIT", "PULLED", "DEAD", "ACKNOWLEDGED")) {
            execute("insert into outbox (record_id, destination, mode, state) values (1, 'zhejiang', 'PULL', ?)", state);
        }
        execute("insert into outbox (record_id, destination, mode, state) values (2, 'national', 'PUSH', 'DELIVERED')");
        // a notice Huzhou answered and Jiaxing has not
        UUID notice = UUID.randomUUID();
        execute("insert into alliance_notice (id, kind, subject, body, created_at, created_by) values (?, 'sanction', '91330100716105852F',"
                + " '{}'::jsonb, ?, 'operator')", notice, Timestamp.from(ago(Duration.ofMinutes(20))));
        execute("insert into outbox (kind, payload_ref, destination, mode, state, attempts, last_error, created_at)"
                + " values ('NOTICE', ?, 'jiaxing', 'PUSH', 'RETRY_WAIT', 4, 'E_PARTNER_UNREACHABLE', ?)", notice.toString(),
                Timestamp.from(ago(Duration.ofMinutes(20))));
        execute("insert into outbox (kind, payload_ref, destination, mode, state, attempts, finished_at, created_at)"
                + " values ('NOTICE', ?, 'huzhou', 'PUSH', 'DELIVERED', 1, now(), ?)", notice.toString(), Timestamp.from(ago(Duration.ofMinutes(20))));
        // three signed checkpoints: Huzhou countersigned all, Jiaxing the first only
        for (long seq = 1; seq <= 3; seq++) {
            execute("insert into audit_checkpoint (seq, head_hash, at, signed) values (?, '\\x01'::bytea, ?, '\\x02'::bytea)", seq,
                    Timestamp.from(checkpointAt(seq)));
            execute("insert into audit_countersignature (seq, partner, signed, received_at) values (?, 'huzhou', '\\x03'::bytea, ?)", seq,
                    Timestamp.from(ago(Duration.ofMinutes(10 - seq))));
        }
        execute("insert into audit_countersignature (seq, partner, signed, received_at) values (1, 'jiaxing', '\\x03'::bytea, ?)",
                Timestamp.from(ago(Duration.ofHours(1))));

        PartnerDirectory partners = new PartnerDirectory(SHIPPED, certificates);
        partners.reload();
        PartnerStatus.Report report = new PartnerStatus("hangzhou", partners, node.database(), Clock.fixed(NOW, ZoneOffset.UTC)).report();

        assertEquals("hangzhou", report.node());
        assertEquals(List.of("jiaxing", "huzhou", "national", "shaoxing", "zhejiang", "shanghai"),
                report.partners().stream().map(PartnerStatus.Line::partner).toList(), "unreachable first, the disabled example last");

        PartnerStatus.Line jiaxing = line(report, "jiaxing");
        assertEquals(Reachability.UNREACHABLE, jiaxing.reachable());
        assertEquals(Optional.of(new PartnerStatus.LastExchange(ago(Duration.ofMinutes(5)), "checkpoint", "E_TIMEOUT")), jiaxing.lastSent());
        assertEquals(Optional.of(ago(Duration.ofHours(2))), jiaxing.lastAnswered());
        assertEquals(new PartnerStatus.Failures(2, Optional.of("E_TIMEOUT"), Optional.of(ago(Duration.ofMinutes(5)))), jiaxing.failures());
        assertEquals("E_STALE", jiaxing.lastReceived().orElseThrow().outcome(), "a refused envelope shows its code");
        assertEquals(new PartnerStatus.Pending(0, 0, 1, Optional.of(ago(Duration.ofMinutes(20))), Optional.of("E_PARTNER_UNREACHABLE")),
                jiaxing.pending());
        PartnerStatus.Countersigning jiaxingWitness = jiaxing.countersignatures().orElseThrow();
        assertEquals(2, jiaxingWitness.awaiting(), "checkpoints 2 and 3");
        assertEquals(Optional.of(ago(Duration.ofHours(1))), jiaxingWitness.lastAt());
        assertEquals(checkpointAt(2), jiaxingWitness.oldestSince().orElseThrow(), "the oldest waiting is checkpoint 2");

        PartnerStatus.Line huzhou = line(report, "huzhou");
        assertEquals(Reachability.REACHABLE, huzhou.reachable());
        assertEquals(new PartnerStatus.Failures(0, Optional.of("E_PARTNER_UNREACHABLE"), Optional.of(ago(Duration.ofHours(3)))),
                huzhou.failures(), "a failure three hours ago is its last error, but not one of the last hour");
        assertEquals(Optional.of(new PartnerStatus.LastExchange(ago(Duration.ofMinutes(2)), "checkpoint", "ANSWERED")), huzhou.lastReceived());
        assertEquals(0, huzhou.pending().notices(), "it answered the notice");
        assertEquals(new PartnerStatus.Countersigning(0, Optional.empty(), Optional.of(ago(Duration.ofMinutes(7)))),
                huzhou.countersignatures().orElseThrow());

        PartnerStatus.Line shaoxing = line(report, "shaoxing");
        assertEquals(Reachability.REACHABLE, shaoxing.reachable(), "a coded refusal is an answer");
        assertEquals(1, shaoxing.failures().lastHour());

        PartnerStatus.Line zhejiang = line(report, "zhejiang");
        assertEquals(Reachability.UNKNOWN, zhejiang.reachable(), "nothing sent to it yet");
        assertEquals(3, zhejiang.pending().outbox(), "READY, RETRY_WAIT and PULLED wait; ACKNOWLEDGED does not");
        assertEquals(1, zhejiang.pending().outboxDead());
        assertEquals(Optional.empty(), zhejiang.lastReceived(), "its pull 30 hours ago is beyond the look-back");
        assertEquals(3, zhejiang.countersignatures().orElseThrow().awaiting());
        assertEquals(0, line(report, "national").pending().outbox(), "DELIVERED is final");
        assertEquals(false, line(report, "shanghai").enabled());
        assertEquals(Optional.empty(), line(report, "shanghai").countersignatures(), "a disabled partner is asked for none");
    }

    private static PartnerStatus.Line line(PartnerStatus.Report report, String partner) {
        return report.partners().stream().filter(l -> l.partner().equals(partner)).findFirst().orElseThrow();
    }

    private static Instant checkpointAt(long seq) {
        return ago(Duration.ofMinutes(30 - seq));
    }

    private static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    private void sent(String recipient, String type, Instant at, String outcome) throws SQLException {
        execute("insert into sent_exchange (message_id, recipient, exchange_type, sent_at, envelope_digest, outcome)"
                + " values (?, ?, ?, ?, '\\x00'::bytea, ?)", UUID.randomUUID().toString(), recipient, type, Timestamp.from(at), outcome);
    }

    /** An exchange.in event, chained (the console's search reads chained events only). */
    private void received(long seq, String partner, String type, Instant at, String outcome, String reason) throws SQLException {
        execute("insert into audit_event (seq, at, actor_kind, actor, partner, action, decision, reason, outcome, detail, prev_hash, hash)"
                + " values (?, ?, 'PARTNER', ?, ?, 'exchange.in', ?, ?, ?, ?, '\\x00'::bytea, '\\x00'::bytea)", seq, Timestamp.from(at),
                partner, partner, reason == null ? null : "DENY", reason, outcome, type);
    }

    private void execute(String sql, Object... values) throws SQLException {
        try (Connection c = node.database().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
