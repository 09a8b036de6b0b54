package credit.exchange.routes.report;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.StatementText;
import credit.exchange.security.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The issuing node's signed statement of a credit report (docs/protocol.md, "Credit reports"):
 * the report's number, the node, when it was issued, its format, and the digest of its bytes as
 * issued. The node signs it at issue ({@code Envelopes.signStatement} with content type
 * {@code ExchangeAttributes.CREDIT_REPORT_STATEMENT}), keeps it in its register, and answers it to
 * anyone at the verification endpoint: whoever holds the report hashes it and compares.
 */
public record ReportStatement(String number, String node, Instant issuedAt, String format, String digestAlgorithm, byte[] digest) {

    static final String FORM = "credit-report v1";
    private static final String[] FIELDS = {"number", "node", "issued-at", "format", "digest-algorithm", "digest"};

    /** The statement's canonical text, as signed. */
    public byte[] text() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("number", number);
        fields.put("node", node);
        fields.put("issued-at", issuedAt.toString());
        fields.put("format", format);
        fields.put("digest-algorithm", digestAlgorithm);
        fields.put("digest", HexFormat.of().formatHex(digest));
        return StatementText.render(FORM, fields);
    }

    /** Reads a statement's text; E_MALFORMED for anything else. */
    public static ReportStatement parse(byte[] text) {
        Map<String, String> f = StatementText.parse(text, FORM, FIELDS);
        try {
            return new ReportStatement(f.get("number"), f.get("node"), Instant.parse(f.get("issued-at")), f.get("format"),
                    f.get("digest-algorithm"), HexFormat.of().parseHex(f.get("digest")));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "not a credit report statement: " + e.getMessage());
        }
    }

    /** The digest of a report's bytes in the statement's algorithm (SM3 for a GM node, SHA-256 for an INTL one). */
    public static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return switch (algorithm) {
                case "SM3" -> MessageDigest.getInstance("SM3", Providers.bc()).digest(bytes);
                case "SHA-256" -> MessageDigest.getInstance("SHA-256").digest(bytes);
                default -> throw new CodedException(ErrorCode.E_MALFORMED, "a report's digest is SM3 or SHA-256, not " + algorithm);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether these bytes are the report this statement speaks of. */
    public boolean covers(byte[] report) {
        return MessageDigest.isEqual(digest, digest(digestAlgorithm, report));
    }
}
