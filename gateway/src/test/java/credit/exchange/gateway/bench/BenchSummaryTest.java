package credit.exchange.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A driver's figures: each with its ratio to the run's bound and whether it meets its goal, as a line and as JSON. */
class BenchSummaryTest {

    @Test
    void aRate_isItsValueOverTheBound_andALatency_itsGoalOverTheValue() throws Exception {
        BenchSummary summary = new BenchSummary("exchange");
        BenchSummary.Figure saturation = summary.rate("saturation", 630, "exchanges/s", "crypto", 900, 0.70);
        BenchSummary.Figure p99 = summary.latency("p99", 62.5, "ms", "none", Double.NaN, 50);
        assertEquals(0.70, saturation.ratio(), 1e-9);
        assertTrue(saturation.meetsGoal());
        assertEquals(0.8, p99.ratio(), 1e-9);
        assertFalse(p99.meetsGoal(), "62.5 ms is over the 50 ms goal");
        assertTrue(BenchSummary.line(saturation).contains("value / bound 0.700 (goal 0.70: met)"), BenchSummary.line(saturation));
        assertTrue(BenchSummary.line(p99).contains("(goal 1.00: NOT met)"), BenchSummary.line(p99));

        JsonNode json = Json.mapper().readTree(summary.json(Instant.parse("2026-12-07T08:00:00Z")));
        assertEquals("exchange", json.path("bench").asText());
        assertEquals(900, json.path("figures").get(0).path("bound").asDouble(), 1e-9);
        assertTrue(json.path("figures").get(0).path("met").asBoolean());
        assertTrue(json.path("figures").get(1).path("bound").isMissingNode(), "no bound, no NaN in the JSON");
        assertFalse(json.path("figures").get(1).path("met").asBoolean());
    }
}
