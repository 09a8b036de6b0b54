package credit.exchange.security.alliance;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.StatementText;
import credit.exchange.security.envelope.VerifiedContent;
import credit.exchange.security.pki.AllianceProfile;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's signed statement that it holds an enterprise trustworthy (诚信企业): on what basis (a
 * red-list entry, an A-grade tax credit rating, …) and until when. It travels with the nomination
 * and every partner verifies and keeps it, so that a recognition can always be traced to the
 * node that vouched for it, by anyone holding the alliance CA certificates. Signed as a CMS
 * SignedData of content type {@link ExchangeAttributes#RECOGNITION_STATEMENT} over the text
 * ({@link StatementText}):
 * <pre>
 * recognition-statement 1
 * node hangzhou
 * uscc 91330100716105852F
 * party Hangzhou Example Co., Ltd.
 * basis red list: provincial model enterprise 2026
 * valid-until 2027-12-31
 * at 2026-11-27T08:00:00Z
 * </pre>
 */
public record RecognitionStatement(String node, String uscc, String partyName, String basis, LocalDate validUntil, Instant at) {

    private static final String FORM = "recognition-statement 1";

    public byte[] statement() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("node", node);
        fields.put("uscc", uscc);
        fields.put("party", partyName);
        fields.put("basis", basis);
        fields.put("valid-until", validUntil.toString());
        fields.put("at", at.toString());
        return StatementText.render(FORM, fields);
    }

    /** Signed by the node that nominates (one of its suites' envelopes). */
    public byte[] sign(Envelopes self) {
        return self.signStatement(ExchangeAttributes.RECOGNITION_STATEMENT, statement());
    }

    /** Whether the statement still vouches for the enterprise on this day. */
    public boolean validOn(LocalDate day) {
        return !day.isAfter(validUntil);
    }

    /**
     * A signed statement, verified: the signature is a node the alliance CA certifies (in either
     * suite, under its CRLs), that node is {@code expectedNode} — the partner the nomination came
     * from — and the statement is that node's.
     *
     * @throws CodedException E_SIGNATURE_INVALID when it does not verify or is another node's;
     *                        E_CERT_* when its signer is not trusted; E_MALFORMED when it is no statement
     */
    public static RecognitionStatement verify(StatementVerifier trust, byte[] signed, String expectedNode) {
        VerifiedContent content = trust.verify(signed, ExchangeAttributes.RECOGNITION_STATEMENT);
        RecognitionStatement statement = parse(content.payload());
        String signer = AllianceProfile.nodeId(content.signer());
        if (!signer.equals(expectedNode) || !statement.node().equals(signer)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the recognition statement is " + statement.node() + "'s, signed by "
                    + signer + ", and came from " + expectedNode);
        }
        return statement;
    }

    public static RecognitionStatement parse(byte[] statement) {
        Map<String, String> f = StatementText.parse(statement, FORM, "node", "uscc", "party", "basis", "valid-until", "at");
        try {
            RecognitionStatement s = new RecognitionStatement(f.get("node"), f.get("uscc"), f.get("party"), f.get("basis"),
                    LocalDate.parse(f.get("valid-until")), Instant.parse(f.get("at")));
            if (!Arrays.equals(s.statement(), statement)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the recognition statement is not in its canonical form");
            }
            return s;
        } catch (DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the recognition statement's dates cannot be read");
        }
    }
}
