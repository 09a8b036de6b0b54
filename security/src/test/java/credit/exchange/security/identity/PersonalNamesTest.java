package credit.exchange.security.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PersonalNamesTest {

    @Test
    void keepsTheFirstCharacter_andMasksEachOther() {
        assertEquals("张*", PersonalNames.mask("张三"));
        assertEquals("欧***", PersonalNames.mask("欧阳娜娜"));
        assertEquals("王", PersonalNames.mask("王"));
        assertEquals("𠀋*", PersonalNames.mask("𠀋三"), "a character outside the BMP is one character");
        assertEquals("李*", PersonalNames.mask("  李四 "));
        assertEquals(null, PersonalNames.mask(null));
    }
}
