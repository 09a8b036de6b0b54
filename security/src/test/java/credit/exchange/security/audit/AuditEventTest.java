package credit.exchange.security.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed event is the same canonical record the chain has always hashed (no field moves, none is added); a query's
 * event with its per-dataset decisions is form 2, form 1's bytes and then the decisions.
 */
class AuditEventTest {

    private static final Instant AT = Instant.parse("2026-12-07T01:02:03.456789Z");

    @Test
    void anAnsweredExchange_isTheRecordItWasWrittenAsBefore_byteForByte() {
        AuditRecord positional = new AuditRecord(0, AT, null, "PARTNER", "huzhou", "huzhou", "exchange.in", null, null, null, null, null,
                null, null, List.of("m-1", "m-2"), "ANSWERED", 12, "query");
        AuditRecord typed = AuditEvent.by(AuditEvent.ActorKind.PARTNER, "huzhou", AuditEvent.Action.EXCHANGE_IN).at(AT).partner("huzhou")
                .messageIds(List.of("m-1", "m-2")).outcome(AuditEvent.Outcome.ANSWERED).latency(Duration.ofMillis(12)).detail("query")
                .build().record();
        assertEquals(positional, typed);
        assertArrayEquals(positional.atPosition(7).canonical(), typed.atPosition(7).canonical());
    }

    @Test
    void anAccessDenial_ofACaller_carriesEveryField_inItsPlace() {
        Caller partner = Caller.partner("jiaxing", credit.exchange.security.access.PartnerGrant.none());
        AuditRecord r = AuditEvent.by(partner, AuditEvent.Action.ACCESS).at(AT).partner("jiaxing").subject("U:91330100716105852F")
                .classification("B").dataset("tax").purpose("loan").authorisation("0b1f6c1e-0000-4000-8000-000000000001")
                .decision(AuditEvent.Decision.DENY).reason(ErrorCode.E_NOT_GRANTED).detail("on behalf of clerk").build().record();
        assertEquals(new AuditRecord(0, AT, null, "PARTNER", "jiaxing", "jiaxing", "access", "U:91330100716105852F", "B", "tax", "loan",
                "0b1f6c1e-0000-4000-8000-000000000001", "DENY", "E_NOT_GRANTED", List.of(), null, null, "on behalf of clerk"), r);
    }

    @Test
    void aQuerysDecisions_travelInItsOneEvent_whoseDecisionIsDenyIfAnyIs_andEachIsCoveredByItsCanonicalBytes() {
        var licensing = new AuditRecord.DatasetDecision("licensing", "A", "ALLOW", "FIELDS partyName,content");
        var tax = new AuditRecord.DatasetDecision("tax", "B", "DENY", "E_NOT_GRANTED");
        AuditRecord query = AuditEvent.by(AuditEvent.ActorKind.PERSON, "officer-17", AuditEvent.Action.ACCESS).at(AT)
                .subject("U:91330100716105852F").purpose("loan").decisions(List.of(licensing, tax)).build().record();
        assertEquals("DENY", query.decision());
        assertEquals("E_NOT_GRANTED", query.reason(), "the first refusal's code");
        assertEquals(List.of("licensing A ALLOW FIELDS partyName,content", "tax B DENY E_NOT_GRANTED"), query.decisionTexts());
        assertEquals(licensing, AuditRecord.DatasetDecision.parse(licensing.text()), "a reason with spaces and commas reads back");

        byte[] canonical = query.atPosition(7).canonical();
        assertEquals(AuditRecord.FORM_WITH_DECISIONS, java.nio.ByteBuffer.wrap(canonical).getInt());
        AuditRecord allowed = AuditEvent.by(AuditEvent.ActorKind.PERSON, "officer-17", AuditEvent.Action.ACCESS).at(AT)
                .subject("U:91330100716105852F").purpose("loan")
                .decisions(List.of(licensing, new AuditRecord.DatasetDecision("tax", "B", "ALLOW", "PUBLIC"))).build().record();
        assertEquals("ALLOW", allowed.decision());
        assertNull(allowed.reason());
        AuditRecord oneDecisionChanged = new AuditRecord(7, AT, null, "PERSON", "officer-17", null, "access", "U:91330100716105852F", null,
                null, "loan", null, "DENY", "E_NOT_GRANTED", List.of(), null, null, null,
                List.of(licensing, new AuditRecord.DatasetDecision("tax", "B", "ALLOW", "PUBLIC")));
        assertEquals(false, java.util.Arrays.equals(canonical, oneDecisionChanged.canonical()), "one decision changed: other bytes");
        AuditRecord oneDecisionDropped = new AuditRecord(7, AT, null, "PERSON", "officer-17", null, "access", "U:91330100716105852F", null,
                null, "loan", null, "DENY", "E_NOT_GRANTED", List.of(), null, null, null, List.of(licensing));
        assertEquals(false, java.util.Arrays.equals(canonical, oneDecisionDropped.canonical()), "one decision dropped: other bytes");
        assertThrows(IllegalArgumentException.class, () -> new AuditRecord.DatasetDecision("tax", "B", "DENY", "E_X\nforged line"));
    }

    @Test
    void aFailure_isWrittenAsItsCode_andAnEventWithoutATime_takesItWhenRecorded() {
        AuditEvent failed = AuditEvent.by(AuditEvent.ActorKind.NODE, "hangzhou", AuditEvent.Action.EXCHANGE_OUT)
                .outcome(ErrorCode.E_UNAVAILABLE).build();
        assertEquals("E_UNAVAILABLE", failed.record().outcome());
        assertNull(failed.fields().at(), "written pending, the database's clock says when");
    }

    @Test
    void theStatusesThisNodeAnswersNoticesWith_areOutcomes() {
        for (String status : List.of("accepted", "pending", "confirmed", "flagged", "cleared", "withdrawn", "recognised", "declined",
                "lifted", "acknowledged", "recorded")) {
            assertEquals(status.toUpperCase(java.util.Locale.ROOT), AuditEvent.Outcome.named(status).name());
        }
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.Outcome.named("whatever"));
    }
}
