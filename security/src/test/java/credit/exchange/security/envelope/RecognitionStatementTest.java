package credit.exchange.security.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.alliance.RecognitionStatement;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.pki.CertificateValidator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A trusted-enterprise recognition statement (诚信企业互认): signed by the nominating node, verified
 * by anyone holding the alliance CA certificates as that node's and nobody else's; altered bytes,
 * another node's signature, a statement naming another node and non-canonical text are refused
 * with their codes; any one-line name and basis survive the text form unchanged.
 */
class RecognitionStatementTest {

    private static final Alliance GM = new Alliance(Suite.GM);
    private static final Envelopes HANGZHOU = GM.envelopes(GM.node("hangzhou"), Clock.systemUTC());
    private static final Envelopes HUZHOU = GM.envelopes(GM.node("huzhou"), Clock.systemUTC());
    private static final StatementVerifier TRUST = new StatementVerifier(new CertificateValidator(List.of(GM.caCertificate()),
            List.of(GM.ca.crl(Duration.ofDays(3))), Clock.systemUTC()));

    private static RecognitionStatement statement(String node, String party, String basis) {
        return new RecognitionStatement(node, "91330100716105852F", party, basis, LocalDate.of(2027, 12, 31),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void theNominatingNodesStatement_verifiesAsItsOwn_andSaysWhatWasSigned() {
        RecognitionStatement signed = statement("hangzhou", "杭州演示诚信企业有限公司", "A级纳税人 (A-grade taxpayer)");

        RecognitionStatement verified = RecognitionStatement.verify(TRUST, signed.sign(HANGZHOU), "hangzhou");

        assertEquals(signed, verified);
        assertEquals("recognition-statement 1\nnode hangzhou\nuscc 91330100716105852F\nparty 杭州演示诚信企业有限公司\n"
                + "basis A级纳税人 (A-grade taxpayer)\nvalid-until 2027-12-31\nat " + signed.at() + "\n",
                new String(verified.statement(), StandardCharsets.UTF_8));
        assertEquals(true, verified.validOn(LocalDate.of(2027, 12, 31)));
        assertEquals(false, verified.validOn(LocalDate.of(2028, 1, 1)));
    }

    @Test
    void anotherNodesSignature_aStatementOfAnotherNode_alteredBytes_andNonCanonicalText_areRefused() {
        byte[] hangzhous = statement("hangzhou", "x", "red list").sign(HANGZHOU);
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused(() -> RecognitionStatement.verify(TRUST, hangzhous, "huzhou")),
                "a statement passed off as another partner's");
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused(() -> RecognitionStatement.verify(TRUST,
                statement("hangzhou", "x", "red list").sign(HUZHOU), "huzhou")), "Huzhou signing a statement in Hangzhou's name");
        byte[] altered = new String(hangzhous, StandardCharsets.ISO_8859_1).replace("basis red list", "basis bed list")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(ErrorCode.E_SIGNATURE_INVALID, refused(() -> RecognitionStatement.verify(TRUST, altered, "hangzhou")));
        byte[] spaced = HANGZHOU.signStatement(ExchangeAttributes.RECOGNITION_STATEMENT, ("recognition-statement 1\nnode hangzhou\n"
                + "uscc 91330100716105852F\nparty x\nbasis y\nvalid-until 2027-12-31\nat 2026-11-27T08:00:00.000Z\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.E_MALFORMED, refused(() -> RecognitionStatement.verify(TRUST, spaced, "hangzhou")));
        byte[] checkpoint = HANGZHOU.signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, statement("hangzhou", "x", "y").statement());
        assertEquals(ErrorCode.E_MALFORMED, refused(() -> RecognitionStatement.verify(TRUST, checkpoint, "hangzhou")),
                "another content type");
        assertEquals(ErrorCode.E_FIELD_INVALID, refused(() -> statement("hangzhou", "x\nnode huzhou", "y").statement()),
                "a line break cannot smuggle a field in");
    }

    @Property(tries = 200)
    void anyOneLineNameAndBasis_surviveTheTextForm(@ForAll("oneLine") String party, @ForAll("oneLine") String basis) {
        RecognitionStatement s = statement("hangzhou", party, basis);
        assertEquals(s, RecognitionStatement.parse(s.statement()));
    }

    @Provide
    Arbitrary<String> oneLine() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(60).filter(t -> t.chars().noneMatch(Character::isISOControl))
                .filter(t -> new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(t)); // no lone surrogates
    }

    private static ErrorCode refused(Runnable call) {
        return assertThrows(CodedException.class, call::run).code();
    }
}
