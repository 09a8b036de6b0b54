package credit.exchange.routes.alliance;

import credit.exchange.routes.alliance.JointSanctions.ListEntry;
import credit.exchange.routes.alliance.JointSanctions.Status;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tracking a notice's effect (跟踪问效): gathers, for a sanction notice this node issued, its
 * deliveries, the partners' responses, its list entry's status and, once the entry is lifted,
 * who confirmed the lift; {@link SanctionDecisions#status} says where it stands.
 */
final class SanctionTracking {

    private final AllianceNotices notices;
    private final ListEntries entries;
    private final ReceivedSanctions received;
    private final Clock clock;

    SanctionTracking(AllianceNotices notices, ListEntries entries, ReceivedSanctions received, Clock clock) {
        this.notices = notices;
        this.entries = entries;
        this.received = received;
        this.clock = clock;
    }

    /** Where a notice this node issued stands at every partner it went to. */
    Status status(String noticeId) {
        AllianceNotices.Notice notice = notices.notice(noticeId).filter(n -> n.kind().equals(JointSanctions.NOTICE))
                .orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no joint punishment notice " + noticeId));
        Map<String, SanctionDecisions.Response> responses = received.responsesTo(noticeId);
        String entryStatus = entries.find(notice.body().path("entryId").asText("")).map(ListEntry::status).orElse("ACTIVE");
        Map<String, Instant> liftConfirmed = entryStatus.equals("ACTIVE") ? Map.of() : liftConfirmed(notice);
        Instant now = clock.instant();
        return SanctionDecisions.status(notice, entryStatus, notices.deliveries(noticeId), responses, liftConfirmed, now);
    }

    /** When each partner confirmed the lift of the notice's entry. */
    private Map<String, Instant> liftConfirmed(AllianceNotices.Notice notice) {
        String entryId = notice.body().path("entryId").asText();
        Map<String, Instant> confirmed = new LinkedHashMap<>();
        for (AllianceNotices.Notice lift : notices.ofKind(JointSanctions.LIFT, Optional.of(notice.subject()), 100)) {
            if (lift.body().path("entryId").asText().equals(entryId)) {
                for (AllianceNotices.Delivery d : notices.deliveries(lift.id())) {
                    d.answeredAt().ifPresent(at -> confirmed.put(d.partner(), at));
                }
            }
        }
        return confirmed;
    }
}
