package credit.exchange.security.audit;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.StatementText;
import credit.exchange.security.envelope.VerifiedContent;
import credit.exchange.security.pki.AllianceProfile;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint of a node's audit trail: at this time, its chain held events 1..seq and event seq's
 * hash was this. Signed by the node (CMS SignedData, content type
 * {@link ExchangeAttributes#AUDIT_CHECKPOINT}), and countersigned by partners with the same
 * content, it pins the chain: rewriting any event up to seq changes every later hash, which no
 * longer matches. The statement is a few lines of UTF-8 text, in this order:
 * <pre>
 * audit-checkpoint 1
 * node hangzhou
 * algorithm SM3
 * seq 1234
 * hash 9f…(hex)
 * at 2026-11-27T03:00:00Z
 * </pre>
 */
public record Checkpoint(String node, String algorithm, long seq, byte[] headHash, Instant at) {

    private static final String FORM = "audit-checkpoint 1";
    /** SM3 and SHA-256 both hash to 32 bytes. */
    private static final int HASH_BYTES = 32;

    public byte[] statement() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("node", node);
        fields.put("algorithm", algorithm);
        fields.put("seq", Long.toString(seq));
        fields.put("hash", HexFormat.of().formatHex(headHash));
        fields.put("at", at.toString());
        return StatementText.render(FORM, fields);
    }

    /** Signed by this node (its envelopes of the chain's suite). */
    public byte[] sign(Envelopes self) {
        return self.signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, statement());
    }

    /**
     * A signed checkpoint or countersignature, verified: the signature is a trusted node's, and for
     * the node's own signature ({@code countersigner} empty) the signer is the node the checkpoint
     * names; for a countersignature, the signer is the partner named.
     */
    public static Checkpoint verify(Envelopes trust, byte[] signed, String expectedSigner) {
        return verified(trust.verifyStatement(signed, ExchangeAttributes.AUDIT_CHECKPOINT), expectedSigner);
    }

    /** As {@link #verify(Envelopes, byte[], String)}, offline: by the alliance CA certificates alone (an evidence bundle). */
    public static Checkpoint verify(StatementVerifier trust, byte[] signed, String expectedSigner) {
        return verified(trust.verify(signed, ExchangeAttributes.AUDIT_CHECKPOINT), expectedSigner);
    }

    private static Checkpoint verified(VerifiedContent content, String expectedSigner) {
        Checkpoint checkpoint = parse(content.payload());
        String signer = AllianceProfile.nodeId(content.signer());
        if (!signer.equals(expectedSigner)) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the checkpoint is signed by " + signer + ", not " + expectedSigner);
        }
        return checkpoint;
    }

    public static Checkpoint parse(byte[] statement) {
        Map<String, String> fields = StatementText.parse(statement, FORM, "node", "algorithm", "seq", "hash", "at");
        try {
            Checkpoint c = new Checkpoint(fields.get("node"), fields.get("algorithm"), Long.parseLong(fields.get("seq")),
                    HexFormat.of().parseHex(fields.get("hash")), Instant.parse(fields.get("at")));
            if (!c.algorithm().equals("SM3") && !c.algorithm().equals("SHA-256")) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the checkpoint's algorithm is " + c.algorithm()
                        + "; it is spelled SM3 or SHA-256");
            }
            if (c.headHash().length != HASH_BYTES) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the checkpoint's hash is " + c.headHash().length + " bytes; "
                        + c.algorithm() + " hashes are " + HASH_BYTES);
            }
            if (!java.util.Arrays.equals(c.statement(), statement)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the checkpoint statement is not in its canonical form"
                        + " (lower-case hex, an ISO-8601 instant in UTC, each line ending in a newline)");
            }
            return c;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the checkpoint's fields cannot be read");
        }
    }
}
