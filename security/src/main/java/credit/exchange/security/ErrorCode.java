package credit.exchange.security;

/**
 * The one list of stable error codes. The same code appears in the HTTP answer, the import
 * rejects file, the audit event and the log line, so a partner or a department can act on it
 * without reading our logs. Codes are never renamed or reused; new ones are appended.
 */
public enum ErrorCode {
    /** Input could not be parsed at all (broken CSV quoting, invalid JSON, wrong encoding). */
    E_MALFORMED(400, "the input could not be parsed"),
    /** A mandatory field is empty. */
    E_FIELD_MISSING(400, "a mandatory field is empty"),
    /** A field holds a value outside what is allowed (unknown party kind, unsupported ID type). */
    E_FIELD_INVALID(400, "a field holds a value that is not allowed"),
    /** A USCC, organisation code, registration number or resident ID fails its standard's check. */
    E_IDENTIFIER_INVALID(400, "an identifier fails its standard's check"),
    /** A date is impossible or in no accepted format (YYYY-MM-DD, YYYY/MM/DD, epoch milliseconds). */
    E_DATE_INVALID(400, "a date is impossible or in no accepted format"),
    /** An amount is not a decimal number. */
    E_NUMBER_INVALID(400, "an amount is not a decimal number"),
    /** The request names a record type, dataset or option this node does not know. */
    E_UNKNOWN_TYPE(400, "the record type or dataset is not in this node's catalogue"),
    /** The input exceeds a configured size limit. */
    E_TOO_LARGE(413, "the input exceeds the configured size limit"),
    /** Nothing matches the request. */
    E_NOT_FOUND(404, "nothing matches the request"),
    /** The caller's class of access does not cover class B (authorised query) data. */
    E_AUTHORIZATION_REQUIRED(403, "class B data needs a valid authorisation from the data subject"),
    /** The caller's class of access does not cover class C (department-shared) data. */
    E_SHARING_AGREEMENT_REQUIRED(403, "class C data is shared only with departments under a sharing agreement"),
    /** A dependency (database, broker) does not answer; the request can be retried. */
    E_UNAVAILABLE(503, "a dependency of the node is unavailable; retry later"),
    /** An unexpected fault inside the node; details are in the node's log under the incident id. */
    E_INTERNAL(500, "an unexpected fault inside the node"),
    /**
     * A certificate does not chain to a configured alliance trust anchor, its signature is bad, it
     * is a CA certificate presented as a node's, its key usage does not allow the purpose, or its
     * revocation status cannot be established (no current CRL of its issuer).
     */
    E_CERT_UNTRUSTED(403, "the certificate is not trusted by this node for this purpose"),
    /** A certificate (or the CA certificate above it) is not yet valid or has expired. */
    E_CERT_EXPIRED(403, "the certificate is outside its validity period"),
    /** A certificate's serial is listed in its issuer's certificate revocation list. */
    E_CERT_REVOKED(403, "the certificate has been revoked by the alliance CA"),
    /** A key or certificate is not of the suite (GM or INTL) agreed with the partner. */
    E_SUITE_MISMATCH(400, "the key or certificate is not of the suite agreed for this partner"),
    /** An envelope's or receipt's signature does not verify, or its signer is not its stated sender. */
    E_SIGNATURE_INVALID(400, "the signature does not verify for the stated sender"),
    /** The envelope is not addressed to this node, or holds no key this node can open. */
    E_NOT_RECIPIENT(400, "the envelope is not addressed to this node"),
    /** The envelope decrypts to nothing: it was altered in transit or encrypted under another key. */
    E_DECRYPTION_FAILED(400, "the envelope could not be decrypted: altered in transit, or not for this key"),
    /** The signing time is outside the freshness window; the sender's clock or a delay is at fault. */
    E_STALE(400, "the message is older (or newer) than the freshness window allows"),
    /** The message id was already received from this sender within the replay window. */
    E_REPLAY(409, "this message id was already received; a replay is refused"),
    /** The partner's configuration does not grant the class or dataset asked for. */
    E_NOT_GRANTED(403, "the partner configuration does not grant this class or dataset"),
    /** A person's token lacks the realm role the duty asks for (auditor for the audit trail, operator for operations). */
    E_ROLE_REQUIRED(403, "this needs a realm role the signed-in user does not hold"),
    /** The sender is not a configured partner, is disabled, or may not start this exchange. */
    E_UNKNOWN_PARTNER(403, "the sender is not an enabled partner of this node for this exchange"),
    /** The TLS client certificate names another node than the envelope's signer. */
    E_TRANSPORT_MISMATCH(403, "the TLS client certificate and the envelope's signer are different nodes"),
    /** The partner starts more requests than its configured rate limit allows. */
    E_RATE_LIMITED(429, "the partner's request rate exceeds its configured limit; retry later"),
    /** A partner did not answer within its configured timeout. */
    E_TIMEOUT(504, "the partner did not answer within its configured timeout"),
    /** A partner could not be reached (connection refused, TLS handshake failed). */
    E_PARTNER_UNREACHABLE(502, "the partner could not be reached"),
    /** A partner answered with something that is not a valid answer envelope for our request. */
    E_BAD_ANSWER(502, "the partner's answer is not a valid sealed answer to our request"),
    /** A configuration file is invalid; the last good configuration stays in force. */
    E_CONFIG_INVALID(400, "a configuration file is invalid"),
    /** An acknowledgement names a message this node never handed to the acknowledging partner, or not yet. */
    E_UNKNOWN_MESSAGE(404, "no message with this id was handed to this partner"),
    /** The request carries no bearer token. */
    E_TOKEN_MISSING(401, "the request carries no bearer token; sign in at the realm"),
    /** The token is not a signed JWT this node can read. */
    E_TOKEN_MALFORMED(401, "the bearer token is not a well-formed signed JWT"),
    /** The token has expired, or is not valid yet. */
    E_TOKEN_EXPIRED(401, "the bearer token has expired or is not valid yet; get a new one"),
    /** The token was issued by another issuer than the configured realm. */
    E_TOKEN_ISSUER(401, "the bearer token was not issued by this node's realm"),
    /** The token is not meant for the gateway API. */
    E_TOKEN_AUDIENCE(401, "the bearer token is not meant for the gateway API"),
    /** The token's signature does not verify with the realm's key it names. */
    E_TOKEN_SIGNATURE(401, "the bearer token's signature does not verify"),
    /** The token names a key the realm does not publish. */
    E_TOKEN_KEY_UNKNOWN(401, "the bearer token is signed with a key the realm does not publish"),
    /** The token's user or session is no longer active at the realm (disabled user, ended session). */
    E_TOKEN_INACTIVE(401, "the bearer token's user or session is no longer active"),
    /** The data subject's authorisation the query relies on has expired, or is not valid yet. */
    E_AUTHORIZATION_EXPIRED(403, "the data subject's authorisation is not valid at this time"),
    /** The data subject revoked the authorisation the query relies on. */
    E_AUTHORIZATION_REVOKED(403, "the data subject revoked this authorisation"),
    /** The authorisation was granted to someone else than the caller. */
    E_AUTHORIZATION_GRANTEE(403, "the authorisation was granted to another partner or department"),
    /** The query's purpose is not the one the subject authorised. */
    E_AUTHORIZATION_PURPOSE(403, "the query's purpose is not the authorised purpose"),
    /** The authorisation does not cover the dataset asked for. */
    E_AUTHORIZATION_DATASET(403, "the authorisation does not cover this dataset"),
    /** The authorisation is another subject's. */
    E_AUTHORIZATION_SUBJECT(403, "the authorisation is another data subject's"),
    /** A partner's audit checkpoint holds another hash than one this node already witnessed at that event: a forked or rewritten trail. */
    E_CHECKPOINT_CONFLICT(409, "the audit checkpoint contradicts one this node already witnessed"),
    /** The request reached a door of the node that has no rule in the door policy: closed by default. */
    E_DOOR_CLOSED(403, "this endpoint has no access rule on this node and is closed"),
    /** This node's partner file does not let it start this kind of exchange with the partner (its we-send, push or pull-from). */
    E_NOT_CONFIGURED(409, "this node's partner file does not let it send this exchange to the partner"),
    /** The endpoint exists but does not take the request's HTTP method; the answer's {@code Allow} header names those it takes. */
    E_METHOD_NOT_ALLOWED(405, "the endpoint does not take this HTTP method"),
    /** The endpoint cannot answer in any media type the request's {@code Accept} header allows (it answers application/json). */
    E_NOT_ACCEPTABLE(406, "the endpoint cannot answer in a media type the request accepts"),
    /** The request body's {@code Content-Type} is not one the endpoint takes. */
    E_UNSUPPORTED_MEDIA_TYPE(415, "the request body's content type is not one the endpoint takes"),
    /** A file named in the request exists but cannot be read (permissions, a directory, an I/O error). */
    E_FILE_UNREADABLE(400, "a file named in the request cannot be read"),
    /** The record's publication period (公示期) has ended: it is no longer published or served. */
    E_PUBLICATION_ENDED(410, "the record's publication period has ended; it is no longer served"),
    /** A credit report's number its issuing node never issued (or a report this node does not know). */
    E_REPORT_UNKNOWN(404, "no credit report of this number was issued by the node it names"),
    /** The node has no font with Chinese glyphs that a PDF can embed, so it cannot render a credit report. */
    E_FONT_MISSING(503, "this node has no CJK font for reports: install fonts-wqy-zenhei (Debian) or set gateway.report.font to a TrueType font file"),
    /** An export (CSV) would hold more rows than an export may; nothing is exported, the query is to be narrowed. */
    E_EXPORT_TOO_LARGE(400, "the export would hold more rows than an export may; narrow the query");

    private final int httpStatus;
    private final String meaning;

    ErrorCode(int httpStatus, String meaning) {
        this.httpStatus = httpStatus;
        this.meaning = meaning;
    }

    /** The HTTP status an answer carrying this code uses. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code of this name, if there is one (a partner's answer names its codes as text). */
    public static java.util.Optional<ErrorCode> named(String name) {
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return java.util.Optional.of(code);
            }
        }
        return java.util.Optional.empty();
    }

    /** What the code means, in words a partner or department can act on. */
    public String meaning() {
        return meaning;
    }
}
