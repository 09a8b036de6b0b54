package credit.exchange.routes.partnerstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.routes.partnerstatus.PartnerStatus.Reachability;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartnerStatusTest {

    @Test
    void reachability_isWhetherThePartnerAnsweredTheLastExchange_aCodedRefusalBeingAnAnswer() {
        assertEquals(Reachability.UNKNOWN, PartnerStatus.reachability(Optional.empty()), "nothing sent yet");
        assertEquals(Reachability.REACHABLE, PartnerStatus.reachability(Optional.of("ANSWERED")));
        for (String refusal : List.of("E_NOT_GRANTED", "E_RATE_LIMITED", "E_UNKNOWN_PARTNER", "E_STALE", "E_SIGNATURE_INVALID")) {
            assertEquals(Reachability.REACHABLE, PartnerStatus.reachability(Optional.of(refusal)), refusal + " is the partner's answer");
        }
        for (String silence : List.of("E_PARTNER_UNREACHABLE", "E_TIMEOUT", "E_BAD_ANSWER", "E_CERT_UNTRUSTED", "E_UNAVAILABLE")) {
            assertEquals(Reachability.UNREACHABLE, PartnerStatus.reachability(Optional.of(silence)), silence);
        }
    }

    @Test
    void unreachableEnabledPartners_comeFirst_disabledOnesLast_byIdWithin() {
        List<PartnerStatus.Line> lines = new ArrayList<>(List.of(line("shanghai", false, Reachability.UNREACHABLE),
                line("huzhou", true, Reachability.REACHABLE), line("shaoxing", true, Reachability.UNKNOWN),
                line("jiaxing", true, Reachability.UNREACHABLE), line("anji", true, Reachability.UNREACHABLE)));
        lines.sort(PartnerStatus.ATTENTION_FIRST);
        assertEquals(List.of("anji", "jiaxing", "huzhou", "shaoxing", "shanghai"), lines.stream().map(PartnerStatus.Line::partner).toList());
    }

    private static PartnerStatus.Line line(String id, boolean enabled, Reachability reachable) {
        return new PartnerStatus.Line(id, id, "alliance-city", enabled, reachable, Optional.empty(), Optional.empty(), Optional.empty(),
                new PartnerStatus.Failures(0, Optional.empty(), Optional.empty()),
                new PartnerStatus.Pending(0, 0, 0, Optional.empty(), Optional.empty()),
                Optional.empty());
    }
}
