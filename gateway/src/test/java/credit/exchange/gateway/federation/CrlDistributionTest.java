package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.RevocationReason;
import credit.exchange.security.pki.Usage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Where a node's CRLs come from (docs/protocol.md §8): fetched from the distribution point its
 * certificates name, adopted only when the alliance CA signed it and it is newer than the one
 * held; a failed fetch is one log line and is tried again; past nextUpdate plus grace the CA's
 * certificates are refused and the CRL check is DOWN.
 */
class CrlDistributionTest {

    private final AtomicReference<byte[]> served = new AtomicReference<>();
    private final MovableClock clock = new MovableClock(Instant.now());
    private HttpServer distributionPoint;
    private URI url;
    private AllianceCa ca;
    private X509Certificate partner;
    private CertificateValidator validator;
    private CrlDistribution crls;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void setUp() throws Exception {
        distributionPoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        distributionPoint.createContext("/crl/gm.crl", exchange -> {
            byte[] body = served.get();
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", CrlDistribution.MEDIA_TYPE);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        distributionPoint.start();
        url = URI.create("http://127.0.0.1:" + distributionPoint.getAddress().getPort() + "/crl/gm.crl");
        ca = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(3650), clock);
        ca.publishCrlAt(List.of(url));
        partner = ca.issueNode("huzhou", Duration.ofDays(365)).certificate();
        validator = new CertificateValidator(List.of(ca.certificate()), List.of(), clock, Duration.ofHours(1));
        crls = new CrlDistribution(validator, List.of(), clock);
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(CrlDistribution.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(CrlDistribution.class)).detachAppender(log);
        distributionPoint.stop(0);
    }

    @Test
    void fetch_adoptsTheCrlOfTheDistributionPoint_andARevocationTakesEffect() throws Exception {
        served.set(ca.crl(Duration.ofDays(7)).getEncoded());
        crls.fetch(List.of(partner));
        validator.validate(partner, Suite.GM, Usage.SIGNING);
        assertTrue(crls.current());
        assertTrue(crls.status().get(0).contains("GM CRL 1") && crls.status().get(0).contains("from " + url), crls.status().toString());

        ca.revoke(partner.getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        served.set(ca.crl(Duration.ofDays(7)).getEncoded());
        crls.fetch(List.of(partner));

        CodedException refused = assertThrows(CodedException.class, () -> validator.validate(partner, Suite.GM, Usage.SIGNING));
        assertEquals(ErrorCode.E_CERT_REVOKED, refused.code());
        assertEquals(java.math.BigInteger.TWO, validator.heldCrls().get(0).number());
        assertEquals(validator.heldCrls().get(0).crl(), crls.served(Suite.GM).orElseThrow(), "what the node serves is what it holds");
    }

    @Test
    void fetch_anOlderCrl_isNotAdopted_soARevocationCannotBeRolledBack() throws Exception {
        X509CRL before = ca.crl(Duration.ofDays(7));
        ca.revoke(partner.getSerialNumber(), RevocationReason.KEY_COMPROMISE);
        served.set(ca.crl(Duration.ofDays(7)).getEncoded());
        crls.fetch(List.of(partner));

        served.set(before.getEncoded()); // a distribution point (or someone in the path) serves the older list
        crls.fetch(List.of(partner));

        assertEquals(ErrorCode.E_CERT_REVOKED,
                assertThrows(CodedException.class, () -> validator.validate(partner, Suite.GM, Usage.SIGNING)).code());
        assertEquals(java.math.BigInteger.TWO, validator.heldCrls().get(0).number());
    }

    @Test
    void fetch_aCrlOfAnotherCa_isNotAdopted_andIsOneLogLine() throws Exception {
        AllianceCa impostor = AllianceCa.init(Suite.GM, "Root", Duration.ofDays(3650), clock);
        served.set(impostor.crl(Duration.ofDays(7)).getEncoded());

        crls.fetch(List.of(partner));

        assertEquals(List.of(), validator.heldCrls());
        assertOneWarning(url.toString());
    }

    @Test
    void fetch_anUnreachablePoint_isOneLogLine_andTheNextRoundTriesAgain() throws Exception {
        byte[] crl = ca.crl(Duration.ofDays(7)).getEncoded();
        distributionPoint.stop(0);

        crls.fetch(List.of(partner));
        assertOneWarning(url.toString());
        assertFalse(crls.current());
        assertTrue(crls.status().get(0).startsWith("DOWN no CRL of"), crls.status().toString());

        distributionPoint = HttpServer.create(new InetSocketAddress("127.0.0.1", url.getPort()), 0);
        distributionPoint.createContext("/crl/gm.crl", exchange -> {
            exchange.sendResponseHeaders(200, crl.length);
            exchange.getResponseBody().write(crl);
            exchange.close();
        });
        distributionPoint.start();
        crls.fetch(List.of(partner));

        assertTrue(crls.current());
        validator.validate(partner, Suite.GM, Usage.SIGNING);
    }

    @Test
    void pastNextUpdatePlusGrace_theCasCertificatesAreRefused_andTheCheckIsDown() throws Exception {
        served.set(ca.crl(Duration.ofDays(7)).getEncoded());
        crls.fetch(List.of(partner));

        clock.advance(Duration.ofDays(7).plusMinutes(59)); // past nextUpdate, within the hour of grace
        validator.validate(partner, Suite.GM, Usage.SIGNING);
        assertTrue(crls.current());

        clock.advance(Duration.ofMinutes(2));
        CodedException refused = assertThrows(CodedException.class, () -> validator.validate(partner, Suite.GM, Usage.SIGNING));
        assertEquals(ErrorCode.E_CERT_UNTRUSTED, refused.code());
        assertTrue(refused.getMessage().contains("revocation status unknown"), refused.getMessage());
        assertFalse(crls.current());
        assertTrue(crls.status().get(0).startsWith("DOWN GM CRL 1"), crls.status().toString());

        served.set(ca.crl(Duration.ofDays(7)).getEncoded()); // the CA publishes a fresh one: trusted again
        crls.fetch(List.of(partner));
        validator.validate(partner, Suite.GM, Usage.SIGNING);
        assertTrue(crls.current());
    }

    private void assertOneWarning(String naming) {
        List<ILoggingEvent> lines = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).getFormattedMessage().contains(naming), lines.get(0).getFormattedMessage());
        assertNull(lines.get(0).getThrowableProxy(), "no stack trace");
        assertFalse(lines.get(0).getFormattedMessage().contains("\n"), "one line");
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
