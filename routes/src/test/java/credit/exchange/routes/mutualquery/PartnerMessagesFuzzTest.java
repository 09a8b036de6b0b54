package credit.exchange.routes.mutualquery;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import credit.exchange.security.CodedException;

/**
 * Coverage-guided fuzzing (Jazzer) of the JSON a partner sends inside an opened envelope — a
 * query, and a query's answer: any bytes read as the message or refused with a code (the handler
 * then answers DENIED with it); no other exception escapes. {@code mvn verify} runs the seeds; CI
 * fuzzes it for 30 seconds.
 */
class PartnerMessagesFuzzTest {

    private static final String QUERY = "{\"uscc\":\"91330100716105852F\",\"requestedBy\":\"officer 7\",\"purpose\":\"loan review\","
            + "\"authorisation\":\"a-1\",\"datasets\":[\"tax\",\"licensing\"]}";
    private static final String ANSWER = "{\"status\":\"ANSWERED\",\"uscc\":\"91330100716105852F\",\"records\":[{\"category\":\"licensing\","
            + "\"documentNumber\":\"x\",\"version\":1,\"attributes\":{\"a\":\"b\"}}],\"truncated\":false}";

    @FuzzTest(maxDuration = "30s")
    void anyPayload_isAMessage_orACodedRefusal(FuzzedDataProvider data) {
        boolean query = data.consumeBoolean();
        String payload;
        if (data.consumeBoolean()) {
            StringBuilder edited = new StringBuilder(query ? QUERY : ANSWER);
            int edits = data.consumeInt(1, 6);
            for (int i = 0; i < edits && edited.length() > 0; i++) {
                int at = data.consumeInt(0, edited.length() - 1);
                edited.replace(at, Math.min(edited.length(), at + data.consumeInt(0, 8)), data.consumeString(8));
            }
            payload = edited.toString();
        } else {
            payload = data.consumeRemainingAsString();
        }
        try {
            Class<?> type = query ? QueryMessages.QueryRequest.class : QueryMessages.QueryAnswer.class;
            QueryMessages.read(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
        } catch (CodedException refused) {
            // E_MALFORMED and its kin: the expected refusal
        }
    }
}
