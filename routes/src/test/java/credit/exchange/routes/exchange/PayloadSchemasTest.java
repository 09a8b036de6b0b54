package credit.exchange.routes.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.partner.Partner.ExchangeType;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The schema check every inbound request passes (docs/protocol.md §9, §10-§13; docs/schemas/). */
class PayloadSchemasTest {

    private static final String NOTICE_ID = "3f0c6a52-8a6e-4a53-9d77-6c1c8b1e2f40";

    private static CodedException refused(ExchangeType type, String payload) {
        return assertThrows(CodedException.class, () -> PayloadSchemas.checkRequest(type, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static void accepted(ExchangeType type, String payload) {
        PayloadSchemas.checkRequest(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void inboundRequest_notJson_isRefusedWithE_MALFORMED() {
        assertEquals(ErrorCode.E_MALFORMED, refused(ExchangeType.QUERY, "{\"uscc\": ").code());
        assertEquals(ErrorCode.E_MALFORMED, refused(ExchangeType.PULL, "[1000]").code());
        assertEquals(ErrorCode.E_MALFORMED, refused(ExchangeType.NOTICE, "").code());
    }

    @Test
    void inboundQuery_withoutUscc_isRefusedWithE_FIELD_MISSING_namingTheField() {
        CodedException e = refused(ExchangeType.QUERY, "{\"requestedBy\": \"officer\", \"purpose\": \"tender review\"}");
        assertEquals(ErrorCode.E_FIELD_MISSING, e.code());
        assertTrue(e.getMessage().contains("/uscc"), e.getMessage());
    }

    @Test
    void inboundQuery_lowerCaseUscc_isRefusedWithE_FIELD_INVALID_namingTheField() {
        CodedException e = refused(ExchangeType.QUERY, "{\"uscc\": \"91330100716105852f\", \"requestedBy\": \"o\", \"purpose\": \"p\"}");
        assertEquals(ErrorCode.E_FIELD_INVALID, e.code());
        assertTrue(e.getMessage().contains("/uscc"), e.getMessage());
    }

    @Test
    void inboundQuery_unknownField_isIgnored() {
        accepted(ExchangeType.QUERY, "{\"uscc\": \"91330100716105852F\", \"requestedBy\": \"o\", \"purpose\": \"p\", \"since\": 2}");
    }

    @Test
    void inboundPull_maxNotPositive_isRefusedWithE_FIELD_INVALID() {
        assertEquals(ErrorCode.E_FIELD_INVALID, refused(ExchangeType.PULL, "{\"max\": 0}").code());
        assertEquals(ErrorCode.E_FIELD_INVALID, refused(ExchangeType.PULL, "{\"max\": \"10\"}").code());
        assertEquals(ErrorCode.E_FIELD_INVALID, refused(ExchangeType.PULL, "{\"max\": 1e400}").code());
    }

    @Test
    void inboundAcknowledge_receiptNotBase64_isRefusedWithE_FIELD_INVALID() {
        CodedException e = refused(ExchangeType.ACKNOWLEDGE,
                "{\"batch\": \"b-1\", \"messageIds\": [\"hangzhou:outbox:17\"], \"receipt\": \"not base64!\"}");
        assertEquals(ErrorCode.E_FIELD_INVALID, e.code());
        assertTrue(e.getMessage().contains("/receipt"), e.getMessage());
        assertEquals(ErrorCode.E_FIELD_INVALID, refused(ExchangeType.ACKNOWLEDGE,
                "{\"batch\": \"b-1\", \"messageIds\": [\"17\"], \"receipt\": \"AAAA\"}").code());
    }

    @Test
    void inboundNotice_kindsBodyMissingAField_isRefusedWithE_FIELD_MISSING_atItsPointer() {
        CodedException e = refused(ExchangeType.NOTICE, "{\"noticeId\": \"" + NOTICE_ID + "\", \"kind\": \"sanction-lift\","
                + " \"subject\": \"91330100716105852F\", \"body\": {\"status\": \"REPAIRED\", \"basis\": \"decision 1\","
                + " \"listType\": \"BLACK\", \"authority\": \"AMR\", \"documentNumber\": \"D-1\"}}");
        assertEquals(ErrorCode.E_FIELD_MISSING, e.code());
        assertTrue(e.getMessage().contains("/body/entryId"), e.getMessage());
    }

    @Test
    void inboundNotice_impossibleDate_isRefusedWithE_FIELD_INVALID() {
        CodedException e = refused(ExchangeType.NOTICE, "{\"noticeId\": \"" + NOTICE_ID + "\", \"kind\": \"filing\","
                + " \"subject\": \"91330100716105852F\", \"body\": {\"name\": \"rating co\", \"services\": [\"rating\"],"
                + " \"authority\": \"PBC\", \"filedOn\": \"2026-02-30\", \"validUntil\": \"2029-05-31\"}}");
        assertEquals(ErrorCode.E_FIELD_INVALID, e.code());
        assertTrue(e.getMessage().contains("/body/filedOn"), e.getMessage());
    }

    @Test
    void inboundNotice_noticeIdNotUuid_isRefusedWithE_FIELD_INVALID() {
        CodedException e = refused(ExchangeType.NOTICE, "{\"noticeId\": \"17\", \"kind\": \"recognition-withdrawal\","
                + " \"subject\": \"91330100716105852F\", \"body\": {\"reason\": \"black-listed\"}}");
        assertEquals(ErrorCode.E_FIELD_INVALID, e.code());
        assertTrue(e.getMessage().contains("/noticeId"), e.getMessage());
    }

    @Test
    void inboundNotice_ofAKindNoSchemaNames_reachesItsFlow() {
        // the flow answers it {"refused": "E_UNKNOWN_TYPE"}: a kind is the receiving node's to know
        accepted(ExchangeType.NOTICE, "{\"noticeId\": \"" + NOTICE_ID + "\", \"kind\": \"greeting\","
                + " \"subject\": \"91330100716105852F\", \"body\": {}}");
    }

    @Test
    void inboundCheckpoint_withoutCheckpoint_isRefusedWithE_FIELD_MISSING() {
        assertEquals(ErrorCode.E_FIELD_MISSING, refused(ExchangeType.CHECKPOINT, "{\"signed\": \"AAAA\"}").code());
    }
}
