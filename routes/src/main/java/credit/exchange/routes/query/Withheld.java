package credit.exchange.routes.query;

import credit.exchange.security.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records of the subject the answer does not carry, counted per reason: the access decision's
 * code for the datasets the caller may not read (a class B dataset without the subject's
 * authorisation, a class C one without a sharing agreement). Only counts leave, never a record.
 *
 * @param code    the stable code of the decision that withheld them
 * @param reason  what the code means, in words the reader can act on
 * @param records how many records (the latest version of each) were withheld for it
 */
public record Withheld(String code, String reason, int records) {

    public static Withheld of(ErrorCode code, int records) {
        return new Withheld(code.name(), code.meaning(), records);
    }

    /** Counts per code, merged and in code order. */
    public static List<Withheld> merge(List<Withheld> a, List<Withheld> b) {
        Map<String, Withheld> byCode = new TreeMap<>();
        for (List<Withheld> list : List.of(a == null ? List.<Withheld>of() : a, b == null ? List.<Withheld>of() : b)) {
            for (Withheld w : list) {
                if (w == null || w.code() == null || w.records() <= 0) {
                    continue;
                }
                byCode.merge(w.code(), w, (x, y) -> new Withheld(x.code(), x.reason() != null ? x.reason() : y.reason(),
                        x.records() + y.records()));
            }
        }
        return List.copyOf(byCode.values());
    }

    /** "3 records withheld: class B data needs … (E_AUTHORIZATION_REQUIRED); …", or null when nothing was withheld. */
    public static String describe(List<Withheld> withheld) {
        if (withheld == null || withheld.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Withheld w : withheld) {
            out.append(out.isEmpty() ? "" : "; ").append(w.records()).append(w.records() == 1 ? " record" : " records")
                    .append(" withheld: ").append(w.reason() == null ? "" : w.reason()).append(" (").append(w.code()).append(')');
        }
        return out.toString();
    }
}
