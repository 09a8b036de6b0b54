package credit.exchange.security.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PersonalIdProtectorTest {

    /** A number with a valid GB 11643 check digit; its value does not matter to the protector. */
    private static final String RESIDENT_ID = "330106197402051137";
    private static final String OTHER_RESIDENT_ID = "33010619740205113X";

    private final PersonalIdProtector protector = new PersonalIdProtector(ProtectionKeys.generate());

    @Test
    void lookupHash_equalIds_giveEqualHashes() {
        assertArrayEquals(protector.lookupHash(RESIDENT_ID), protector.lookupHash(new String(RESIDENT_ID.toCharArray())));
        assertEquals(protector.lookupHashHex(RESIDENT_ID), protector.lookupHashHex(RESIDENT_ID));
    }

    @Test
    void lookupHash_differentIds_giveDifferentHashes() {
        assertNotEquals(protector.lookupHashHex(RESIDENT_ID), protector.lookupHashHex(OTHER_RESIDENT_ID));
    }

    @Test
    void lookupHash_differentKeys_giveDifferentHashes() {
        PersonalIdProtector otherNode = new PersonalIdProtector(ProtectionKeys.generate());
        assertNotEquals(protector.lookupHashHex(RESIDENT_ID), otherNode.lookupHashHex(RESIDENT_ID));
    }

    @Test
    void lookupHash_sameKeysInAnotherInstance_giveTheSameHash() {
        ProtectionKeys keys = ProtectionKeys.generate();
        assertEquals(new PersonalIdProtector(keys).lookupHashHex(RESIDENT_ID),
                new PersonalIdProtector(keys).lookupHashHex(RESIDENT_ID));
    }

    @Test
    void lookupHashHex_isLowerCaseHexOfTheSha256Mac() {
        String hex = protector.lookupHashHex(RESIDENT_ID);
        assertEquals(64, hex.length());
        assertTrue(hex.matches("[0-9a-f]{64}"), hex);
        assertArrayEquals(protector.lookupHash(RESIDENT_ID), HexFormat.of().parseHex(hex));
        assertFalse(hex.contains(RESIDENT_ID));
    }

    @Test
    void seal_thenUnseal_givesTheNumberBack() {
        assertEquals(RESIDENT_ID, protector.unseal(protector.seal(RESIDENT_ID)));
        assertEquals(OTHER_RESIDENT_ID, protector.unseal(protector.seal(OTHER_RESIDENT_ID)));
    }

    @Test
    void seal_doesNotContainTheNumberInTheClear() {
        byte[] sealed = protector.seal(RESIDENT_ID);
        byte[] clear = RESIDENT_ID.getBytes(StandardCharsets.US_ASCII);
        assertFalse(contains(sealed, clear));
        assertFalse(HexFormat.of().formatHex(sealed).contains(RESIDENT_ID));
    }

    @Test
    void seal_twiceOfTheSameNumber_differs() {
        byte[] first = protector.seal(RESIDENT_ID);
        byte[] second = protector.seal(RESIDENT_ID);
        assertFalse(Arrays.equals(first, second), "each seal must use a fresh random nonce");
        assertEquals(protector.unseal(first), protector.unseal(second));
    }

    @Test
    void unseal_anyFlippedBit_failsWithIllegalArgument() {
        byte[] sealed = protector.seal(RESIDENT_ID);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = sealed.clone();
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            assertThrows(IllegalArgumentException.class, () -> protector.unseal(altered), "bit " + flipped);
        }
    }

    @Test
    void unseal_truncated_failsWithIllegalArgument() {
        byte[] sealed = protector.seal(RESIDENT_ID);
        for (int length = 0; length < sealed.length; length++) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThrows(IllegalArgumentException.class, () -> protector.unseal(truncated), length + " bytes");
        }
    }

    @Test
    void unseal_underAnotherNodesKey_failsWithIllegalArgument() {
        byte[] sealed = protector.seal(RESIDENT_ID);
        PersonalIdProtector otherNode = new PersonalIdProtector(ProtectionKeys.generate());
        assertThrows(IllegalArgumentException.class, () -> otherNode.unseal(sealed));
    }

    @Test
    void unseal_failureMessage_doesNotRevealTheNumber() {
        byte[] sealed = protector.seal(RESIDENT_ID);
        sealed[sealed.length - 1] ^= 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> protector.unseal(sealed));
        assertFalse(String.valueOf(e.getMessage()).contains(RESIDENT_ID));
    }

    /**
     * Not every ID number a department writes is ASCII: military officer certificates read
     * "南字第12345678号". Two different numbers must never hash alike (ingest already hashes
     * representatives' numbers of every ID type for its content digests).
     */
    @Test
    void lookupHash_differentNonAsciiNumbers_giveDifferentHashes() {
        assertNotEquals(protector.lookupHashHex("南字第12345678号"), protector.lookupHashHex("北字第12345678号"));
    }

    @Test
    void seal_nonAsciiNumber_roundTripsOrIsRefused() {
        String military = "南字第12345678号";
        try {
            assertEquals(military, protector.unseal(protector.seal(military)));
        } catch (IllegalArgumentException refused) {
            // refusing is as good as keeping it: what is not acceptable is recovering a different number
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
