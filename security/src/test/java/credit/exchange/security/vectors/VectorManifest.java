package credit.exchange.security.vectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code docs/vectors/vectors.json}: every vector file with what it is and what opening it must
 * give. Paths are relative to docs/vectors; instants ISO-8601 UTC; digests lower-case hex.
 * docs/vectors/README.md explains each field to vendors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "about", "pki", "cases"})
record VectorManifest(int version, String about, Map<String, Pki> pki, List<Case> cases) {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static VectorManifest read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), VectorManifest.class);
    }

    /** The test PKI of one suite: the CA certificate, its CRL, and per node its key and certificate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"ca", "crl", "validFrom", "validUntil", "revoked", "nodes"})
    record Pki(String ca, String crl, String validFrom, String validUntil, List<String> revoked, Map<String, Node> nodes) {
    }

    @JsonPropertyOrder({"key", "certificate", "serial"})
    record Node(String key, String certificate, String serial) {
    }

    /**
     * One thing to open and what it must give.
     *
     * @param kind      {@code envelope} (open it as {@code openedBy}), {@code receipt} ({@code openedBy},
     *                  who sent {@code receiptOf}, verifies the receipt {@code sender} signed of those bytes), or
     *                  {@code statement} (a signed audit checkpoint or countersignature, {@code sender} its signer)
     * @param suite     the suite of the node that opens it: its key, its CA and CRL
     * @param at        the instant the opening node's clock shows
     * @param after     cases the same node opened before, in order (its memory of message ids)
     * @param expected  {@code OK}, {@code DUPLICATE} (the same signed message again: the kept answer) or an error code
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "file", "kind", "what", "suite", "sender", "recipient", "openedBy", "at", "after", "expected",
            "headers", "payload", "receiptOf", "receipt", "statement"})
    record Case(String id, String file, String kind, String what, String suite, String sender, String recipient, String openedBy,
                String at, List<String> after, String expected, Headers headers, String payload, String receiptOf,
                ReceiptFields receipt, String statement) {
    }

    /** The signed attributes of an envelope (docs/protocol.md §2). */
    @JsonPropertyOrder({"messageId", "sender", "recipient", "exchangeType", "correlationId", "signingTime"})
    record Headers(String messageId, String sender, String recipient, String exchangeType, String correlationId, String signingTime) {
    }

    /** The fields of a receipt (docs/protocol.md §4). */
    @JsonPropertyOrder({"messageId", "sender", "receiver", "digestAlgorithm", "digest", "receivedAt", "status"})
    record ReceiptFields(String messageId, String sender, String receiver, String digestAlgorithm, String digest, String receivedAt,
                         String status) {
    }
}
