package credit.exchange.routes.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Shape of the seed data as a whole; validity of each generated value is a property in {@link IdentifierPropertiesTest}. */
class IdentifierGeneratorTest {

    private static final int COUNT = 2000;

    @Test
    void uscc_isMostlyEnterprise91_butAlsoOtherAuthoritiesAndTypes() {
        IdentifierGenerator generator = new IdentifierGenerator(new SplittableRandom(42));
        Map<String, Integer> prefixes = new TreeMap<>();
        for (int i = 0; i < COUNT; i++) {
            prefixes.merge(generator.uscc().substring(0, 2), 1, Integer::sum);
        }
        assertTrue(prefixes.get("91") > COUNT / 2, prefixes.toString());
        assertTrue(prefixes.keySet().containsAll(Set.of("92", "93", "11", "12", "52")), prefixes.toString());
    }

    @Test
    void uscc_coversEveryHangzhouDivision() {
        IdentifierGenerator generator = new IdentifierGenerator(new SplittableRandom(7));
        Set<String> divisions = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            divisions.add(generator.uscc().substring(2, 8));
        }
        assertEquals(Set.copyOf(IdentifierGenerator.HANGZHOU_DIVISIONS), divisions);
    }

    @Test
    void organisationCodes_includeDigitOnlyAndNewStyleMaCodes() {
        IdentifierGenerator generator = new IdentifierGenerator(new SplittableRandom(3));
        int digitsOnly = 0;
        int newStyle = 0;
        for (int i = 0; i < COUNT; i++) {
            String code = generator.organizationCode();
            if (code.substring(0, 8).chars().allMatch(Character::isDigit)) {
                digitsOnly++;
            } else if (code.startsWith("MA")) {
                newStyle++;
            }
        }
        assertTrue(digitsOnly > COUNT / 2, "digit-only " + digitsOnly);
        assertTrue(newStyle > COUNT / 20, "MA codes " + newStyle);
    }

    @Test
    void differentSeeds_giveDifferentData() {
        assertNotEquals(new IdentifierGenerator(new SplittableRandom(1)).uscc(),
                new IdentifierGenerator(new SplittableRandom(2)).uscc());
    }

    @Test
    void sameSeed_givesTheSameFirstValues() {
        IdentifierGenerator a = new IdentifierGenerator(new SplittableRandom(2024));
        IdentifierGenerator b = new IdentifierGenerator(new SplittableRandom(2024));
        assertEquals(a.residentId() + a.uscc() + a.organizationCode() + a.registrationNumber(),
                b.residentId() + b.uscc() + b.organizationCode() + b.registrationNumber());
    }
}
