package credit.exchange.security.identity;

/**
 * Natural persons' names as public disclosure shows them (最小披露): the first character (the
 * family name, as a rule) and one mask character for each other one, 张三 → 张*, 欧阳娜娜 → 欧***.
 * Characters outside the BMP count as one.
 */
public final class PersonalNames {

    private PersonalNames() {
    }

    public static String mask(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        String n = name.strip();
        int first = n.offsetByCodePoints(0, 1);
        return n.substring(0, first) + "*".repeat(n.codePointCount(first, n.length()));
    }
}
