package credit.exchange.routes.exchange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.partner.Partner.ExchangeType;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever a partner's payload holds, the schema check accepts it or refuses it with a payload code, never otherwise. */
class PayloadSchemasPropertiesTest {

    private static final Set<ErrorCode> PAYLOAD_CODES = Set.of(ErrorCode.E_MALFORMED, ErrorCode.E_FIELD_MISSING, ErrorCode.E_FIELD_INVALID);

    @Property(tries = 300)
    void arbitraryBytes_areAcceptedOrRefusedWithAPayloadCode(@ForAll ExchangeType type, @ForAll @Size(max = 300) byte[] payload) {
        check(type, payload);
    }

    @Property(tries = 300)
    void jsonObjectsOfArbitraryFields_areAcceptedOrRefusedWithAPayloadCode(@ForAll ExchangeType type, @ForAll("objects") String payload) {
        check(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> objects() {
        Arbitrary<String> name = Arbitraries.of("uscc", "max", "batch", "messageIds", "receipt", "checkpoint", "noticeId", "kind",
                "subject", "body", "messages", "datasets", "x");
        Arbitrary<String> value = Arbitraries.of("1", "0", "-1", "1e400", "\"\"", "\"91330100716105852F\"", "\"sanction\"", "[]",
                "[\"hangzhou:outbox:1\"]", "{}", "null", "true", "\"AAAA\"", "\"0d5b8a8e-3f63-4f0e-9a57-2f1c7b6e4a10\"");
        return net.jqwik.api.Combinators.combine(name, value).as((n, v) -> "\"" + n + "\": " + v).list().ofMaxSize(6)
                .map(fields -> "{" + String.join(", ", fields) + "}");
    }

    private static void check(ExchangeType type, byte[] payload) {
        try {
            PayloadSchemas.checkRequest(type, payload);
        } catch (CodedException e) {
            assertTrue(PAYLOAD_CODES.contains(e.code()), e.code().name());
        }
    }
}
